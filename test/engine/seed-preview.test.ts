// The seed program through the real entry in preview: its resources, dependency graph, secret connection and small
// key-free providers, with no host touched (preview only checks and diffs).
import { strict as assert } from "node:assert";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { UNKNOWN } from "../../provider/dynamic/unknown";
import { runEngine } from "../../engine/engine";
import { REPO } from "../../lab/harness";
import { Registration } from "../../engine/monitor";

const CANARY_KEY =
  "-----BEGIN OPENSSH PRIVATE KEY-----\ncanary-key-material-7f3a9c\n-----END OPENSSH PRIVATE KEY-----\n";

type Seen = Registration & { urn: string };

describe("seed example in preview through the real entry", function () {
  this.timeout(60_000);
  const regs: Seen[] = [];
  const statePath = `/tmp/pn-seed-preview-${process.pid}.json`;
  const find = (type: string, name: string) => {
    const r = regs.find((x) => x.type === `pulumi-nodejs:dynamic/netns:${type}` && x.name === name);
    assert.ok(r, `${type} ${name} registered`);
    return r;
  };
  const dependsOn = (from: Seen, to: Seen) =>
    assert.ok(from.dependencies.includes(to.urn), `${from.name} (${from.type}) depends on ${to.name} (${to.type})`);

  before(async () => {
    const s = await runEngine("preview", {
      projectDir: REPO,
      stack: "preview",
      statePath,
      // An address nobody listens on: preview must not dial it.
      config: { host: "127.0.0.1", port: "9", privateKey: CANARY_KEY, hostKey: "SHA256:x", namePrefix: "pv-" },
      secretConfig: ["privateKey"],
      log: () => undefined,
      onRegister: (urn, r) => regs.push({ ...r, urn }),
    });
    assert.deepEqual(s.errors, []);
    rmSync(statePath, { force: true });
  });

  it("registers the seed topology: the host and 22 resources with netns type tokens, under the root stack", () => {
    const custom = regs.filter((r) => r.custom);
    const names = custom.map((r) => `${r.type.split(":").pop()}/${r.name}`).sort();
    assert.deepEqual(names, [
      "Address/tap-g",
      "Address/tap-r",
      "DhcpClient/g",
      "DhcpClient/r",
      "DhcpServer/dhcp-g",
      "DhcpServer/dhcp-r",
      "Host/host",
      "Namespace/dhcp-g",
      "Namespace/dhcp-r",
      "Namespace/g",
      "Namespace/r",
      "OvsBridge/ovs1",
      "OvsPort/tap-g",
      "OvsPort/tap-r",
      "OvsPort/veth-g",
      "OvsPort/veth-r",
      "Probe/g-server",
      "Probe/g-server-tcp",
      "Probe/r-server",
      "Probe/r-server-tcp",
      "Probe/red-not-green",
      "VethPair/g",
      "VethPair/r",
    ]);
    for (const r of custom) {
      assert.match(r.type, /^pulumi-nodejs:dynamic\/netns:/);
      assert.equal(r.urn, `urn:pulumi:preview::pulumi-netns-seed::${r.type}::${r.name}`);
    }
  });

  it("wires the graph through outputs, every resource after the host it takes", () => {
    const host = find("Host", "host");
    for (const r of regs.filter((x) => x.custom && x !== host)) dependsOn(r, host);
    for (const c of ["r", "g"]) {
      dependsOn(find("OvsPort", `tap-${c}`), find("OvsBridge", "ovs1"));
      dependsOn(find("OvsPort", `tap-${c}`), find("Namespace", `dhcp-${c}`));
      dependsOn(find("Address", `tap-${c}`), find("OvsPort", `tap-${c}`));
      dependsOn(find("DhcpServer", `dhcp-${c}`), find("Address", `tap-${c}`));
      dependsOn(find("VethPair", c), find("Namespace", c));
      dependsOn(find("OvsPort", `veth-${c}`), find("VethPair", c));
      dependsOn(find("OvsPort", `veth-${c}`), find("OvsBridge", "ovs1"));
      dependsOn(find("DhcpClient", c), find("DhcpServer", `dhcp-${c}`));
      dependsOn(find("DhcpClient", c), find("OvsPort", `veth-${c}`));
      dependsOn(find("DhcpClient", c), find("VethPair", c));
      for (const p of [`${c}-server`, `${c}-server-tcp`]) {
        dependsOn(find("Probe", p), find("Namespace", c));
        dependsOn(find("Probe", p), find("DhcpClient", c));
      }
    }
    // Red's probe of green takes green's leased address: it waits for both clients.
    dependsOn(find("Probe", "red-not-green"), find("DhcpClient", "r"));
    dependsOn(find("Probe", "red-not-green"), find("DhcpClient", "g"));
    assert.equal(find("OvsPort", "veth-r").inputs.tag, 100);
    assert.equal(find("OvsPort", "tap-g").inputs.type, "internal");
    // The datapath comes from the host, which preview does not touch.
    assert.equal(find("OvsBridge", "ovs1").inputs.datapathType, UNKNOWN);
  });

  it("keeps the connection secret: the host's input, and the host's output the others take", () => {
    for (const r of regs.filter((x) => x.custom)) {
      assert.deepEqual(r.secretKeys, ["connection"], `${r.name}: only the connection is secret`);
      // Preview shows the host's inputs as its outputs, so the others see its connection too.
      assert.equal((r.inputs.connection as { privateKey: string }).privateKey, CANARY_KEY, r.name);
    }
  });

  it("serializes every provider small and free of key material", () => {
    for (const r of regs.filter((x) => x.custom)) {
      const text = String(r.inputs.__provider);
      assert.ok(text.length > 0 && text.length < 4096, `${r.name}: __provider is ${text.length} bytes`);
      assert.ok(
        !text.includes("canary-key-material") && !text.includes("PRIVATE KEY"),
        `${r.name}: no key in __provider`,
      );
      assert.match(text, /"pulumi-netns\/dynamic\/host"/);
      // Nothing ties it to this checkout: it resolves the package from the project directory at call time.
      assert.ok(!text.includes(REPO), `${r.name}: no absolute path in __provider`);
    }
  });

  it("needs no link of the package to itself: state written here survives npm ci --omit=dev and a moved checkout", () => {
    assert.equal(existsSync(join(REPO, "node_modules", "pulumi-netns")), false, "no node_modules/pulumi-netns");
    assert.equal(
      JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")).devDependencies["pulumi-netns"],
      undefined,
    );
  });
});
