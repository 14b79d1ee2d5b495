// examples/openstack through the engine harness on the lab host: Neutron's layout (qdhcp-, qrouter-, SNAT, a floating
// IP) checked with TCP from each side, drift in the router's NAT repaired, a network detached in place, no trace left.
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { runEngine } from "../../engine/engine";
import { REPO, engine, labOptions } from "../../lab/harness";
import { RUN_PREFIX, assertLoginsCounted, logins } from "../../lab/access";
import { closeAllPools } from "../../provider/transport";
import { rebootHere } from "../../lab/reboot";
import { sweep } from "../../lab/sweep";
import { tcpSourceSeen } from "../helpers/tcp";
import { namesSeen } from "../helpers/web";
import { until } from "../helpers/wait";

const P = RUN_PREFIX;
const WEB = ["web1", "web2", "web3"];
const sh = (cmd: string) => execFileSync("/bin/sh", ["-c", cmd]).toString();
/** What the example must leave alone on the host: forwarding, the root namespace's firewall rules, and /etc. */
const hostState = () =>
  [
    sh("cat /proc/sys/net/ipv4/ip_forward"),
    sh("nft list ruleset 2>&1"),
    sh("find /etc -xdev -type f 2>/dev/null | sort | xargs -d '\\n' sha256sum 2>/dev/null"),
  ].join("\n");
/** An instance's address, without the prefix length. */
const ipOf = (ns: string) => /inet (\d+\.\d+\.\d+\.\d+)\//.exec(sh(`ip -n ${ns} -4 addr show dev eth0`))![1];

describe("examples/openstack through the engine harness (e2e, lab host over SSH)", function () {
  this.timeout(300_000);
  const statePath = `/tmp/${P}openstack.json`;
  const options = (config: Record<string, string> = {}) =>
    labOptions(join(REPO, "examples", "openstack"), "openstack", statePath, { namePrefix: P, ...config });
  const [red, green, pub] = [`${P}red`, `${P}green`, `${P}public`];
  let untouched: string;

  before(() => (untouched = hostState()));
  after(async () => {
    await engine("destroy", options()).catch(() => undefined);
    rmSync(statePath, { force: true });
    sweep(P);
  });

  it("preview registers the whole layout and does nothing on the host", async () => {
    // Connections this process holds are closed, so anything run on the host from now on needs a login.
    closeAllPools();
    const seen = logins();
    const s = await runEngine("preview", options());
    assert.deepEqual(s.errors, []);
    assert.equal(s.counts.create, 69, "11 components, the host, the bridge and 56 resources (4 of them probes)");
    assert.equal(logins(), seen, "no login");
    assertLoginsCounted();
  });

  it("up: red and green reach each other through the router, and the outside only through SNAT", async () => {
    const s = await engine("up", options());
    assert.equal(s.counts.create, 69);
    assert.match(sh(`ip netns list`), new RegExp(`qdhcp-${P}red-net[\\s\\S]*`));
    assert.match(sh(`ip netns list`), new RegExp(`qrouter-${P}router1`));
    const [r, g] = [ipOf(red), ipOf(green)];
    assert.match(r, /^10\.50\.50\./);
    assert.match(g, /^10\.60\.60\./);
    assert.equal(await tcpSourceSeen(green, g, red), r, "red -> green, routed, no NAT between tenants");
    assert.equal(await tcpSourceSeen(red, r, green), g, "green -> red");
    // public has no route to the tenant subnets: only translated traffic can come back.
    assert.equal(await tcpSourceSeen(pub, "203.0.113.1", green), "203.0.113.10", "green leaves as the gateway address");
    assert.equal(await tcpSourceSeen(pub, "203.0.113.1", red), "203.0.113.50", "red leaves as its floating IP");
    assert.equal(
      await tcpSourceSeen(red, r, pub, "203.0.113.50"),
      "203.0.113.1",
      "public reaches red at its floating IP",
    );
    assert.equal(await tcpSourceSeen(red, r, pub, r), undefined, "control: red's own address is out of public's reach");
    assert.equal(hostState(), untouched, "the host's forwarding, nftables rules and /etc are unchanged");
  });

  it("a preview and a second up change nothing", async () => {
    const p = await engine("preview", options());
    assert.equal(p.counts.same, 69, `preview:\n${p.lines.filter((l) => !l.startsWith("same ")).join("\n")}`);
    const s = await engine("up", options());
    assert.equal(s.counts.same, 69, s.lines.join("\n"));
  });

  it("the router's nft table deleted by hand: refresh reports it, up repairs it, traffic flows again", async () => {
    sh(`ip netns exec qrouter-${P}router1 nft delete table ip pulumi_netns`);
    assert.equal(await tcpSourceSeen(pub, "203.0.113.1", green), undefined, "broken");
    const r = await engine("refresh", options());
    assert.equal(r.counts.gone, 1, r.lines.join("\n"));
    const u = await engine("up", options());
    assert.equal(u.counts.create, 1);
    assert.equal(await tcpSourceSeen(pub, "203.0.113.1", green), "203.0.113.10", "repaired");
  });

  it("detaching green-net in place cuts green off and leaves red working; attaching it again restores it", async () => {
    const d = await engine("up", options({ attachGreen: "false" }));
    assert.deepEqual([d.counts.update, d.counts.delete, d.counts.create], [1, 2, 0], d.lines.join("\n"));
    assert.equal(await tcpSourceSeen(pub, "203.0.113.1", green), undefined, "green is cut off");
    assert.equal(await tcpSourceSeen(red, ipOf(red), green), undefined, "from red too");
    assert.equal(await tcpSourceSeen(pub, "203.0.113.1", red), "203.0.113.50", "control: red still goes out");
    const a = await engine("up", options());
    assert.deepEqual([a.counts.update, a.counts.create], [1, 2]);
    // The new qr- port has a new MAC: green holds the old one until its neighbour entry is probed again (seconds).
    await until(
      "green leaves as the gateway address",
      () => tcpSourceSeen(pub, "203.0.113.1", green),
      "203.0.113.10",
      60_000,
    );
  });

  it("removing red's floating IP and adding it back changes the router in place", async () => {
    const router = () => sh(`stat -L -c %i /run/netns/qrouter-${P}router1`);
    const inode = router();
    const d = await engine("up", options({ attachRedFloatingIp: "false" }));
    // The NAT table updates; the address on qg- and the probe of it go; nothing is replaced.
    assert.deepEqual(
      [d.counts.update, d.counts.delete, d.counts.create, d.counts.replace],
      [1, 2, 0, 0],
      d.lines.join("\n"),
    );
    const r = ipOf(red);
    assert.equal(await tcpSourceSeen(red, r, pub, "203.0.113.50"), undefined, "public no longer reaches red");
    assert.equal(await tcpSourceSeen(pub, "203.0.113.1", red), "203.0.113.10", "red leaves as the router (SNAT)");
    assert.equal(await tcpSourceSeen(pub, "203.0.113.1", green), "203.0.113.10", "control: green as before");
    const a = await engine("up", options());
    assert.deepEqual([a.counts.update, a.counts.create, a.counts.replace], [1, 2, 0], a.lines.join("\n"));
    assert.equal(await tcpSourceSeen(red, r, pub, "203.0.113.50"), "203.0.113.1", "public reaches red again");
    assert.equal(await tcpSourceSeen(pub, "203.0.113.1", red), "203.0.113.50", "red leaves as its floating IP");
    assert.equal(router(), inode, "the same qrouter namespace throughout");
  });

  it("the load balancer: connections to the VIP reach all three members, and from public through its floating IP", async () => {
    // The example's own servers (Process resources) answered before the load balancer was made.
    assert.deepEqual(await namesSeen(red, "10.50.50.200", 80, 12), ["web1", "web2", "web3"]);
    assert.deepEqual(await namesSeen(pub, "203.0.113.60", 80, 12), ["web1", "web2", "web3"]);
  });

  it("a member whose server stops leaves the pool within the health checks; refresh sees it, up starts it again", async () => {
    sh(`kill -9 $(cat /run/pulumi-netns/process/${P}web2.web.pid)`);
    // Health checks: fall 2 at 500 ms.
    await until("web2 out of the pool", () => namesSeen(red, "10.50.50.200", 80, 9), ["web1", "web3"]);
    const r = await engine("refresh", options());
    assert.equal(r.counts.gone, 1, r.lines.join("\n"));
    assert.equal((await engine("up", options())).counts.create, 1, "the server");
    await until("web2 back in the pool (rise 1)", () => namesSeen(red, "10.50.50.200", 80, 9), WEB);
  });

  it("HAProxy killed by hand: refresh reports it, up starts it again", async () => {
    sh(`kill -9 $(cat /run/pulumi-netns/haproxy/qlbaas-${P}lb1.lb.pid)`);
    assert.deepEqual(await namesSeen(red, "10.50.50.200", 80, 1), [], "down");
    const r = await engine("refresh", options());
    assert.equal(r.counts.gone, 1, r.lines.join("\n"));
    const u = await engine("up", options());
    assert.equal(u.counts.create, 1);
    await until("the VIP serving every member again", () => namesSeen(red, "10.50.50.200", 80, 9), WEB);
  });

  it("removing a member updates HAProxy in place, and that member no longer answers through the VIP", async () => {
    const u = await engine("up", options({ webMembers: "2" }));
    assert.deepEqual([u.counts.update, u.counts.create, u.counts.delete], [1, 0, 0], u.lines.join("\n"));
    await until("only web1 and web2 behind the VIP", () => namesSeen(red, "10.50.50.200", 80, 9), ["web1", "web2"]);
    assert.equal((await engine("up", options())).counts.update, 1);
  });

  it("after a reboot, up --refresh brings back routing, SNAT, the floating IPs and the load balancer", async () => {
    rebootHere(P);
    assert.doesNotMatch(sh("ip netns list"), new RegExp(P), "the reboot took every namespace");
    const s = await engine("up", { ...options(), refresh: true });
    assert.ok(s.counts.gone > 0, s.lines.join("\n"));
    const [r, g] = [ipOf(red), ipOf(green)];
    assert.equal(await tcpSourceSeen(green, g, red), r, "red -> green, routed");
    assert.equal(await tcpSourceSeen(pub, "203.0.113.1", green), "203.0.113.10", "green leaves as the gateway address");
    assert.equal(await tcpSourceSeen(pub, "203.0.113.1", red), "203.0.113.50", "red leaves as its floating IP");
    assert.equal(await tcpSourceSeen(red, r, pub, "203.0.113.50"), "203.0.113.1", "public reaches red's floating IP");
    assert.equal(await tcpSourceSeen(red, r, pub, r), undefined, "control: red's own address is out of public's reach");
    // HAProxy's health checks find the members up within a rise (500 ms) of their first check.
    await until(
      "the VIP serving every member, through its floating IP",
      () => namesSeen(pub, "203.0.113.60", 80, 9),
      WEB,
    );
    const again = await engine("up", options());
    assert.equal(again.counts.same, 69, again.lines.filter((l) => !l.startsWith("same ")).join("\n"));
  });

  it("destroy leaves nothing: no namespace, bridge or rule, and the host as it was", async () => {
    const s = await engine("destroy", options());
    assert.equal(s.counts.delete, 69);
    assert.equal(sh("pgrep -f '[/]run/pulumi-netns/haproxy' || true").trim(), "", "no HAProxy of ours left");
    assert.equal(sh(`pgrep -f 'listen.8080.* web[123]$' || true`).trim(), "", "no web server left");
    assert.equal(sh("ls /run/pulumi-netns 2>/dev/null || true").trim(), "", "no file of ours left");
    assert.doesNotMatch(sh("ip netns list"), new RegExp(P));
    assert.doesNotMatch(sh("ovs-vsctl list-br"), new RegExp(P));
    assert.equal(hostState(), untouched);
  });
});
