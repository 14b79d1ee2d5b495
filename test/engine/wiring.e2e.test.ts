// Programs as the real engine runs them: computed outputs wired into dependents, nested components, a bad resource
// in the middle of a program, cross-field checks in preview, and a --replace of a deleteBeforeReplace resource.
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runEngine } from "../../engine/engine";
import { REPO, cleanUp, engine, labOptions } from "../../lab/harness";
import { ResourceState } from "../../engine/state";
import { RUN_PREFIX } from "../../lab/access";
import { tcpWorks } from "../helpers/tcp";
import { alive } from "../helpers/proc";
import { recordPath } from "../../provider/ownership/records";

const P = `${RUN_PREFIX.slice(0, -1)}w-`;
const T = "pulumi-nodejs:dynamic/netns:";
const sh = (cmd: string) => execFileSync("/bin/sh", ["-c", cmd], { stdio: ["ignore", "pipe", "pipe"] }).toString();
const namespaces = () =>
  sh("ip netns list | awk '{print $1}'")
    .split("\n")
    .filter((n) => n.startsWith(P));

const options = (statePath: string, extra: Record<string, string> = {}) =>
  labOptions(join(REPO, "test", "engine", "programs", "wiring"), "test", statePath, { namePrefix: P, ...extra });

const stateOf = (path: string) => JSON.parse(readFileSync(path, "utf8")).resources as ResourceState[];

describe("programs through the real entry (e2e, lab host over SSH)", function () {
  this.timeout(300_000);
  const o = options(`/tmp/${P}wiring.json`);
  after(() => cleanUp(o, P));

  it("preview runs every cross-field rule that known values allow, while the resources they read are unknown", async () => {
    const s = await runEngine("preview", options(`/tmp/${P}preview.json`, { rangeStart: "10.61.9.1" }));
    const urn = `urn:pulumi:test::pulumi-netns-wiring::${T}DhcpServer::srv`;
    assert.ok(
      s.errors.some((e) => e.startsWith(`${urn}: `) && e.includes("rangeStart: must lie inside subnet 10.61.0.0/24")),
      s.errors.join("\n"),
    );
    // Its namespace, interface and a static host's MAC come from resources not yet made: unknown here.
    // Everything but the server and the four resources that read its outputs: 5 resources and 2 components.
    assert.equal(s.counts.create, 7, s.lines.join("\n"));
    assert.deepEqual(namespaces(), [], "preview touched nothing");
  });

  it("wires computed outputs: a static lease for the veth's kernel MAC and a route via the leased gateway, in one up", async () => {
    const s = await engine("up", o);
    assert.equal(s.counts.create, 12, "10 resources and 2 components");
    assert.equal(s.outputs.clientAddress, "10.61.0.50/24", "the static host matched the kernel's MAC");
    assert.match(sh(`ip -n ${P}cli -4 addr show dev c0`), /inet 10\.61\.0\.50\/24/);
    assert.match(sh(`ip -n ${P}cli route show 10.62.0.0/16`), /via 10\.61\.0\.1 dev c0/);
    assert.ok(await tcpWorks(`${P}srv`, "10.61.0.1", `${P}cli`), "TCP from the client to the server's address");
  });

  it("gives children of a component two levels deep the Go engine's URNs, and marks their objects with them", async () => {
    const urn = `urn:pulumi:test::pulumi-netns-wiring::netnstest:index:Site$netnstest:index:Rack$${T}Namespace::site-rack-ns`;
    const ns = stateOf(o.statePath).find((r) => r.urn === urn);
    assert.ok(ns, `state holds ${urn}`);
    assert.equal(ns.outputs.owner, urn, "the resource's own URN (pulumi.createUrn) is the engine's");
    assert.equal(readFileSync(recordPath("Namespace", `${P}deep`), "utf8").split("\n")[0], urn);
    const rack = stateOf(o.statePath).find((r) => r.name === "site-rack")!;
    assert.equal(
      rack.urn,
      "urn:pulumi:test::pulumi-netns-wiring::netnstest:index:Site$netnstest:index:Rack::site-rack",
    );
    assert.equal(ns.parent, rack.urn);
  });

  it("--replace of a deleteBeforeReplace resource deletes first and the client leases again", async () => {
    const urn = `urn:pulumi:test::pulumi-netns-wiring::${T}DhcpClient::cli`;
    const before = stateOf(o.statePath).find((r) => r.urn === urn)!;
    const s = await engine("up", { ...o, replace: [urn] });
    assert.equal(s.counts.replace, 1, s.lines.join("\n"));
    const after = stateOf(o.statePath).find((r) => r.urn === urn)!;
    assert.notEqual(after.outputs.pid, before.outputs.pid, "a new dhclient");
    assert.notEqual(after.outputs.generation, before.outputs.generation, "a new generation");
    assert.match(sh(`ip -n ${P}cli -4 addr show dev c0`), /inet 10\.61\.0\.50\/24/);
    assert.ok(await tcpWorks(`${P}srv`, "10.61.0.1", `${P}cli`));
  });

  it("takes a stack written before DhcpServer's and DhcpClient's `interface` became `device`, and a program that still says `interface`", async () => {
    const dhcp = [`${T}DhcpServer::srv`, `${T}DhcpClient::cli`];
    // The state as the version before the rename wrote it: `interface`, no `device`.
    const asBefore = () => {
      const file = JSON.parse(readFileSync(o.statePath, "utf8")) as { resources: ResourceState[] };
      const rewritten = file.resources.filter((r) => dhcp.some((d) => r.urn.endsWith(d)));
      assert.equal(rewritten.length, 2);
      for (const r of rewritten)
        for (const props of [r.inputs, r.outputs]) {
          // A refresh keeps the inputs as they were: those may hold the old name already.
          props.interface = props.device ?? props.interface;
          delete props.device;
          assert.match(String(props.interface), /^[sc]0$/, `${r.urn} holds the device`);
        }
      writeFileSync(o.statePath, JSON.stringify(file));
    };
    const old = options(o.statePath, { oldNames: "true" });
    const unchanged = (s: { counts: Record<string, number> }) =>
      s.counts.create + s.counts.update + s.counts.replace + s.counts.delete + s.counts.gone;

    asBefore();
    const refreshed = await engine("refresh", old);
    assert.equal(unchanged(refreshed), 0, refreshed.lines.join("\n"));
    assert.equal(refreshed.counts.same, 10, "every resource read as it is");
    const client = stateOf(o.statePath).find((r) => r.urn.endsWith(dhcp[1]))!;
    assert.deepEqual([client.outputs.device, client.outputs.interface], ["c0", "c0"], "both names, one value");
    // c0 also holds the `extra` Address, listed before the lease since the replacement above: the lease's is found.
    assert.match(sh(`ip -n ${P}cli -4 -o addr show dev c0`), /10\.63\.0\.1\/24[\s\S]*10\.61\.0\.50\/24/);
    assert.equal(client.outputs.address, "10.61.0.50/24", "the leased address, not the first one on the device");

    asBefore();
    const previewed = await engine("preview", old);
    assert.equal(unchanged(previewed), 0, previewed.lines.join("\n"));
    const up = await engine("up", old);
    assert.equal(unchanged(up), 0, up.lines.join("\n"));
    assert.equal((await engine("up", o)).counts.same, 12, "the program under the new name changes nothing either");

    // A delete given the old state: the client is replaced (deleteBeforeReplace), its old dhclient stopped.
    asBefore();
    const before = stateOf(o.statePath).find((r) => r.urn.endsWith(dhcp[1]))!;
    const replaced = await engine("up", { ...o, replace: [before.urn] });
    assert.equal(replaced.counts.replace, 1, replaced.lines.join("\n"));
    const pid = Number(before.outputs.pid);
    assert.ok(!alive(pid), "the old dhclient is stopped");
    const after = stateOf(o.statePath).find((r) => r.urn === before.urn)!;
    assert.ok(alive(Number(after.outputs.pid)), "the new one runs (control)");
    assert.match(sh(`ip -n ${P}cli -4 addr show dev c0`), /inet 10\.61\.0\.50\/24/);
    assert.ok(await tcpWorks(`${P}srv`, "10.61.0.1", `${P}cli`));
  });

  it("honours ignoreChanges, aliases, --target and --diff", async () => {
    const ignored = await engine("up", {
      ...o,
      config: { ...o.config, rangeEnd: "10.61.0.160", ignoreRangeEnd: "true" },
    });
    assert.equal(ignored.counts.update, 0, "an ignored change is no change");
    const lines: string[] = [];
    const targeted = await engine("up", {
      ...o,
      config: { ...o.config, rangeEnd: "10.61.0.160" },
      target: [`urn:pulumi:test::pulumi-netns-wiring::${T}Route::extra`],
      diff: true,
      log: (l) => lines.push(l),
    });
    assert.equal(targeted.counts.update, 0, "the server is not targeted");
    const changed = await engine("up", {
      ...o,
      config: { ...o.config, rangeEnd: "10.61.0.160" },
      diff: true,
      log: (l) => lines.push(l),
    });
    assert.equal(changed.counts.update, 1);
    assert.ok(lines.includes('    ~ rangeEnd: "10.61.0.150" => "10.61.0.160"'), lines.join("\n"));
    const renamed = await engine("up", {
      ...o,
      config: { ...o.config, rangeEnd: "10.61.0.160", renameClient: "true" },
    });
    assert.equal(renamed.counts.create + renamed.counts.replace + renamed.counts.delete, 0, renamed.lines.join("\n"));
    assert.ok(
      stateOf(o.statePath).some((r) => r.urn.endsWith(`${T}Namespace::client`)),
      "the state follows the alias",
    );
    await engine("up", o);
  });

  it("honours protect and retainOnDelete on destroy", async () => {
    await engine("up", { ...o, config: { ...o.config, protectServer: "true", retainDeep: "true" } });
    const d = await runEngine("destroy", o);
    assert.ok(
      d.errors.some((e) => /Namespace::srv: unable to delete resource .* protection/.test(e)),
      d.errors.join("\n"),
    );
    assert.ok(namespaces().includes(`${P}srv`), "the protected namespace stays");
    await engine("up", { ...o, config: { ...o.config, retainDeep: "true" } });
    await engine("destroy", o);
    assert.deepEqual(namespaces(), [`${P}deep`], "only the retained namespace is left on the host");
    sh(`ip netns del ${P}deep`);
  });

  it("a bad resource in the middle fails itself and its dependents; the others are made; fixed, the next up converges", async () => {
    await engine("destroy", o);
    const bad = await runEngine("up", options(o.statePath, { extraCidr: "10.63.0.300/24" }));
    const extra = `urn:pulumi:test::pulumi-netns-wiring::${T}Address::extra`;
    assert.ok(
      bad.errors.some((e) => e.startsWith(`${extra}: cidr:`)),
      bad.errors.join("\n"),
    );
    const urns = stateOf(o.statePath).map((r) => r.urn);
    assert.ok(!urns.includes(extra) && !urns.some((u) => u.endsWith("Route::extra")), "neither it nor its dependent");
    assert.equal(bad.counts.create, 10, "everything that does not depend on it: 8 resources, 2 components");
    assert.doesNotMatch(sh(`ip -n ${P}cli route show`), /10\.64\.0\.0/);
    assert.match(sh(`ip -n ${P}cli -4 addr show dev c0`), /inet 10\.61\.0\.50\/24/);

    const fixed = await engine("up", o);
    assert.deepEqual([fixed.counts.create, fixed.counts.same], [2, 10]);
    assert.match(sh(`ip -n ${P}cli route show 10.64.0.0/16`), /dev c0/);
    const again = await engine("up", o);
    assert.equal(again.counts.same, 12);

    // Bad again, now that both exist: the failed resource and its skipped dependent keep their old state.
    const badAgain = await runEngine("up", options(o.statePath, { extraCidr: "10.63.0.300/24" }));
    assert.ok(
      badAgain.errors.some((e) => e.startsWith(`${extra}: cidr:`)),
      badAgain.errors.join("\n"),
    );
    const kept = stateOf(o.statePath).map((r) => r.urn);
    assert.ok(kept.includes(extra) && kept.some((u) => u.endsWith("Route::extra")), "old state kept");
    assert.equal((await engine("up", o)).counts.same, 12);
    rmSync(`/tmp/${P}preview.json`, { force: true });
  });
});
