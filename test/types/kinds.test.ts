// The one list of kinds (provider/registry.ts): every place a kind must appear is checked against it, so a kind added
// to the list and forgotten elsewhere, or added elsewhere and not to the list, fails here.
import { strict as assert } from "node:assert";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import * as index from "../../provider/index";
import { KINDS, definition } from "../../provider/registry";
import { topology } from "../../provider/graph/model";
import type { StoredResource } from "../../provider/graph/state";

const ROOT = join(__dirname, "..", "..");
/** The components the index exports beside the kinds, and the one value that is neither. */
const COMPONENTS = ["Instance", "LoadBalancer", "Network", "Overlay", "Router"];

/** A stored resource of a kind, as a stack's state holds it. */
const stored = (kind: string, name: string, inputs: Record<string, unknown>): StoredResource => ({
  urn: `urn:pulumi:dev::p::pulumi-nodejs:dynamic/netns:${kind}::${name}`,
  type: `pulumi-nodejs:dynamic/netns:${kind}`,
  custom: true,
  inputs,
  outputs: {},
  dependencies: [],
  propertyDependencies: {},
});

/** One small resource of each kind, in namespace `red` where it lives in one. */
const SAMPLE: Record<string, Record<string, unknown>> = {
  Host: { needs: ["openvswitch"] },
  Namespace: { name: "blue" },
  VethPair: { name: "eth1", namespace: "red", peerName: "veth-s" },
  OvsBridge: { name: "br9" },
  OvsPort: { bridge: "br0", name: "tap9", type: "internal", namespace: "red", tag: 9 },
  Address: { namespace: "red", device: "eth0", cidr: "10.9.9.9/24" },
  Route: { namespace: "red", destination: "10.8.0.0/16", via: "10.9.9.1" },
  DhcpServer: {
    namespace: "red",
    device: "eth0",
    subnet: "10.9.9.0/24",
    rangeStart: "10.9.9.10",
    rangeEnd: "10.9.9.20",
  },
  DhcpClient: { namespace: "red", device: "eth0" },
  Sysctl: { namespace: "red", key: "net.ipv4.ip_forward", value: "1" },
  Nat: { namespace: "red", snat: [{ source: "10.9.9.0/24", outInterface: "eth1" }] },
  Haproxy: { namespace: "red", name: "lb", vip: "10.9.9.9", listeners: [{ port: 80 }] },
  Process: { namespace: "red", name: "web", command: ["sleep", "1"] },
  Probe: { namespace: "red", target: "10.9.9.1", protocol: "tcp", port: 22 },
};

describe("the one list of kinds", () => {
  it("names each kind once, each a definition of its own name", () => {
    assert.equal(new Set(KINDS).size, KINDS.length);
    for (const k of KINDS) assert.equal(definition(k).kind, k);
  });

  it("is what the package exports, with the components and the connection schema", () => {
    assert.deepEqual(Object.keys(index).sort(), [...KINDS, ...COMPONENTS, "connectionSchema"].sort());
  });

  it("has a module for each kind's serialized provider, and none for a kind that is not in the list", () => {
    const modules = readdirSync(join(ROOT, "provider", "dynamic", "kinds")).map((f) => f.replace(/\.ts$/, ""));
    assert.deepEqual(modules.sort(), [...KINDS].sort());
    for (const k of KINDS) {
      const provider = require(join(ROOT, "provider", "dynamic", "kinds", k)) as { create?: unknown };
      assert.equal(typeof provider.create, "function", k);
    }
  });

  it("is drawn by the graph: each kind adds something to the picture of a namespace with a veth, and a bridge", () => {
    assert.deepEqual(Object.keys(SAMPLE).sort(), [...KINDS].sort(), "a sample for each kind");
    // What the graph draws in a host's cluster: the base depends on the Host, which then names the cluster.
    const host = stored("Host", "Host-x", SAMPLE.Host);
    const base = [
      stored("Namespace", "red", { name: "red" }),
      stored("OvsBridge", "br0", { name: "br0" }),
      stored("VethPair", "red", { name: "eth0", namespace: "red", peerName: "veth-r" }),
    ].map((r) => ({ ...r, dependencies: [host.urn] }));
    const drawn = (t: ReturnType<typeof topology>) => JSON.stringify({ n: t.nodes, e: t.edges, c: t.clusters });
    const without = drawn(topology(base));
    for (const k of KINDS) {
      const one = k === "Host" ? host : stored(k, `${k}-x`, SAMPLE[k]);
      assert.notEqual(drawn(topology([...base, one])), without, `${k} is not drawn`);
    }
  });
});
