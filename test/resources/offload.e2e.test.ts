// Transmit checksum offload on ports of a netdev bridge: a user's own veth attached with OvsPort gets it turned off
// on its namespace side ("auto"), "keep" leaves it alone (and TCP then fails), an internal port's interface too.
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { Deployed, Made, refresh, up } from "../helpers/engine";
import { runnerFor } from "../../provider/transport";
import { RUN_PREFIX, labConnection } from "../../lab/access";
import { spyOnSent } from "../helpers/sent-spy";
import { sweep } from "../../lab/sweep";
import { tcpWorks } from "../helpers/tcp";

const P = `${RUN_PREFIX.slice(0, -1)}x-`;
const sh = (cmd: string) => execFileSync("/bin/sh", ["-c", cmd], { stdio: ["ignore", "pipe", "pipe"] }).toString();
const txChecksum = (ns: string, dev: string) =>
  /^tx-checksumming: (\w+)/m.exec(sh(`ip netns exec ${ns} ethtool -k ${dev}`))![1];

describe("checksum offload on a netdev bridge (e2e, lab host over SSH)", function () {
  this.timeout(120_000);
  const made = new Made(labConnection());
  after(async () => {
    await made.destroy().catch(() => undefined);
    sweep(P);
  });

  it("turns it off on the namespace side of a user's own veth, leaves it with keep, and TCP needs both ends off", async () => {
    await made.create("OvsBridge", { name: `${P}br`, datapathType: "netdev" });
    for (const h of ["a", "b"]) {
      await made.create("Namespace", { name: `${P}${h}` });
      // Made by hand, as a user attaching their own devices would.
      sh(`ip link add name eth0 netns ${P}${h} type veth peer name ${P}v${h}`);
      sh(`ip -n ${P}${h} addr add 10.66.0.${h === "a" ? 1 : 2}/24 dev eth0 && ip -n ${P}${h} link set eth0 up`);
      // Their link flags are theirs too: an OvsPort never sets a system port's interface up (one owner per flag).
      sh(`ip link set ${P}v${h} up`);
    }
    const pa = await made.create("OvsPort", { bridge: `${P}br`, name: `${P}va`, tag: 5 });
    const pb = await made.create("OvsPort", { bridge: `${P}br`, name: `${P}vb`, tag: 5, checksumOffload: "keep" });
    assert.equal(txChecksum(`${P}a`, "eth0"), "off", "auto: off on a netdev bridge");
    assert.equal(txChecksum(`${P}b`, "eth0"), "on", "keep: untouched");
    assert.equal(await tcpWorks(`${P}a`, "10.66.0.1", `${P}b`), false, "one end still offloading: TCP fails");
    assert.deepEqual(await refresh(pb), pb, "keep reads as no drift");

    const { action, deployed } = await up(pb, { ...pb.inputs, checksumOffload: "auto" });
    made.replace(pb, deployed);
    assert.equal(action, "update", "in place");
    assert.equal(txChecksum(`${P}b`, "eth0"), "off");
    assert.ok(await tcpWorks(`${P}a`, "10.66.0.1", `${P}b`), "both ends off: TCP works");
    assert.deepEqual(await refresh(pa), pa, "no drift while it stays off");

    // Turned back on by hand: refresh sees it (the peer found from the snapshot), the next up turns it off again.
    sh(`ip netns exec ${P}a ethtool -K eth0 tx on`);
    const drifted = await refresh(pa);
    assert.equal(drifted?.outs.checksumOffload, "on", "on again: drift");
    assert.equal((await refresh(deployed))?.outs.checksumOffload, "auto", "control: b's stays off");
    assert.equal((await up(drifted!, pa.inputs)).action, "update");
    assert.equal(txChecksum(`${P}a`, "eth0"), "off");
    assert.ok(await tcpWorks(`${P}a`, "10.66.0.1", `${P}b`), "TCP works again");
  });

  it("finds the peer of a pair VethPair made without asking the host, and asks again once the pair is deleted", async () => {
    // The pooled runner every call on this connection shares: the offload scripts it sends are recorded.
    const { sent, inSession, stop } = spyOnSent(runnerFor(labConnection()));
    const lookups = () => sent.filter((t) => t.includes("ethtool") && t.includes("ip -o -d link show")).length;
    try {
      const addrs = { d: "10.66.1.1", e: "10.66.1.2" };
      const pairs: Record<string, Deployed> = {};
      for (const h of ["d", "e"] as const) {
        await made.create("Namespace", { name: `${P}${h}` });
        pairs[h] = await made.create("VethPair", { name: "eth0", namespace: `${P}${h}`, peerName: `${P}v${h}` });
        sh(`ip -n ${P}${h} addr add ${addrs[h]}/24 dev eth0`);
        await made.create("OvsPort", { bridge: `${P}br`, name: `${P}v${h}`, tag: 6 });
        assert.equal(txChecksum(`${P}${h}`, "eth0"), "off", "off on the namespace end of the pair");
      }
      assert.equal(lookups(), 0, sent.filter((t) => t.includes("ethtool")).join("\n---\n"));
      // Each port's script is a function that returns, so the batch runs in the session's shell, with no subshell.
      const offloads = sent.filter((t) => t.includes("pnx_offload"));
      assert.ok(offloads.length > 0 && offloads.every((t) => inSession.includes(t)), offloads.join("\n---\n"));
      assert.ok(await tcpWorks(`${P}d`, addrs.d, `${P}e`), "TCP crosses the bridge");

      // Deleted, and a pair of the same host-side name made by hand into another namespace: its port must find it.
      const port = made.all.find((d) => d.kind === "OvsPort" && d.inputs.name === `${P}vd`)!;
      await made.destroyOne(port);
      await made.destroyOne(pairs.d);
      await made.create("Namespace", { name: `${P}f` });
      sh(`ip link add name eth1 netns ${P}f type veth peer name ${P}vd && ip link set ${P}vd up`);
      await made.create("OvsPort", { bridge: `${P}br`, name: `${P}vd`, tag: 6 });
      assert.equal(lookups(), 1, "looked up on the host");
      assert.equal(txChecksum(`${P}f`, "eth1"), "off");
      assert.equal(txChecksum(`${P}e`, "eth0"), "off", "control: the other pair's end stays off");
    } finally {
      stop();
    }
  });

  it("knows the datapath of a bridge it made without asking OVS, and reads that of a bridge made by hand", async () => {
    const { sent, stop } = spyOnSent(runnerFor(labConnection()));
    const bridgeReads = (br: string) =>
      sent.filter((t) => t.includes('"op":"select","table":"Bridge"') && t.includes(br)).length;
    try {
      for (const [h, br] of [
        ["g", `${P}br`],
        ["h", `${P}hb`],
      ]) {
        await made.create("Namespace", { name: `${P}${h}` });
        await made.create("VethPair", { name: "eth0", namespace: `${P}${h}`, peerName: `${P}v${h}` });
        if (h === "h") sh(`ovs-vsctl add-br ${br} -- set bridge ${br} datapath_type=netdev`);
        await made.create("OvsPort", { bridge: br, name: `${P}v${h}`, tag: 7 });
        assert.equal(txChecksum(`${P}${h}`, "eth0"), "off", `off on a netdev bridge (${br})`);
      }
      assert.equal(bridgeReads(`${P}br`), 0, "the bridge made by this process: no read");
      assert.equal(bridgeReads(`${P}hb`), 1, "control: the bridge made by hand is read");
    } finally {
      stop();
      // Its port goes with it; the OvsPort's delete (after all) then finds nothing to do.
      sh(`ovs-vsctl --if-exists del-br ${P}hb`);
    }
  });

  it("turns it off on the far end of a pair with both ends on the host, not on the port's own end", async () => {
    const txOn = (dev: string) => /^tx-checksumming: (\w+)/m.exec(sh(`ethtool -k ${dev}`))![1];
    // Made by hand, so the port looks the peer up; refresh then finds it in its snapshot.
    sh(`ip link add name ${P}ha type veth peer name ${P}hb`);
    const port = await made.create("OvsPort", { bridge: `${P}br`, name: `${P}hb`, tag: 7 });
    assert.equal(txOn(`${P}ha`), "off", "the far end sends into the port");
    assert.equal(txOn(`${P}hb`), "on", "control: the port's own end is left alone");
    assert.deepEqual(await refresh(port), port, "no drift");
    sh(`ethtool -K ${P}ha tx on`);
    assert.equal((await refresh(port))?.outs.checksumOffload, "on", "on again by hand: drift");
  });

  it("turns it off on an internal port's interface in its namespace", async () => {
    await made.create("Namespace", { name: `${P}c` });
    await made.create("OvsPort", { bridge: `${P}br`, name: `${P}tap`, type: "internal", namespace: `${P}c` });
    assert.equal(txChecksum(`${P}c`, `${P}tap`), "off");
  });
});
