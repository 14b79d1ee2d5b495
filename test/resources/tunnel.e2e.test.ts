// Tunnel OvsPorts between lab hosts (each its own Open vSwitch, reached through its own sshd): a VXLAN kernel device
// on B's and C's bridges carries a VLAN across, remotes change in place, a host never forwards from one remote to
// another (A behind B), a device deleted by hand is drift that up repairs, a gre port is made, read and removed, and
// a kernel without geneve says so.
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { Deployed, Made, check, create, refresh, up } from "../helpers/engine";
import { LabHost, RUN_PREFIX, lab, onHost, tcpOnHosts } from "../../lab/access";
import { sweepHost } from "../../lab/sweep";

const P = RUN_PREFIX;
const connectionOf = (h: LabHost) => ({
  host: h.host,
  port: h.port,
  user: h.user,
  privateKey: readFileSync(h.privateKeyPath, "utf8"),
  hostKey: h.hostKey,
});
const pings = (h: LabHost, ns: string, addr: string) => {
  try {
    onHost(h, `ip netns exec ${ns} ping -c 2 -W 1 ${addr}`);
    return true;
  } catch {
    return false;
  }
};

describe("VXLAN OvsPort between lab hosts (e2e)", function () {
  this.timeout(120_000);
  const [A, B, C] = lab().hosts;
  const made = new Map([B, C].map((h) => [h, new Made(connectionOf(h))]));
  const vx = `${P}vx5`;
  const ports = new Map<LabHost, Deployed>();

  before(async () => {
    // On B and C: a netdev bridge, a namespace on VLAN 5 with 10.5.0.<k>/24, and a vxlan port to the other.
    for (const [h, other, k] of [
      [B, C, 2],
      [C, B, 3],
    ] as const) {
      const m = made.get(h)!;
      await m.create("OvsBridge", { name: `${P}br`, datapathType: "netdev" });
      await m.create("Namespace", { name: `${P}n` });
      await m.create("VethPair", { name: "eth0", namespace: `${P}n`, peerName: `${P}e`, mtu: 1450 });
      await m.create("OvsPort", { bridge: `${P}br`, name: `${P}e`, tag: 5 });
      await m.create("Address", { namespace: `${P}n`, device: "eth0", cidr: `10.5.0.${k}/24` });
      ports.set(
        h,
        await m.create("OvsPort", {
          bridge: `${P}br`,
          name: vx,
          type: "vxlan",
          key: "5005",
          remoteIps: [other.underlayIp],
          tag: 5,
        }),
      );
    }
  });
  after(async () => {
    for (const m of made.values()) await m.destroy().catch(() => undefined);
    for (const h of [B, C]) sweepHost(h, P);
  });

  /** B's namespace reaches C's over the tunnel by TCP. */
  const tcpAcross = () => tcpOnHosts([B, `${P}n`], [C, `${P}n`], "10.5.0.3") === `hello from ${C.name}`;

  it("carries the VLAN across: B reaches C, and the device is a VXLAN with the VNI on the IANA port", () => {
    assert.ok(pings(B, `${P}n`, "10.5.0.3"));
    assert.ok(tcpAcross(), "TCP too");
    assert.match(onHost(C, `ip -d link show dev ${vx}`), /vxlan id 5005 .*dstport 4789/);
    assert.match(
      onHost(C, `bridge fdb show dev ${vx}`),
      new RegExp(`00:00:00:00:00:00 dst ${B.underlayIp.replace(/\./g, "\\.")}`),
    );
  });

  it("adds and removes remotes in place", async () => {
    const b = ports.get(B)!;
    const { action, deployed } = await up(b, {
      ...b.inputs,
      remoteIps: [C.underlayIp, A.underlayIp],
      connection: connectionOf(B),
    });
    assert.equal(action, "update");
    const fdb = onHost(B, `bridge fdb show dev ${vx}`);
    assert.match(fdb, new RegExp(`dst ${A.underlayIp.replace(/\./g, "\\.")}`));
    assert.match(fdb, new RegExp(`dst ${C.underlayIp.replace(/\./g, "\\.")}`));
    assert.equal((await refresh(deployed))?.outs.remoteIps?.toString(), [C.underlayIp, A.underlayIp].toString());
    const back = await up(deployed, { ...b.inputs, connection: connectionOf(B) });
    assert.equal(back.action, "update");
    ports.set(B, made.get(B)!.replace(b, back.deployed));
    assert.doesNotMatch(
      onHost(B, `bridge fdb show dev ${vx}`),
      new RegExp(`dst ${A.underlayIp.replace(/\./g, "\\.")}`),
    );
    assert.ok(pings(B, `${P}n`, "10.5.0.3") && tcpAcross(), "still carries");
  });

  it("a device deleted by hand reads as drift, and up replaces the port", async () => {
    const c = ports.get(C)!;
    assert.ok(tcpAcross(), "control: carries before");
    onHost(C, `ip link del ${vx}`);
    assert.ok(!pings(B, `${P}n`, "10.5.0.3") && !tcpAcross(), "cut");
    const seen = await refresh(c);
    assert.ok(seen, "the port is still in OVS");
    assert.equal(seen.outs.key, undefined, "no device, no VNI");
    const { action, deployed } = await up(seen, { ...c.inputs, connection: connectionOf(C) });
    assert.equal(action, "replace");
    ports.set(C, made.get(C)!.replace(c, deployed));
    assert.ok(pings(B, `${P}n`, "10.5.0.3") && tcpAcross(), "carries again");
  });

  it("never forwards from one remote to another: A reaches B over B's second remote, never C behind B", async () => {
    // A: its own bridge and namespace on VLAN 5 (10.5.0.1), and a vxlan port whose only remote is B.
    const m = new Made(connectionOf(A));
    made.set(A, m);
    await m.create("OvsBridge", { name: `${P}br`, datapathType: "netdev" });
    await m.create("Namespace", { name: `${P}n` });
    await m.create("VethPair", { name: "eth0", namespace: `${P}n`, peerName: `${P}e`, mtu: 1450 });
    await m.create("OvsPort", { bridge: `${P}br`, name: `${P}e`, tag: 5 });
    await m.create("Address", { namespace: `${P}n`, device: "eth0", cidr: "10.5.0.1/24" });
    const tunnel = { bridge: `${P}br`, name: vx, type: "vxlan", key: "5005", tag: 5 };
    await m.create("OvsPort", { ...tunnel, remoteIps: [B.underlayIp] });
    const b = ports.get(B)!;
    const mesh = await up(b, { ...b.inputs, remoteIps: [C.underlayIp, A.underlayIp], connection: connectionOf(B) });
    ports.set(B, made.get(B)!.replace(b, mesh.deployed));
    try {
      assert.ok(pings(A, `${P}n`, "10.5.0.2"), "control: A reaches B");
      assert.equal(tcpOnHosts([A, `${P}n`], [B, `${P}n`], "10.5.0.2"), `hello from ${B.name}`, "by TCP too");
      assert.ok(tcpAcross(), "control: B still reaches C");
      assert.ok(!pings(A, `${P}n`, "10.5.0.3"), "A never reaches C through B");
      assert.equal(tcpOnHosts([A, `${P}n`], [C, `${P}n`], "10.5.0.3"), undefined, "nor by TCP");
    } finally {
      const back = await up(ports.get(B)!, { ...b.inputs, connection: connectionOf(B) });
      ports.set(B, made.get(B)!.replace(ports.get(B)!, back.deployed));
      await m.destroy();
      made.delete(A);
    }
  });

  it("makes, reads and removes a gre port (OVS's own tunnel, no kernel device)", async () => {
    const m = made.get(C)!;
    const gre = await m.create("OvsPort", {
      bridge: `${P}br`,
      name: `${P}gr`,
      type: "gre",
      remoteIp: B.underlayIp,
      key: "flow",
    });
    const row = onHost(C, `ovs-vsctl --format=json --columns=type,options list interface ${P}gr`);
    assert.match(row, /"gre"/);
    assert.match(row, new RegExp(`"remote_ip","${B.underlayIp.replace(/\./g, "\\.")}"`));
    assert.match(row, /"key","flow"/);
    const seen = await refresh(gre);
    assert.deepEqual(
      [seen?.outs.type, seen?.outs.remoteIp, seen?.outs.key],
      ["gre", B.underlayIp, "flow"],
      "read back as made",
    );
    assert.equal((await up(seen!, { ...gre.inputs, connection: connectionOf(C) })).action, "same");
    await m.destroyOne(gre);
    assert.doesNotMatch(onHost(C, `ovs-vsctl list-ports ${P}br`), new RegExp(`${P}gr`), "removed");
    assert.match(onHost(C, `ovs-vsctl list-ports ${P}br`), new RegExp(vx), "control: the vxlan port stays");
  });

  it("refuses a tunnel without a VNI in check, and a geneve port on a kernel without geneve on create", async () => {
    await assert.rejects(
      check("OvsPort", { bridge: `${P}br`, name: "x", type: "vxlan", remoteIp: B.underlayIp }),
      /key: must be the VNI/,
    );
    await assert.rejects(
      create("OvsPort", {
        bridge: `${P}br`,
        name: `${P}gn`,
        type: "geneve",
        key: "7",
        remoteIp: B.underlayIp,
        connection: connectionOf(C),
      }),
      /this host's kernel has no geneve devices/,
    );
    assert.doesNotMatch(onHost(C, "ovs-vsctl list-ports " + `${P}br`), /gn/, "nothing half-made");
  });
});
