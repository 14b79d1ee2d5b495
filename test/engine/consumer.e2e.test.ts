// A user's project: the packed library installed from its tarball outside the repo, run through the engine harness.
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { engine, labOptions } from "../../lab/harness";
import { EngineOptions } from "../../engine/engine";
import { RUN_PREFIX } from "../../lab/access";
import { installPacked } from "../../engine/packed";
import { sweep } from "../../lab/sweep";

const P = RUN_PREFIX;
const dir = `/tmp/${P}consumer`;

const PROGRAM = `// A small topology, written the way a user of the published package would.
const pulumi = require("@pulumi/pulumi");
const { Namespace, VethPair, Address, OvsBridge, Network, Instance } = require("pulumi-netns");
const cfg = new pulumi.Config();
const connection = {
  host: cfg.require("host"),
  port: cfg.requireNumber("port"),
  privateKey: cfg.requireSecret("privateKey"),
  hostKey: cfg.require("hostKey"),
};
const p = cfg.require("namePrefix");
const ns = new Namespace("app", { name: p + "app", connection });
const veth = new VethPair("app", { name: "eth0", namespace: ns.name, peerName: p + "app", connection });
new Address("app", { namespace: veth.namespace, device: veth.name, cidr: "10.77.0.1/24", connection });
// The components, as another project uses them: a network without DHCP and an instance with a fixed address.
const br = new OvsBridge("br", { name: p + "br", datapathType: "netdev", connection });
const net = new Network("net", { bridge: br.name, vlan: 7, subnet: "10.78.0.0/24", dhcp: false, networkId: p + "net", connection });
const vm = new Instance("vm", { network: net, namespace: p + "vm", address: "10.78.0.5/24", gateway: false, connection });
exports.vmAddress = vm.address;
`;

describe("consumer project: the packed package, installed outside the repo (e2e)", function () {
  this.timeout(300_000);
  let options: EngineOptions;
  let tarball: string;

  before(() => {
    tarball = installPacked(dir, "consumer", { "index.js": PROGRAM });
    options = labOptions(dir, "dev", join(dir, "state.json"), { namePrefix: P });
  });

  after(async () => {
    try {
      await engine("destroy", options).catch(() => undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      sweep(P);
    }
  });

  it("ships built JavaScript and type declarations only", () => {
    const files = execFileSync("tar", ["-tzf", join(dir, tarball)]).toString();
    assert.match(files, /package\/dist\/provider\/dynamic\/host\.js/);
    assert.match(files, /package\/dist\/provider\/index\.d\.ts/);
    assert.doesNotMatch(files, /package\/test\/|\.lab\//);
  });

  it("loads its provider in the user's project and builds, reads and destroys the topology", async () => {
    const up = await engine("up", options);
    assert.equal(up.counts.create, 10, "3 resources, a bridge, a Network and an Instance with its 4");
    assert.equal(up.outputs.vmAddress, "10.78.0.5/24");
    // Installed under node_modules, each provider is stored as one require() of its kind's module.
    const state = JSON.parse(readFileSync(options.statePath, "utf8")) as {
      resources: Array<{ type: string; custom: boolean; inputs: { __provider: string } }>;
    };
    for (const r of state.resources.filter((x) => x.custom)) {
      const kind = r.type.split(":").pop();
      assert.ok(r.inputs.__provider.includes(`require("pulumi-netns/dynamic/kinds/${kind}")`), r.inputs.__provider);
      assert.ok(r.inputs.__provider.length < 400, `${kind}: __provider is ${r.inputs.__provider.length} bytes`);
    }
    assert.match(execFileSync("ip", ["-n", `${P}app`, "addr", "show", "eth0"]).toString(), /inet 10\.77\.0\.1\/24/);
    assert.match(execFileSync("ip", ["-n", `${P}vm`, "addr", "show", "eth0"]).toString(), /inet 10\.78\.0\.5\/24/);
    const refresh = await engine("refresh", options);
    assert.equal(refresh.counts.same, 8, refresh.lines.join("\n"));
    // The graph command ships with the package: npx finds it in the project's node_modules/.bin.
    const drawn = execFileSync("npx", ["--no-install", "pulumi-netns", "graph", "--from", options.statePath], {
      cwd: dir,
    }).toString();
    assert.match(drawn, /^flowchart LR/);
    assert.match(drawn, new RegExp(`subgraph c\\d+\\["Instance vm"\\]\\s+n\\d+\\("${P}vm"\\)`));
    assert.match(drawn, /10\.78\.0\.5\/24 \(internal\)|↔ eth0 10\.78\.0\.5\/24/);
    const down = await engine("destroy", options);
    assert.equal(down.counts.delete, 10);
    assert.ok(!execFileSync("ip", ["netns", "list"]).toString().includes(P));
  });
});
