// The graph command and model on hand-made stacks: stack exports and harness files, other providers' resources,
// secrets, malformed JSON, bad arguments, several hosts and tunnels. (Real stacks: graph.e2e.test.ts.)
import { strict as assert } from "node:assert";
import { main, parseArgs } from "../../provider/graph/cli";
import { topology } from "../../provider/graph/model";
import { resourcesOf } from "../../provider/graph/state";

const stack = "urn:pulumi:dev::proj::";
const ns = (name: string, extra: Record<string, unknown> = {}) => ({
  urn: `${stack}pulumi-nodejs:dynamic/netns:Namespace::${name}`,
  type: "pulumi-nodejs:dynamic/netns:Namespace",
  custom: true,
  inputs: { name },
  outputs: { name, ...extra },
});
const bucket = {
  urn: `${stack}aws:s3/bucket:Bucket::logs`,
  type: "aws:s3/bucket:Bucket",
  custom: true,
  inputs: { bucket: "logs" },
  outputs: {},
};
const exportOf = (resources: unknown[]) => ({ version: 3, deployment: { manifest: {}, resources } });

/** Runs the command with `doc` on standard input; returns its exit code, output and error text. */
async function run(argv: string[], input: string) {
  const [out, err] = [[] as string[], [] as string[]];
  const [w1, w2] = [process.stdout.write, process.stderr.write];
  process.stdout.write = ((s: string) => out.push(s) > 0) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => err.push(s) > 0) as typeof process.stderr.write;
  try {
    const code = await main(argv, () => input);
    return { code, out: out.join(""), err: err.join("") };
  } finally {
    [process.stdout.write, process.stderr.write] = [w1, w2];
  }
}

describe("graph command", () => {
  it("draws ours from a stack export that also holds other providers' resources", async () => {
    const r = await run(["graph"], JSON.stringify(exportOf([bucket, ns("red")])));
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^flowchart LR/);
    assert.match(r.out, /"red"/);
    assert.doesNotMatch(r.out, /logs|Bucket/);
  });

  it("says there is nothing to draw when no resource is ours, or the stack is empty", async () => {
    const other = await run(["graph"], JSON.stringify(exportOf([bucket])));
    assert.equal(other.code, 1);
    assert.equal(other.out, "");
    assert.match(
      other.err,
      /nothing to draw: standard input holds no pulumi-netns namespace, bridge or link \(1 resources in all\)/,
    );
    const empty = await run(["graph", "--format", "dot"], JSON.stringify({ version: 3, deployment: { manifest: {} } }));
    assert.equal(empty.code, 1);
    assert.match(empty.err, /nothing to draw/);
  });

  it("names the line and column of malformed JSON, and refuses JSON that is no stack", async () => {
    await assert.rejects(
      run(["graph"], '{\n  "version": 3,\n  "deployment": {,}\n}'),
      /standard input is not valid JSON: .* at line 3, column 18/,
    );
    await assert.rejects(run(["graph"], '{"version": 3'), /not valid JSON: .* at line 1, column 14/);
    await assert.rejects(
      run(["graph"], "[1, 2]"),
      /neither a `pulumi stack export` \(deployment.resources\) nor an engine harness state file/,
    );
    await assert.rejects(
      run(["graph"], JSON.stringify({ resources: [{ type: "x" }] })),
      /resource 0 has no urn or type/,
    );
  });

  it("never shows a secret: marked values in an export and the harness's secretKeys are dropped", () => {
    const sig = "4dabf18193072939515e22adb298388d";
    const shown = { [sig]: "1b47061264138c4ac30d75fd1eb44270", plaintext: '{"privateKey":"-----BEGIN KEY-----"}' };
    const [fromExport] = resourcesOf(exportOf([ns("red", { connection: shown })]), "x");
    assert.equal(fromExport.outputs.connection, undefined);
    const [fromHarness] = resourcesOf(
      { resources: [{ ...ns("red", { env: { A: "s3cret" } }), secretKeys: ["env"] }] },
      "x",
    );
    assert.equal(fromHarness.outputs.env, undefined);
    const t = topology([fromExport, fromHarness]);
    assert.doesNotMatch(JSON.stringify(t), /BEGIN KEY|s3cret/);
  });

  it("refuses unknown commands, options and formats with the usage", () => {
    assert.throws(() => parseArgs(["draw"]), /unknown command "draw"\nusage: pulumi-netns graph/);
    assert.throws(
      () => parseArgs(["graph", "--format", "png"]),
      /--format must be one of mermaid, dot, svg, html, not "png"/,
    );
    assert.throws(() => parseArgs(["graph", "--from"]), /--from needs a value/);
    assert.throws(() => parseArgs(["graph", "--color"]), /unknown option "--color"/);
    assert.deepEqual(parseArgs(["graph", "--from", "s.json", "--format", "svg", "-o", "t.svg"]), {
      from: "s.json",
      format: "svg",
      out: "t.svg",
    });
  });
});

describe("graph model", () => {
  const res = (kind: string, name: string, outputs: Record<string, unknown>, host?: string) => ({
    urn: `${stack}pulumi-nodejs:dynamic/netns:${kind}::${name}`,
    type: `pulumi-nodejs:dynamic/netns:${kind}`,
    custom: true,
    inputs: {},
    outputs,
    dependencies: host ? [`${stack}pulumi-nodejs:dynamic/netns:Host::${host}`] : [],
    propertyDependencies: {},
  });
  const hosts = ["a", "b", "c"].map((h) => res("Host", h, { datapathType: "netdev" }));
  const br = (h: string) => res("OvsBridge", `br-${h}`, { name: "br0" }, h);
  const vx = (h: string, name: string, key: number, remoteIp: string) =>
    res("OvsPort", `${h}-${name}`, { bridge: "br0", name, type: "vxlan", key, remoteIp }, h);

  it("puts each host in its own cluster, and draws tunnels of one key bridge to bridge between each pair of hosts", () => {
    const t = topology([
      ...hosts,
      br("a"),
      br("b"),
      br("c"),
      vx("a", "vx-ab", 100, "192.0.2.2"),
      vx("b", "vx-ba", 100, "192.0.2.1"),
      vx("a", "vx-ac", 7, "192.0.2.3"),
      vx("a", "vx200", 200, "192.0.2.2"),
      vx("b", "vx200", 200, "192.0.2.1"),
      vx("c", "vx200", 200, "192.0.2.1"),
    ]);
    assert.deepEqual(
      t.clusters.map((c) => c.label),
      ["Host a (netdev datapath)", "Host b (netdev datapath)", "Host c (netdev datapath)"],
    );
    const bridges = t.nodes.filter((n) => n.kind === "bridge");
    assert.equal(bridges.length, 3, "the same bridge name on three hosts: three bridges");
    const pair = t.edges.find((e) => e.lines[0] === "vx-ab ↔ vx-ba (vxlan key 100)");
    assert.ok(pair, JSON.stringify(t.edges));
    assert.equal(pair.kind, "tunnel");
    assert.notEqual(pair.from, pair.to);
    // Key 7 has one end only: it points at its remote address.
    const lone = t.edges.find((e) => e.lines[0] === "vx-ac (vxlan key 7)");
    assert.deepEqual(lone?.lines, ["vx-ac (vxlan key 7)", "to 192.0.2.3"]);
    assert.equal(t.nodes.find((n) => n.id === lone.to)?.kind, "remote");
    const mesh = t.edges.filter((e) => e.lines[0] === "vx200 ↔ vx200 (vxlan key 200)");
    assert.equal(mesh.length, 3, "three hosts on key 200: a-b, a-c, b-c");
    assert.equal(new Set(mesh.map((e) => [e.from, e.to].sort().join())).size, 3);
    assert.equal(t.edges.length, 5);
  });
});
