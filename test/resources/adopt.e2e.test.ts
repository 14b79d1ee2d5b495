// Adoption's refusals against the lab host: what would need a replace is refused, naming the field and the live value,
// and the object stays exactly as it was; beside each, a control that adopts (in place where a field updates).
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { Made } from "../helpers/engine";
import { RUN_PREFIX, labConnection } from "../../lab/access";
import { alive } from "../helpers/proc";
import { sweep } from "../../lab/sweep";
import { recordPath } from "../../provider/ownership/records";

const P = `${RUN_PREFIX.slice(0, -1)}a-`;
const urn = (kind: string, name: string) => `urn:pulumi:test::adopt::pulumi-nodejs:dynamic/netns:${kind}::${name}`;
const sh = (cmd: string) => execFileSync("/bin/sh", ["-c", cmd], { stdio: ["ignore", "pipe", "pipe"] }).toString();
const port = (name: string) => sh(`ovs-vsctl --columns=_uuid,tag,external_ids,interfaces list port ${name}`);
const link = (ns: string, dev: string) => sh(`ip -n ${ns} -d link show dev ${dev}`);

describe("adopting objects made by hand: refusals and in-place changes (e2e, lab host over SSH)", function () {
  this.timeout(120_000);
  const made = new Made(labConnection());

  before(() => {
    sh(`ovs-vsctl add-br ${P}br -- set bridge ${P}br datapath_type=netdev`);
  });
  after(async () => {
    await made.destroy().catch(() => undefined);
    sweep(P);
    sh(`rm -rf /run/${P}hand; find /run/pulumi-netns/owners -name '*${P}*' -delete 2>/dev/null; true`);
  });

  it("refuses a port whose live type differs, and leaves it as it was; a port with another tag is updated in place", async () => {
    sh(`ovs-vsctl add-port ${P}br ${P}pi -- set interface ${P}pi type=internal -- set port ${P}pi tag=100`);
    const before = port(`${P}pi`);
    const program = { bridge: `${P}br`, name: `${P}pi`, type: "system", adopt: true, owner: urn("OvsPort", "pi") };
    await assert.rejects(
      made.create("OvsPort", program),
      /OvsPort "pn\w+-br\/pn\w+-pi": cannot adopt the object already there: type: the program says "system", the host has "internal"/,
    );
    assert.equal(port(`${P}pi`), before, "the port is exactly as it was");
    assert.equal(existsSync(recordPath("OvsPort", `${P}br/${P}pi`)), false, "no ownership record is left behind");

    // Control: the same port, told its own type and another tag, is adopted in place.
    const uuid = sh(`ovs-vsctl get port ${P}pi _uuid`).trim();
    await made.create("OvsPort", { ...program, type: "internal", tag: 300 });
    assert.equal(sh(`ovs-vsctl get port ${P}pi _uuid`).trim(), uuid, "the same row");
    assert.equal(sh(`ovs-vsctl get port ${P}pi tag`).trim(), "300");
    assert.match(
      sh(`ovs-vsctl get port ${P}pi external_ids`),
      /pulumi-netns-owner="urn:pulumi:test::adopt::.*OvsPort::pi"/,
    );
  });

  it("refuses a veth whose peer sits in another namespace than the program says, and leaves it as it was", async () => {
    sh(`ip netns add ${P}a; ip netns add ${P}b`);
    sh(`ip link add ${P}va netns ${P}a type veth peer name ${P}vb netns ${P}b`);
    const before = [link(`${P}a`, `${P}va`), link(`${P}b`, `${P}vb`)];
    const program = {
      name: `${P}va`,
      namespace: `${P}a`,
      peerName: `${P}vb`,
      adopt: true,
      owner: urn("VethPair", "v"),
    };
    await assert.rejects(
      made.create("VethPair", program),
      /cannot adopt the object already there: peerNamespace: the program says \(unset\), the host has "pn\w+-b"/,
    );
    assert.deepEqual([link(`${P}a`, `${P}va`), link(`${P}b`, `${P}vb`)], before, "both ends exactly as they were");

    // Control: told where its peer is, the pair is adopted: the same ends, now carrying the owner's mark.
    const ifindex = link(`${P}a`, `${P}va`).split(":")[0];
    await made.create("VethPair", { ...program, peerNamespace: `${P}b` });
    assert.equal(link(`${P}a`, `${P}va`).split(":")[0], ifindex, "the same device");
    assert.match(link(`${P}b`, `${P}vb`), /alias urn:pulumi:test::adopt::.*VethPair::v/);
  });

  it("adopts a route made by hand, changing its gateway in place, and an HAProxy started by hand, taking its place", async () => {
    const ns = `${P}h`;
    sh(`ip netns add ${ns}; ip -n ${ns} link set lo up`);
    sh(`ip link add ${P}h1 netns ${ns} type veth peer name ${P}h1p netns ${ns}`);
    sh(`ip -n ${ns} link set ${P}h1 up; ip -n ${ns} link set ${P}h1p up; ip -n ${ns} addr add 10.93.0.1/24 dev ${P}h1`);
    sh(`ip -n ${ns} route add 10.94.0.0/16 via 10.93.0.7`);
    await made.create("Route", {
      namespace: ns,
      destination: "10.94.0.0/16",
      via: "10.93.0.8",
      adopt: true,
      owner: urn("Route", "r"),
    });
    assert.equal(
      sh(`ip -n ${ns} route show 10.94.0.0/16`).trim().split(" ").slice(0, 3).join(" "),
      "10.94.0.0/16 via 10.93.0.8",
    );

    const hand = `/run/${P}hand`;
    const config = [
      "global",
      `  pidfile ${hand}/haproxy.pid`,
      "defaults",
      "  mode tcp",
      "  timeout connect 1s",
      "  timeout client 5s",
      "  timeout server 5s",
      "listen web",
      "  bind 10.93.0.1:80",
      "  server m1 10.93.0.1:9001",
    ].join("\n");
    sh(
      `mkdir -p ${hand}; printf '%s\\n' '${config}' > ${hand}/haproxy.cfg; ip netns exec ${ns} haproxy -D -f ${hand}/haproxy.cfg`,
    );
    const pid = Number(sh(`cat ${hand}/haproxy.pid`).trim());
    const listening = () => sh(`ip netns exec ${ns} ss -Hltnp 'sport = :80'`);
    assert.match(listening(), new RegExp(`pid=${pid},`), "the one started by hand listens (control)");
    const h = await made.create("Haproxy", {
      namespace: ns,
      name: "web",
      vip: "10.93.0.1",
      listeners: [{ port: 80 }],
      members: [{ name: "m1", address: "10.93.0.1", port: 9001 }],
      adopt: true,
      owner: urn("Haproxy", "web"),
    });
    assert.equal(alive(pid), false, "the one started by hand has stopped");
    assert.match(listening(), new RegExp(`pid=${String(h.outs.pid)},`), "the program's listens in its place");
  });

  it("refuses a dnsmasq started by hand on another interface, and leaves it running; on its own interface it is taken over with its leases", async () => {
    const ns = `${P}d`;
    sh(`ip netns add ${ns}`);
    for (const [dev, net] of [
      [`${P}d1`, "10.91.0"],
      [`${P}d2`, "10.92.0"],
    ]) {
      sh(`ip link add ${dev} netns ${ns} type veth peer name ${dev}p netns ${ns}`);
      sh(
        `ip -n ${ns} link set ${dev} up; ip -n ${ns} link set ${dev}p up; ip -n ${ns} addr add ${net}.1/24 dev ${dev}`,
      );
    }
    const hand = `/run/${P}hand`;
    // A lease it handed out before, and one outside the program's range (another server's, in a shared file).
    sh(
      `mkdir -p ${hand}; printf '%s\\n' '4102444800 02:00:00:00:00:01 10.91.0.50 a *' '4102444800 02:00:00:00:00:02 10.91.0.250 b *' > ${hand}/leases`,
    );
    sh(
      `ip netns exec ${ns} dnsmasq --interface=${P}d1 --dhcp-range=10.91.0.10,10.91.0.100,255.255.255.0 --dhcp-leasefile=${hand}/leases --pid-file=${hand}/pid --port=0`,
    );
    const pid = sh(`cat ${hand}/pid`).trim();
    const server = (iface: string, net: string) => ({
      namespace: ns,
      device: iface,
      subnet: `${net}.0/24`,
      rangeStart: `${net}.10`,
      rangeEnd: `${net}.100`,
      adopt: true,
      owner: urn("DhcpServer", iface),
    });
    await assert.rejects(
      made.create("DhcpServer", server(`${P}d2`, "10.92.0")),
      /DhcpServer "pn\w+-d\/pn\w+-d2": cannot adopt the object already there: device: the program says "pn\w+-d2", the host has "pn\w+-d1"/,
    );
    assert.ok(alive(Number(pid)), "the one started by hand still runs");

    // Without adopt, it is in the way, and says who it is.
    const plain: Record<string, unknown> = server(`${P}d1`, "10.91.0");
    delete plain.adopt;
    await assert.rejects(
      made.create("DhcpServer", plain),
      new RegExp(`a dnsmasq started by hand in namespace "${ns}" \\(pid ${pid}: dnsmasq --interface=${P}d1`),
    );

    // Control: on its own interface it is taken over: the library's dnsmasq serves, with the leases in its range.
    const d = await made.create("DhcpServer", server(`${P}d1`, "10.91.0"));
    assert.notEqual(String(d.outs.pid), pid);
    assert.equal(alive(Number(pid)), false, "the one started by hand has stopped");
    const leases = sh(`cat ${d.outs.leaseFile as string}`);
    assert.match(leases, /02:00:00:00:00:01 10\.91\.0\.50/, "its lease carried over");
    assert.doesNotMatch(leases, /10\.91\.0\.250/, "a lease outside the program's range did not");
  });
});
