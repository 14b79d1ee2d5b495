// Which devices get transmit checksum offload turned off, found by offloadScript through /bin/sh with stand-in ip and ethtool.
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { batchScript, offloadOff, offloadScript, parseBatch, parseOffload } from "../../provider/ovs-port/offload";

/** Runs the script with `ip` and `ethtool` replaced by stand-ins that answer from `links` and log every call. */
function run(script: string, hostLine: string): { out: string; calls: string[] } {
  const dir = mkdtempSync(join(tmpdir(), "pn-offload-"));
  try {
    const log = join(dir, "calls");
    // nsenter stands in by passing the namespace on to the stand-ins it runs, which answer for it.
    writeFileSync(
      join(dir, "nsenter"),
      `#!/bin/sh\necho "nsenter $*" >> ${log}\nNS=\${1#--net=/run/netns/}; shift; NS=$NS exec "$@"\n`,
      { mode: 0o755 },
    );
    writeFileSync(
      join(dir, "ip"),
      `#!/bin/sh
echo "ip $*" >> ${log}
case "$NS:$*" in
  ":-o -d link show dev missing") echo 'Device "missing" does not exist.' >&2; exit 1 ;;
  ":-o -d link show dev "*) echo '${hostLine}' ;;
  "red:-j link show") echo '${RED_LINKS}' ;;
esac`,
      { mode: 0o755 },
    );
    writeFileSync(
      join(dir, "ethtool"),
      `#!/bin/sh
echo "ethtool $*" >> ${log}
case "$NS:$*" in
  "red:-k eth0-r") echo 'tx-checksumming: on' ;;
  *) echo 'tx-checksumming: off' ;;
esac
echo 'scatter-gather: on'`,
      { mode: 0o755 },
    );
    writeFileSync(log, "");
    const out = execFileSync("/bin/sh", ["-c", script], {
      env: { PATH: `${dir}:/usr/bin:/bin` },
      stdio: ["ignore", "pipe", "pipe"],
    }).toString();
    return { out, calls: readFileSync(log, "utf8").split("\n").filter(Boolean) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const VETH =
  "9: veth-r@if7: <BROADCAST> mtu 1500 link/ether 02:00:00:00:00:01 link-netns red promiscuity 0 \\    veth addrgenmode";

/** Namespace red's links as `ip -j link show` prints them: the peer (7) after a link whose ifindex begins with 7. */
const RED_LINKS = JSON.stringify([
  { ifindex: 1, ifname: "lo", flags: ["LOOPBACK", "UP"] },
  { ifindex: 79, link_index: 3, ifname: "decoy", flags: ["BROADCAST"], link_netnsid: 0 },
  { ifindex: 7, link_index: 9, ifname: "eth0-r", flags: ["BROADCAST"], link_netnsid: 0 },
]);

describe("checksum offload: which devices", () => {
  it("is off for auto on netdev and for off anywhere; never for keep or auto on the kernel datapath", () => {
    assert.equal(offloadOff("auto", "netdev"), true);
    assert.equal(offloadOff("auto", "system"), false);
    assert.equal(offloadOff("off", "system"), true);
    assert.equal(offloadOff("keep", "netdev"), false);
  });

  it("finds a system port's veth peer in its named namespace and sets it there", () => {
    const r = run(offloadScript({ name: "veth-r", type: "system" }, "off"), VETH);
    assert.ok(r.calls.includes("nsenter --net=/run/netns/red ethtool -K eth0-r tx off"), r.calls.join("\n"));
    assert.deepEqual(parseOffload(r.out), [{ namespace: "red", device: "eth0-r", on: false }]);
    // In JSON: text output would name the peer's peer (the host's namespace) by trying every named namespace.
    assert.ok(r.calls.includes("nsenter --net=/run/netns/red ip -j link show"), r.calls.join("\n"));
  });

  it("finds the peer of a veth whose two ends are both on the host by the name its line gives", () => {
    const line = "12: h1@h2: <BROADCAST> mtu 1500 link/ether 02:00:00:00:00:02 promiscuity 0 \\    veth addrgenmode";
    const r = run(offloadScript({ name: "h1", type: "system" }, "off"), line);
    assert.deepEqual(r.calls, ["ip -o -d link show dev h1", "ethtool -K h2 tx off"]);
    assert.deepEqual(parseOffload(r.out), [{ namespace: "", device: "h2", on: false }]);
  });

  it("says so when the peer's ifindex is not in its namespace", () => {
    const script = offloadScript({ name: "veth-r", type: "system" }, "off");
    assert.throws(
      () => run(script, VETH.replace("@if7", "@if8")),
      /the veth peer of veth-r \(ifindex 8\) was not found/,
    );
  });

  it("shows the peer's state", () => {
    const r = run(offloadScript({ name: "veth-r", type: "system" }, "show"), VETH);
    assert.deepEqual(parseOffload(r.out), [{ namespace: "red", device: "eth0-r", on: true }]);
    assert.ok(!r.calls.some((c) => c.includes("-K")), "show changes nothing");
  });

  it("sets an internal port's own interface in its namespace, without looking for a peer", () => {
    const r = run(offloadScript({ name: "tap-r", type: "internal", namespace: "dhcp-r" }, "off"), VETH);
    assert.deepEqual(r.calls, ["nsenter --net=/run/netns/dhcp-r ethtool -K tap-r tx off", "ethtool -K tap-r tx off"]);
  });

  it("leaves devices alone that are not veths, or whose peer is in a namespace without a name", () => {
    const tap = run(offloadScript({ name: "tap0", type: "system" }, "off"), "9: tap0: <BROADCAST> mtu 1500 \\    tun");
    assert.equal(tap.out, "");
    const container = run(
      offloadScript({ name: "veth-c", type: "system" }, "off"),
      VETH.replace("link-netns red", "link-netnsid 3"),
    );
    assert.equal(container.out, "");
    assert.ok(!container.calls.some((c) => c.includes("ethtool")), container.calls.join("\n"));
  });

  it("runs several ports' scripts in one round trip, each with its own result or error", () => {
    const scripts = [
      offloadScript({ name: "veth-r", type: "system" }, "show"),
      offloadScript({ name: "missing", type: "system" }, "show"),
      offloadScript({ name: "tap-r", type: "internal", namespace: "dhcp-r" }, "off"),
    ];
    const got = parseBatch(run(batchScript(scripts), VETH).out, scripts);
    assert.deepEqual(got.get(scripts[0]), [{ namespace: "red", device: "eth0-r", on: true }]);
    assert.match(String(got.get(scripts[1])), /Device "missing" does not exist/);
    assert.deepEqual(got.get(scripts[2]), [{ namespace: "dhcp-r", device: "tap-r", on: false }]);
  });
});
