// The seed's probes through the engine harness on the lab host: up proves them, refresh re-checks them, preview sends nothing.
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { engine, seedOptions } from "../../lab/harness";
import { runEngine } from "../../engine/engine";
import { ResourceState } from "../../engine/state";
import { Made, refresh } from "../helpers/engine";
import { RUN_PREFIX, labConnection, logins } from "../../lab/access";
import { sweep } from "../../lab/sweep";

const P = RUN_PREFIX;
const T = "pulumi-nodejs:dynamic/netns:Probe";
const sh = (cmd: string) => execFileSync("/bin/sh", ["-c", cmd]).toString();
const statePath = `/tmp/${P}probes-state.json`;
const options = () => seedOptions(statePath);
const probeUrn = (name: string) => `urn:pulumi:test::pulumi-netns-seed::${T}::${name}`;
const observed = (name: string) =>
  (JSON.parse(readFileSync(statePath, "utf8")).resources as ResourceState[]).find((r) => r.urn === probeUrn(name))!
    .outputs.observed;
/** An nftables table in dhcp-r that drops what red and green send it (`how`: "drop" or "reject with tcp reset"). */
const filter = (how: string) =>
  sh(
    `ip netns exec ${P}dhcp-r nft add table inet pnprobe && ` +
      `ip netns exec ${P}dhcp-r nft add chain inet pnprobe input '{ type filter hook input priority 0; policy accept; }' && ` +
      `ip netns exec ${P}dhcp-r nft add rule inet pnprobe input ip saddr 10.50.50.0/24 meta l4proto tcp ${how}`,
  );
const unfilter = () => sh(`ip netns exec ${P}dhcp-r nft delete table inet pnprobe 2>/dev/null || true`);

describe("probes in the seed (e2e, lab host over SSH)", function () {
  this.timeout(300_000);
  const made = new Made(labConnection());

  before(() => engine("up", options()));
  after(async () => {
    try {
      await made.destroy().catch(() => undefined);
      await engine("destroy", options()).catch(() => undefined);
    } finally {
      rmSync(statePath, { force: true });
      sweep(P);
    }
  });

  it("up proves each probe: red and green reach their own VLAN's server (TCP answered by a reset), red never reaches green", () => {
    for (const c of ["r", "g"]) {
      assert.equal(observed(`${c}-server`), "reach");
      assert.equal(observed(`${c}-server-tcp`), "refused", "a closed port answers with a reset");
    }
    assert.equal(observed("red-not-green"), "blocked");
  });

  it("preview sends nothing; refresh (the control) logs in and finds every probe as it was", async () => {
    await new Promise((done) => setTimeout(done, 1500)); // idle connections close after 1 s
    const before = logins();
    const p = await engine("preview", options());
    assert.equal(p.counts.same, 23, p.lines.join("\n"));
    assert.equal(logins(), before, "no login in preview");
    const r = await engine("refresh", options());
    assert.ok(logins() > before, "refresh logged in");
    assert.equal(r.counts.same, 23, r.lines.join("\n"));
  });

  it("a drop rule in red's server namespace: refresh reports exactly red's TCP probe, up fails naming it, and passes once the rule is gone", async () => {
    filter("drop");
    try {
      const r = await engine("refresh", options());
      const changed = r.lines.filter((l) => !l.startsWith("same "));
      assert.deepEqual(changed, [`update ${T} r-server-tcp`], r.lines.join("\n"));
      const u = await runEngine("up", options());
      assert.equal(u.errors.length, 1, u.errors.join("\n"));
      assert.match(u.errors[0], /Probe "r-server-tcp": expected refused, observed blocked \(tcp from namespace \S+red/);
      assert.match(u.errors[0], /diagnosis: route 10\.50\.50\.2 dev eth0-r/);
    } finally {
      unfilter();
    }
    const u = await engine("up", options());
    assert.deepEqual(
      u.lines.filter((l) => !l.startsWith("same ")),
      [`update ${T} r-server-tcp`],
    );
    assert.equal(observed("r-server-tcp"), "refused");
  });

  it("tells blocked from refused on the same port: a reset is refused, a drop is blocked", async () => {
    filter("reject with tcp reset");
    try {
      const r = await engine("refresh", options());
      assert.equal(r.counts.same, 23, "a firewall's reset reads as refused, as the closed port did");
    } finally {
      unfilter();
    }
    filter("drop");
    try {
      const r = await engine("refresh", options());
      assert.ok(r.lines.includes(`update ${T} r-server-tcp`), r.lines.join("\n"));
    } finally {
      unfilter();
    }
    await engine("up", options());
  });

  it("examples/ci's commands: preview --diff and refresh --expect-no-changes pass on a healthy lab; a broken path fails the nightly naming its probe", async () => {
    const p = await runEngine("preview", { ...options(), diff: true, expectNoChanges: true });
    assert.deepEqual(p.errors, []);
    const ok = await runEngine("refresh", { ...options(), expectNoChanges: true });
    assert.deepEqual(ok.errors, [], "the control: nothing changed");
    filter("drop");
    try {
      const r = await runEngine("refresh", { ...options(), expectNoChanges: true });
      assert.deepEqual(r.errors, ["no changes were expected but changes occurred (22 unchanged)"]);
      assert.deepEqual(
        r.lines.filter((l) => !l.startsWith("same ")),
        [`update ${T} r-server-tcp`],
      );
    } finally {
      unfilter();
    }
    await engine("up", options());
    assert.deepEqual((await runEngine("refresh", { ...options(), expectNoChanges: true })).errors, []);
  });

  it("a wrong expectation fails naming its probe, and makes nothing", async () => {
    const owner = `urn:pulumi:test::probes::${T}::wrong`;
    await assert.rejects(
      made.create("Probe", { namespace: `${P}red`, target: "10.50.50.2", expect: "blocked", owner }),
      /Probe "wrong": expected blocked, observed reach \(icmp from namespace \S+red via eth0-r to 10\.50\.50\.2/,
    );
    assert.equal(made.all.length, 0);
  });

  it("a probe whose namespace is gone reads as gone", async () => {
    const ns = await made.create("Namespace", { name: `${P}probe-ns` });
    const probe = await made.create("Probe", { namespace: `${P}probe-ns`, target: "127.0.0.1" });
    assert.equal(probe.outs.observed, "reach", "its own loopback");
    assert.ok(await refresh(probe), "there while the namespace is");
    await made.destroyOne(ns);
    assert.equal(await refresh(probe), undefined);
  });
});
