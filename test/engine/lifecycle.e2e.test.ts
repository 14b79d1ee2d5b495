// The seed example through Pulumi's real dynamic-provider host, against the lab host: up, no-op, update, replace, drift, destroy.
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { engine, seedOptions } from "../../lab/harness";
import { ResourceState } from "../../engine/state";
import { RUN_PREFIX, assertLoginsCounted, lab, logins } from "../../lab/access";
import { bulkArrivesIntact, tcpWorks, udpWorks } from "../helpers/tcp";
import { sweep } from "../../lab/sweep";

const P = RUN_PREFIX;
const sh = (cmd: string) => execFileSync("/bin/sh", ["-c", cmd]).toString();
const statePath = `/tmp/${P}seed-state.json`;

/** What a user would compare: namespaces, links, the OVS configuration, DHCP processes. */
function hostSnapshot(): string {
  return [
    sh("ip netns list | awk '{print $1}' | sort"),
    sh("ip -o link show | awk -F': ' '{print $2}' | sort"),
    sh("ovs-vsctl show"),
    sh('ps -e -o stat=,comm= | awk \'$1 !~ /^Z/ && ($2 == "dnsmasq" || $2 == "dhclient")\' | sort'),
  ].join("\n---\n");
}

const namespaces = () => sh("ip netns list | awk '{print $1}'").split("\n");
const leaseFile = (c: string) => `/run/pulumi-netns/dnsmasq/${P}dhcp-${c}.${P}tap-${c}.leases`;
const nsMac = (ns: string, dev: string) => JSON.parse(sh(`ip -n ${ns} -json link show ${dev}`))[0].address as string;

describe("seed example through the engine harness (e2e)", function () {
  this.timeout(300_000);
  let initial: string;

  before(() => {
    initial = hostSnapshot();
  });
  after(async () => {
    try {
      await engine("destroy", seedOptions(statePath)).catch(() => undefined);
    } finally {
      rmSync(statePath, { force: true });
      sweep(P);
    }
  });

  it("up builds the topology, and red and green hold leases from their own VLAN's server", async () => {
    const s = await engine("up", seedOptions(statePath));
    assert.equal(s.counts.create, 23, "the host and 22 resources (5 of them probes)");
    assert.match(
      sh("ovs-vsctl get bridge " + P + "OVS1 datapath_type"),
      /netdev/,
      "the datapath the host found works here",
    );
    const red = nsMac(`${P}red`, "eth0-r");
    const green = nsMac(`${P}green`, "eth0-g");
    assert.ok(sh(`cat ${leaseFile("r")}`).includes(red) && !sh(`cat ${leaseFile("r")}`).includes(green));
    assert.ok(sh(`cat ${leaseFile("g")}`).includes(green) && !sh(`cat ${leaseFile("g")}`).includes(red));
    assert.match(sh(`ip -n ${P}red -4 addr show eth0-r`), /inet 10\.50\.50\.\d+\/24/);
  });

  it("carries TCP and UDP across the netdev bridge to each VLAN's own server, and nothing across VLANs", async () => {
    assert.ok(await tcpWorks(`${P}dhcp-r`, "10.50.50.2", `${P}red`), "TCP red -> its server");
    assert.ok(await tcpWorks(`${P}dhcp-g`, "10.50.50.2", `${P}green`), "TCP green -> its server");
    assert.ok(await udpWorks(`${P}dhcp-r`, "10.50.50.2", `${P}red`), "UDP red -> its server");
    assert.ok(await udpWorks(`${P}dhcp-g`, "10.50.50.2", `${P}green`), "UDP green -> its server");
    assert.ok(await bulkArrivesIntact(`${P}dhcp-r`, "10.50.50.2", `${P}red`, 4 << 20), "4 MiB over TCP, hash intact");
    // Red and green share a subnet but not a VLAN: red must not reach green (the positive controls are above).
    const green = /inet (10\.50\.50\.\d+)\//.exec(sh(`ip -n ${P}green -4 addr show eth0-g`))![1];
    assert.equal(await tcpWorks(`${P}green`, green, `${P}red`), false, "red cannot reach green");
    assert.ok(await tcpWorks(`${P}green`, green, `${P}dhcp-g`), "green's own VLAN can (control)");
  });

  it("a second up reports only same", async () => {
    const s = await engine("up", seedOptions(statePath));
    assert.deepEqual(s.counts, { create: 0, update: 0, replace: 0, delete: 0, same: 23, gone: 0 });
  });

  it("--replace of red's namespace and of OVS1 creates first, and the old generations' deletes leave the live objects alone", async () => {
    const U = "urn:pulumi:test::pulumi-netns-seed::pulumi-nodejs:dynamic/netns:";
    const generation = (urn: string) =>
      (JSON.parse(readFileSync(statePath, "utf8")).resources as ResourceState[]).find((r) => r.urn === urn)!.outputs
        .generation as string;
    const before = [generation(`${U}Namespace::r`), generation(`${U}OvsBridge::ovs1`)];
    const s = await engine("up", { ...seedOptions(statePath), replace: [`${U}Namespace::r`, `${U}OvsBridge::ovs1`] });
    assert.deepEqual([s.counts.replace, s.counts.create, s.counts.delete], [2, 0, 0], s.lines.join("\n"));
    const after = [generation(`${U}Namespace::r`), generation(`${U}OvsBridge::ovs1`)];
    assert.ok(after[0] !== before[0] && after[1] !== before[1], "each replacement is a new generation");
    // The objects are there, marked with the new generation, and still carry the topology.
    assert.equal(readFileSync(`/run/pulumi-netns/owners/Namespace/${P}red`, "utf8").split("\n")[1], after[0]);
    // ovs-vsctl quotes a value that could read as a number (e.g. 731e0093...), and no other.
    const mark = sh(`ovs-vsctl get bridge ${P}OVS1 external_ids:pulumi-netns-generation`).trim();
    assert.equal(mark.replace(/^"(.*)"$/, "$1"), after[1]);
    assert.deepEqual(
      sh(`ovs-vsctl list-ports ${P}OVS1`).split("\n").filter(Boolean).sort(),
      [`${P}tap-g`, `${P}tap-r`, `${P}veth-g`, `${P}veth-r`].sort(),
    );
    assert.match(sh(`ip -n ${P}red -4 addr show eth0-r`), /inet 10\.50\.50\.\d+\/24/);
    // VLAN isolation holds: red reaches its own server (tap-r's MAC), never green's.
    sh(`ip -n ${P}red neigh flush all; ip netns exec ${P}red ping -c2 -W1 10.50.50.2 >/dev/null 2>&1 || true`);
    const neigh = sh(`ip -n ${P}red neigh show 10.50.50.2`);
    assert.ok(neigh.includes(nsMac(`${P}dhcp-r`, `${P}tap-r`)), `red reaches dhcp-r: ${neigh}`);
    assert.ok(!neigh.includes(nsMac(`${P}dhcp-g`, `${P}tap-g`)), "red never reaches dhcp-g");
    assert.ok(await tcpWorks(`${P}dhcp-r`, "10.50.50.2", `${P}red`), "TCP red -> its server after the replacement");
    const r = await engine("refresh", seedOptions(statePath));
    assert.equal(r.counts.same, 23, r.lines.join("\n"));
  });

  it("transmit checksum offload switched back on by hand: TCP breaks, refresh reports it, up repairs it", async () => {
    sh(`ip netns exec ${P}red ethtool -K eth0-r tx on >/dev/null`);
    assert.equal(await tcpWorks(`${P}dhcp-r`, "10.50.50.2", `${P}red`), false, "offload on: TCP is broken");
    assert.ok(await tcpWorks(`${P}dhcp-g`, "10.50.50.2", `${P}green`), "green, untouched, still works (control)");
    const r = await engine("refresh", seedOptions(statePath));
    // The port reports its device's offload, and red's TCP probe that its SYN gets no answer any more.
    const changed = [
      "update pulumi-nodejs:dynamic/netns:OvsPort veth-r",
      "update pulumi-nodejs:dynamic/netns:Probe r-server-tcp",
    ];
    assert.deepEqual(r.lines.filter((l) => !l.startsWith("same ")).sort(), changed, r.lines.join("\n"));
    const u = await engine("up", seedOptions(statePath));
    assert.deepEqual(
      u.lines.filter((l) => !l.startsWith("same ")).sort(),
      changed,
      "the port repaired, the probe proved",
    );
    assert.match(sh(`ip netns exec ${P}red ethtool -k eth0-r`), /^tx-checksumming: off/m);
    assert.ok(await tcpWorks(`${P}dhcp-r`, "10.50.50.2", `${P}red`), "repaired: TCP works again");
  });

  it("stores the connection encrypted: no key material in the state file's plaintext", () => {
    const key = readFileSync(lab().privateKeyPath, "utf8").split("\n")[1];
    const text = readFileSync(statePath, "utf8");
    assert.equal((text.match(/"ciphertext"/g) ?? []).length, 46, "each resource's connection, in inputs and outputs");
    assert.ok(!text.includes(key) && !text.includes("PRIVATE KEY"));
  });

  it("preview of a changed tag reports exactly one update and opens no SSH connection", async () => {
    const ovsBefore = sh("ovs-vsctl show");
    const loginsBefore = logins();
    const s = await engine("preview", seedOptions(statePath, { redTag: "200" }));
    assert.deepEqual(s.counts, { create: 0, update: 1, replace: 0, delete: 0, same: 22, gone: 0 });
    assert.ok(s.lines.includes("update pulumi-nodejs:dynamic/netns:OvsPort veth-r"));
    assert.equal(logins(), loginsBefore, "no SSH login during preview");
    assertLoginsCounted();
    assert.equal(sh("ovs-vsctl show"), ovsBefore, "nothing changed on the host");
  });

  it("up with the changed tag updates in place and moves red into VLAN 200", async () => {
    const s = await engine("up", seedOptions(statePath, { redTag: "200" }));
    assert.equal(s.counts.update, 1);
    assert.equal(sh(`ovs-vsctl get port ${P}veth-r tag`).trim(), "200");
    // 10.50.50.2 is both DHCP servers; on VLAN 200 red must reach green's (tap-g's MAC), never red's own.
    sh(`ip -n ${P}red neigh flush all; ip netns exec ${P}red ping -c3 -W1 10.50.50.2 >/dev/null 2>&1 || true`);
    const neigh = sh(`ip -n ${P}red neigh show 10.50.50.2`);
    assert.ok(neigh.includes(nsMac(`${P}dhcp-g`, `${P}tap-g`)), `red reaches dhcp-g: ${neigh}`);
    assert.ok(await tcpWorks(`${P}dhcp-g`, "10.50.50.2", `${P}red`), "TCP red -> dhcp-g on VLAN 200");
    assert.equal(await tcpWorks(`${P}dhcp-r`, "10.50.50.2", `${P}red`), false, "no longer its old VLAN's server");
    await engine("up", seedOptions(statePath));
    assert.equal(sh(`ovs-vsctl get port ${P}veth-r tag`).trim(), "100");
  });

  it("renaming a namespace replaces it (delete before replace) and red gets a lease again", async () => {
    const s = await engine("up", seedOptions(statePath, { redNamespace: "blue" }));
    assert.ok(
      s.counts.replace >= 1 && s.lines.includes("replace pulumi-nodejs:dynamic/netns:Namespace r"),
      s.lines.join("\n"),
    );
    assert.equal(s.counts.create, 0);
    assert.ok(!namespaces().includes(`${P}red`) && namespaces().includes(`${P}blue`), namespaces().join(" "));
    assert.match(sh(`ip -n ${P}blue -4 addr show eth0-r`), /inet 10\.50\.50\.\d+\/24/);
    await engine("up", seedOptions(statePath));
    assert.match(sh(`ip -n ${P}red -4 addr show eth0-r`), /inet 10\.50\.50\.\d+\/24/);
  });

  it("refresh reports hand-made drift (dnsmasq killed, a namespace deleted, a tag changed) and the next up repairs each", async () => {
    sh(`kill -9 $(cat /run/pulumi-netns/dnsmasq/${P}dhcp-r.${P}tap-r.pid)`);
    sh(`ip netns pids ${P}dhcp-g | xargs -r kill -9; ip netns del ${P}dhcp-g`);
    sh(`ovs-vsctl set port ${P}veth-r tag=300`);
    const r = await engine("refresh", seedOptions(statePath));
    const T = "pulumi-nodejs:dynamic/netns:";
    for (const line of [`gone ${T}DhcpServer dhcp-r`, `gone ${T}Namespace dhcp-g`, `update ${T}OvsPort veth-r`]) {
      assert.ok(r.lines.includes(line), `refresh reports "${line}":\n${r.lines.join("\n")}`);
    }
    assert.ok(r.counts.gone >= 3, "dnsmasq, and the namespace with what lived in it");

    const preview = await engine("preview", seedOptions(statePath));
    assert.ok(preview.lines.includes(`update ${T}OvsPort veth-r`), "the tag is put back in place");
    const u = await engine("up", seedOptions(statePath));
    assert.equal(u.counts.create, r.counts.gone, "what was gone is made again");
    assert.ok(u.lines.includes(`update ${T}OvsPort veth-r`));
    assert.equal(sh(`ovs-vsctl get port ${P}veth-r tag`).trim(), "100");
    assert.ok(sh("ip netns list").includes(`${P}dhcp-g`));
    assert.match(sh(`ip netns pids ${P}dhcp-r | xargs -r ps -o comm= -p`), /dnsmasq/);
    // Repaired, not just present: green reaches its own VLAN's server through the re-made port and namespace.
    sh(`ip -n ${P}green neigh flush all; ip netns exec ${P}green ping -c3 -W1 10.50.50.2 >/dev/null 2>&1 || true`);
    assert.ok(sh(`ip -n ${P}green neigh show 10.50.50.2`).includes(nsMac(`${P}dhcp-g`, `${P}tap-g`)));
    assert.ok(await tcpWorks(`${P}dhcp-g`, "10.50.50.2", `${P}green`), "and TCP through them");
    const s = await engine("up", seedOptions(statePath));
    assert.equal(s.counts.same, 23);
  });

  it("destroy leaves the host exactly as before", async () => {
    const s = await engine("destroy", seedOptions(statePath));
    assert.equal(s.counts.delete, 23);
    assert.equal(hostSnapshot(), initial);
  });
});
