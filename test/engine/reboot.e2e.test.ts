// The seed after a simulated reboot of the lab host, and after a veth deleted by hand: `up --refresh` brings it all back.
import { strict as assert } from "node:assert";
import { execFileSync, spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { engine, seedOptions } from "../../lab/harness";
import { RUN_PREFIX } from "../../lab/access";
import { rebootHere } from "../../lab/reboot";
import { sweep } from "../../lab/sweep";
import { tcpWorks, udpWorks } from "../helpers/tcp";

const P = RUN_PREFIX;
const T = "pulumi-nodejs:dynamic/netns:";
const sh = (cmd: string) => execFileSync("/bin/sh", ["-c", cmd]).toString();
const statePath = `/tmp/${P}reboot-state.json`;
const options = () => seedOptions(statePath);

/** What a user would compare: namespaces, links, the OVS configuration, DHCP processes. */
const hostSnapshot = () =>
  [
    sh("ip netns list | awk '{print $1}' | sort"),
    sh("ip -o link show | awk -F': ' '{print $2}' | sort"),
    sh("ovs-vsctl list-br"),
    sh('ps -e -o stat=,comm= | awk \'$1 !~ /^Z/ && ($2 == "dnsmasq" || $2 == "dhclient")\' | sort'),
  ].join("\n---\n");
const leaseFile = (c: string) => `/run/pulumi-netns/dnsmasq/${P}dhcp-${c}.${P}tap-${c}.leases`;
const mac = (ns: string, dev: string) => JSON.parse(sh(`ip -n ${ns} -json link show ${dev}`))[0].address as string;
const addressOf = (ns: string, dev: string) =>
  /inet (10\.50\.50\.\d+)\//.exec(sh(`ip -n ${ns} -4 addr show ${dev}`))![1];

/** Red and green each reach their own VLAN's server by TCP and UDP, hold leases from it, and red never reaches green. */
async function seedWorks(): Promise<void> {
  for (const [c, ns] of [
    ["r", `${P}red`],
    ["g", `${P}green`],
  ]) {
    assert.ok(await tcpWorks(`${P}dhcp-${c}`, "10.50.50.2", ns), `TCP ${ns} -> its server`);
    assert.ok(await udpWorks(`${P}dhcp-${c}`, "10.50.50.2", ns), `UDP ${ns} -> its server`);
  }
  const [red, green] = [mac(`${P}red`, "eth0-r"), mac(`${P}green`, "eth0-g")];
  const [leasesR, leasesG] = [sh(`cat ${leaseFile("r")}`), sh(`cat ${leaseFile("g")}`)];
  assert.ok(leasesR.includes(red) && !leasesR.includes(green), "red's lease from VLAN 100's server only");
  assert.ok(leasesG.includes(green) && !leasesG.includes(red), "green's lease from VLAN 200's server only");
  const greenIp = addressOf(`${P}green`, "eth0-g");
  assert.equal(await tcpWorks(`${P}green`, greenIp, `${P}red`), false, "red cannot reach green");
  assert.ok(await tcpWorks(`${P}green`, greenIp, `${P}dhcp-g`), "green's own VLAN can (control)");
}

describe("the seed after a reboot (e2e, lab host over SSH)", function () {
  this.timeout(300_000);
  let initial: string;

  before(async () => {
    initial = hostSnapshot();
    await engine("up", options());
  });
  after(async () => {
    try {
      await engine("destroy", options()).catch(() => undefined);
    } finally {
      rmSync(statePath, { force: true });
      sweep(P);
    }
  });

  it("up --refresh after a reboot brings back every namespace, port setting and daemon: TCP, UDP and leases as before", async () => {
    await seedWorks();
    rebootHere(P);
    assert.equal(sh(`ip netns list | grep -c -F -- '${P}' || true`).trim(), "0", "the reboot took every namespace");
    const s = await engine("up", { ...options(), refresh: true });
    // The refresh half: the ports whose veths vanished read as drift, not "same".
    for (const port of ["veth-r", "veth-g"])
      assert.ok(s.lines.includes(`update ${T}OvsPort ${port}`), s.lines.join("\n"));
    assert.equal(
      s.counts.gone,
      17,
      `namespaces, pairs, addresses, daemons and the probes in them read gone:\n${s.lines.join("\n")}`,
    );
    assert.equal(s.counts.create, 17, "and are made again");
    assert.match(
      sh(`ip netns exec ${P}red ethtool -k eth0-r`),
      /^tx-checksumming: off/m,
      "offload off on the new veth",
    );
    await seedWorks();
  });

  it("the next up is all same", async () => {
    const s = await engine("up", options());
    assert.deepEqual(s.counts, { create: 0, update: 0, replace: 0, delete: 0, same: 23, gone: 0 });
  });

  it("a veth deleted by hand under a port: refresh reports the port, up restores TCP", async () => {
    sh(`ip link del ${P}veth-r`);
    assert.equal(await tcpWorks(`${P}dhcp-r`, "10.50.50.2", `${P}red`), false, "the pair is gone: no TCP");
    assert.ok(await tcpWorks(`${P}dhcp-g`, "10.50.50.2", `${P}green`), "green, untouched, works (control)");
    const r = await engine("refresh", options());
    assert.ok(r.lines.includes(`update ${T}OvsPort veth-r`), r.lines.join("\n"));
    assert.ok(r.lines.includes(`gone ${T}VethPair r`), r.lines.join("\n"));
    assert.ok(r.lines.includes(`same ${T}OvsPort veth-g`), r.lines.join("\n"));
    const u = await engine("up", options());
    assert.ok(u.lines.includes(`update ${T}OvsPort veth-r`), u.lines.join("\n"));
    assert.ok(u.lines.includes(`create ${T}VethPair r`), u.lines.join("\n"));
    assert.match(sh(`ip netns exec ${P}red ethtool -k eth0-r`), /^tx-checksumming: off/m);
    assert.ok(await tcpWorks(`${P}dhcp-r`, "10.50.50.2", `${P}red`), "TCP red -> its server again");
  });

  it("a pid file naming a stranger: refresh reads the daemon gone, up starts its own, and the stranger lives on", async () => {
    const pidFile = `/run/pulumi-netns/dnsmasq/${P}dhcp-r.${P}tap-r.pid`;
    sh(`kill $(cat ${pidFile})`);
    // A process of another command in the same namespace, given the dead daemon's pid file.
    const stranger = spawn("ip", ["netns", "exec", `${P}dhcp-r`, "sleep", "120"], { stdio: "ignore" });
    try {
      await new Promise((r) => setTimeout(r, 300));
      sh(`echo ${stranger.pid} > ${pidFile}`);
      const r = await engine("refresh", options());
      assert.ok(r.lines.includes(`gone ${T}DhcpServer dhcp-r`), r.lines.join("\n"));
      assert.ok(r.lines.includes(`same ${T}DhcpServer dhcp-g`), "the other server is its own (control)");
      const u = await engine("up", options());
      assert.ok(u.lines.includes(`create ${T}DhcpServer dhcp-r`), u.lines.join("\n"));
      assert.equal(stranger.exitCode, null, "the stranger was not stopped");
      assert.match(sh(`ps -o comm= -p $(cat ${pidFile})`), /dnsmasq/);
    } finally {
      stranger.kill("SIGKILL");
    }
  });

  it("destroy leaves the host exactly as before", async () => {
    const s = await engine("destroy", options());
    assert.equal(s.counts.delete, 23);
    assert.equal(hostSnapshot(), initial);
  });
});
