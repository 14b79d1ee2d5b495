// examples/multihost through the engine harness on lab hosts A, B and C (each its own network and mount namespace,
// Open vSwitch and sshd): VLANs across hosts over VXLAN, leases from another host, isolation, the overlay MTU, the
// same namespace name on two hosts, an unreachable host, and every host left as it was.
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { engine, multihostOptions } from "../../lab/harness";
import { runEngine } from "../../engine/engine";
import { LabHost, RUN_PREFIX, lab, logins, onHost, tcpOnHosts as tcp } from "../../lab/access";
import { rebootLabHost } from "../../lab/reboot";
import { sweepHost } from "../../lab/sweep";

const P = RUN_PREFIX;
/** What a host holds that the example could change: namespaces, bridges, our run directory, links. */
const hostState = (h: LabHost) =>
  onHost(
    h,
    "ip netns list; ovs-vsctl list-br; find /run/pulumi-netns 2>/dev/null | sort; ip -o link show | awk -F': ' '{print $2}' | sort",
  );
/** Runs `cmd` inside namespace `ns` on host `h`; undefined when it fails. */
const inNs = (h: LabHost, ns: string, cmd: string) => {
  try {
    return onHost(h, `ip netns exec ${ns} ${cmd}`);
  } catch {
    return undefined;
  }
};
const ipOf = (h: LabHost, ns: string) =>
  /inet (\d+\.\d+\.\d+\.\d+)\//.exec(inNs(h, ns, "ip -4 addr show dev eth0") ?? "")?.[1];
describe("examples/multihost through the engine harness (e2e, lab hosts A, B, C over SSH)", function () {
  this.timeout(600_000);
  const [A, B, C] = lab().hosts;
  const statePath = `/tmp/${P}multihost.json`;
  const options = (extra: Record<string, string> = {}) => multihostOptions(statePath, extra);
  const [red, green] = [`${P}red`, `${P}green`];
  let untouched: string[];

  before(() => (untouched = [A, B, C].map(hostState)));
  after(async () => {
    execFileSync("ip", ["link", "set", C.managementLink, "up"]);
    await engine("destroy", options()).catch(() => undefined);
    rmSync(statePath, { force: true });
    for (const h of [A, B, C]) sweepHost(h, P);
  });

  it("one up deploys all three hosts, each through its own sshd; a preview then changes nothing", async () => {
    const before = [A, B, C].map((h) => logins(h));
    const s = await engine("up", options());
    assert.equal(
      s.counts.create,
      36,
      "3 hosts, 3 bridges, the overlay and its 6 ports, 2 DHCP servers with 3 each, 3 clients with 3 each, 3 probes",
    );
    assert.equal(s.outputs.overlayMtu, 1450);
    [A, B, C].forEach((h, i) => {
      assert.ok(logins(h) > before[i], `host ${h.name} was logged in to`);
    });
    assert.match(onHost(B, "ip -d link show dev " + `${P}vx100`), /vxlan id 100 .*dstport 4789/);
    const p = await engine("preview", options());
    assert.equal(p.counts.same, 36, `preview:\n${p.lines.filter((l) => !l.startsWith("same ")).join("\n")}`);
  });

  it("red on B leases from A's VLAN-100 server across the tunnel; red on B and on C talk over ping and TCP", () => {
    const [rb, rc] = [ipOf(B, red), ipOf(C, red)];
    assert.match(rb ?? "", /^10\.50\.50\./);
    assert.match(rc ?? "", /^10\.50\.50\./);
    const mac = /link\/ether (\S+)/.exec(inNs(B, red, "ip link show dev eth0")!)![1];
    assert.match(
      onHost(A, "cat /run/pulumi-netns/dnsmasq/*dhcp-r*.leases"),
      new RegExp(`${mac} ${rb!.replace(/\./g, "\\.")}`),
    );
    assert.ok(inNs(B, red, `ping -c 2 -W 2 ${rc}`), "ping B -> C");
    assert.equal(tcp([B, red], [C, red], rc!), "hello from C");
  });

  it("green on C cannot reach red on B (VLAN isolation across hosts), while red on C can", () => {
    const rb = ipOf(B, red)!;
    const g = ipOf(C, green) ?? "";
    assert.match(g, /^10\.50\.50\./, "green has its own lease on VLAN 200");
    // A ping to an address green itself holds is answered by green: that would say nothing about isolation.
    assert.notEqual(g, rb, "green's lease is not red's address (the example's ranges are disjoint)");
    assert.equal(inNs(C, green, `ping -c 2 -W 1 ${rb}`), undefined, "no ping");
    assert.equal(tcp([C, green], [B, red], rb), undefined, "no TCP");
    assert.ok(inNs(C, red, `ping -c 2 -W 2 ${rb}`), "control: ping from red on C");
    assert.equal(tcp([C, red], [B, red], rb), "hello from B", "control: TCP from red on C");
  });

  it("a don't-fragment ping at the overlay MTU passes, one byte more fails with message too long", () => {
    const rc = ipOf(C, red)!;
    assert.ok(inNs(B, red, `ping -c 1 -W 2 -M do -s ${1450 - 28} ${rc}`), "1450 bytes");
    const tooBig = execFileSync("sh", [
      "-c",
      `ssh -i ${B.privateKeyPath} -o UserKnownHostsFile=${lab().knownHosts} -o BatchMode=yes root@${B.host} 'ip netns exec ${red} ping -c 1 -W 2 -M do -s ${1450 - 27} ${rc} 2>&1; true'`,
    ]).toString();
    assert.match(tooBig, /message too long/);
  });

  it("the same namespace name on B and C: two objects, each with its own owner record", () => {
    const record = (h: LabHost) => onHost(h, `cat /run/pulumi-netns/owners/Namespace/${red}`);
    const [b, c] = [record(B), record(C)];
    assert.match(b, /Namespace::red-b/);
    assert.match(c, /Namespace::red-c/);
    assert.notEqual(inNs(B, red, "cat /proc/self/net/dev"), undefined);
    assert.notEqual(ipOf(B, red), ipOf(C, red), "two objects, two leases");
    assert.equal(onHost(A, "ip netns list").includes(red), false, "and none on A");
  });

  it("host C rebooted: A and B keep working; up --refresh brings C back with fresh leases from its own VLANs", async () => {
    const macOf = (h: LabHost, ns: string) => /link\/ether (\S+)/.exec(inNs(h, ns, "ip link show dev eth0")!)![1];
    const before = macOf(C, red);
    rebootLabHost(C, P);
    assert.equal(onHost(C, "ip netns list").trim(), "", "C lost every namespace");
    const rb = ipOf(B, red)!;
    assert.ok(inNs(B, red, "ping -c 2 -W 2 10.50.50.2"), "B still reaches A's server across the tunnel");
    assert.equal(tcp([B, red], [A, `${P}dhcp-r`], "10.50.50.2"), "hello from A", "and by TCP");
    const s = await engine("up", { ...options(), refresh: true });
    assert.ok(s.counts.gone > 0, s.lines.join("\n"));
    // Nothing of A's or B's changed (a probe is named for its path, not its host: green-c-not-red-b lives on C).
    const onAorB = (l: string) => / (Host|OvsBridge) ovs1-[AB]$|-[ab]$/.test(l) && !l.includes(":Probe ");
    assert.ok(!s.lines.some((l) => onAorB(l) && !l.startsWith("same ")), s.lines.join("\n"));
    const [redC, greenC] = [macOf(C, red), macOf(C, green)];
    assert.notEqual(redC, before, "red on C is a new device");
    const leases = (c: string) => onHost(A, `cat /run/pulumi-netns/dnsmasq/*dhcp-${c}*.leases`);
    assert.ok(leases("r").includes(redC) && !leases("g").includes(redC), "red on C leased from VLAN 100's server");
    assert.ok(leases("g").includes(greenC) && !leases("r").includes(greenC), "green on C from VLAN 200's");
    assert.equal(tcp([C, red], [B, red], rb), "hello from B", "TCP red on C -> red on B");
    assert.equal(tcp([C, green], [B, red], rb), undefined, "green on C still cannot reach red on B");
    assert.equal((await engine("up", options())).counts.same, 36, "the next up is all same");
  });

  it("a host that is unreachable fails its resources naming it, the others finish; the next up converges", async () => {
    await engine("destroy", options());
    execFileSync("ip", ["link", "set", C.managementLink, "down"]);
    const s = await runEngine("up", options());
    assert.ok(s.errors.length > 0, "errors");
    for (const e of s.errors) assert.match(e, new RegExp(C.host.replace(/\./g, "\\.")), e);
    assert.ok(ipOf(B, red)?.startsWith("10.50.50."), "B finished: red has its lease");
    assert.match(onHost(A, "ovs-vsctl list-br"), new RegExp(`${P}OVS1`));
    execFileSync("ip", ["link", "set", C.managementLink, "up"]);
    const again = await engine("up", options());
    assert.ok(again.counts.create > 0 && again.counts.create < 36, again.lines.join("\n"));
    assert.equal((await engine("up", options())).counts.same, 36);
    assert.ok(inNs(B, red, `ping -c 2 -W 2 ${ipOf(C, red)}`), "B and C talk again");
  });

  it("destroy leaves every host as it was", async () => {
    const s = await engine("destroy", options());
    assert.equal(s.counts.delete, 36);
    assert.deepEqual([A, B, C].map(hostState), untouched);
  });
});
