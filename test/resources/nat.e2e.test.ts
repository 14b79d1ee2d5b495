// Nat against the lab host: a router namespace between an inside and an outside namespace; masquerade and floating
// IPs proven with TCP (the source address each server sees), drift repaired, hostile rules refused.
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { Deployed, Made, check, create, refresh, up } from "../helpers/engine";
import { RUN_PREFIX, labConnection } from "../../lab/access";
import { sweep } from "../../lab/sweep";
import { tcpSourceSeen } from "../helpers/tcp";

const P = RUN_PREFIX;
const connection = labConnection();
const sh = (cmd: string) => execFileSync("/bin/sh", ["-c", cmd]).toString();

describe("Nat (e2e, lab host over SSH)", function () {
  this.timeout(120_000);
  const made = new Made(connection);
  const inside = `${P}ni`;
  const router = `${P}nr`;
  const outside = `${P}ne`;
  const snat = [{ source: "10.91.0.0/24", outInterface: "qg0" }];
  const floating = [{ floatingIp: "192.0.2.10", fixedIp: "10.91.0.2" }];
  let nat: Deployed;

  before(async () => {
    for (const ns of [inside, router, outside]) await made.create("Namespace", { name: ns });
    await made.create("VethPair", { name: "eth0", namespace: inside, peerName: "qr0", peerNamespace: router });
    await made.create("VethPair", { name: "qg0", namespace: router, peerName: "eth0", peerNamespace: outside });
    await made.create("Address", { namespace: inside, device: "eth0", cidr: "10.91.0.2/24" });
    await made.create("Address", { namespace: router, device: "qr0", cidr: "10.91.0.1/24" });
    await made.create("Address", { namespace: router, device: "qg0", cidr: "192.0.2.1/24" });
    await made.create("Address", { namespace: router, device: "qg0", cidr: "192.0.2.10/32" });
    await made.create("Address", { namespace: outside, device: "eth0", cidr: "192.0.2.2/24" });
    // The inside routes through the router; the outside has no route back to the inside network at all.
    await made.create("Route", { namespace: inside, destination: "default", via: "10.91.0.1" });
    await made.create("Sysctl", { namespace: router, key: "net.ipv4.ip_forward", value: "1" });
  });
  after(async () => {
    await made.destroy().catch(() => undefined);
    sweep(P);
  });

  it("masquerades the inside network behind the gateway port: without it no TCP gets back, with it the outside sees the router", async () => {
    assert.equal(await tcpSourceSeen(outside, "192.0.2.2", inside), undefined, "control: no NAT, no way back");
    nat = await made.create("Nat", { namespace: router, snat });
    assert.equal(await tcpSourceSeen(outside, "192.0.2.2", inside), "192.0.2.1");
  });

  it("adds a floating IP in place: the outside reaches the inside host at it, and the host leaves as it", async () => {
    const r = await up(nat, { namespace: router, snat, floatingIps: floating, connection });
    assert.equal(r.action, "update");
    nat = made.replace(nat, r.deployed);
    assert.equal(
      await tcpSourceSeen(inside, "10.91.0.2", outside, "192.0.2.10"),
      "192.0.2.2",
      "DNAT to the fixed address",
    );
    assert.equal(await tcpSourceSeen(outside, "192.0.2.2", inside), "192.0.2.10", "its SNAT comes before masquerade");
    assert.equal(
      await tcpSourceSeen(inside, "10.91.0.2", outside, "10.91.0.2"),
      undefined,
      "control: the fixed address is out of reach",
    );
    // The router's own connections to a floating IP (its output chain): without that rule they would reach the
    // router's own address, where nothing listens.
    assert.equal(await tcpSourceSeen(inside, "10.91.0.2", router, "192.0.2.10"), "192.0.2.10", "the router itself");
  });

  it("reports a rule or the whole table deleted by hand, and up writes it again", async () => {
    const handle = JSON.parse(
      sh(`ip netns exec ${router} nft -j list chain ip pulumi_netns postrouting`),
    ).nftables.find((x: { rule?: { comment?: string } }) => x.rule?.comment === "floating 0").rule.handle;
    sh(`ip netns exec ${router} nft delete rule ip pulumi_netns postrouting handle ${handle}`);
    const seen = await refresh(nat);
    assert.deepEqual(seen?.outs.floatingIps, [], "the floating IP lost a rule: drift");
    assert.deepEqual(seen?.outs.snat, snat, "the rest reads as it is");
    const r = await up(seen!, { namespace: router, snat, floatingIps: floating, connection });
    assert.equal(r.action, "update");
    nat = made.replace(nat, r.deployed);
    assert.equal(await tcpSourceSeen(outside, "192.0.2.2", inside), "192.0.2.10", "repaired");

    sh(`ip netns exec ${router} nft delete table ip pulumi_netns`);
    assert.equal(await refresh(nat), undefined, "the table gone reads as gone");
    await made.destroyOne(nat);
    nat = await made.create("Nat", { namespace: router, snat, floatingIps: floating });
    assert.equal(await tcpSourceSeen(outside, "192.0.2.2", inside), "192.0.2.10", "made again");
  });

  it("refuses a second Nat for the same namespace, and removes only its table on delete", async () => {
    await assert.rejects(
      create("Nat", { namespace: router, snat: [], connection }),
      /table ip pulumi_netns in namespace .* already exists/,
    );
    sh(`ip netns exec ${router} nft add table ip users_own`);
    await made.destroyOne(nat);
    assert.equal(sh(`ip netns exec ${router} nft list tables`).trim(), "table ip users_own");
    assert.equal(await tcpSourceSeen(outside, "192.0.2.2", inside), undefined, "no NAT left");
    assert.equal(await tcpSourceSeen(outside, "192.0.2.2", router), "192.0.2.1", "control: the path and server work");
  });

  it("refuses rules that are not addresses and interface names, naming the property", async () => {
    const bad = async (inputs: Record<string, unknown>, message: RegExp) =>
      assert.rejects(check("Nat", { namespace: router, ...inputs }), message);
    await bad({ snat: [{ source: "10.91.0.1/24" }] }, /snat\.0\.source: must be an IPv4 network/);
    await bad(
      { snat: [{ source: "10.91.0.0/24", outInterface: 'qg0" accept' }] },
      /snat\.0\.outInterface: must be 1-15 characters/,
    );
    await bad(
      { snat: [{ source: "10.91.0.0/24", to: "203.0.113.1; flush ruleset" }] },
      /snat\.0\.to: must be an IPv4 address/,
    );
    await bad(
      { floatingIps: [...floating, { floatingIp: "192.0.2.10", fixedIp: "10.91.0.3" }] },
      /floatingIps\.1\.floatingIp: is listed twice/,
    );
    await bad({ snat: [{ source: "10.91.0.0/24", action: "accept" }] }, /snat\.0: Unrecognized key: "action"/);
    await bad(
      { snat: [{ source: "10.91.0.0/24", outInterface: "qg-0123456789abc" }] },
      /snat\.0\.outInterface: must be 1-15 characters/,
    );
    await bad(
      { floatingIps: [{ floatingIp: "192.0.2.10", fixedIp: "10.91.0.2\n" }] },
      /floatingIps\.0\.fixedIp: must be an IPv4 address/,
    );
  });
});
