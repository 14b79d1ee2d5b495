// The engine's floor: as many dynamic resources as the benchmark program, carrying the same inputs (its connection,
// key and owner URN included) and waiting for each other's outputs as its resources do, whose provider does nothing:
// up, preview and destroy then cost only the program's registrations, the engine and the SDK's dynamic-provider host
// for the same payloads, arriving in the same order (bench/run.ts compares the real program's verbs with these).
import * as pulumi from "@pulumi/pulumi";

const cfg = new pulumi.Config();
const hosts = cfg.requireNumber("hosts");
const p = cfg.require("namePrefix");
const connection = cfg.get("host")
  ? {
      host: cfg.require("host"),
      port: cfg.requireNumber("port"),
      privateKey: cfg.requireSecret("privateKey"),
      hostKey: cfg.require("hostKey"),
    }
  : undefined;

/**
 * With config `burst` (a shell script), the provider with no cost of its own that still does the host's work: its
 * first create starts the script (bench/run.ts gives it the floor's whole up), no create waits for it but the last,
 * which returns only once the script has succeeded, so the up cannot end before the host's work is done.
 */
const burst = cfg.get("burst");
const total = 4 * hosts + 1;
const afterBurst = async (): Promise<void> => {
  // On the provider host's global object: one count for the host, whatever copies of its closure the serialized
  // provider holds. The module is required at call time for the same reason (docs/ARCHITECTURE.md, "How a provider
  // is serialized and loaded").
  const g = globalThis as { pnBurst?: { started: number; done: Promise<void> } };
  if (!g.pnBurst) {
    const child = require("node:child_process").spawn("sh", [burst], { stdio: "ignore" });
    const done = new Promise<void>((resolve, reject) =>
      child.on("exit", (code: number | null) => (code === 0 ? resolve() : reject(new Error(`${burst}: exit ${code}`)))),
    );
    // Only the last create awaits it: a failure before then must not go unhandled in the provider's host.
    done.catch(() => undefined);
    g.pnBurst = { started: 0, done };
  }
  if (++g.pnBurst.started === total) await g.pnBurst.done;
};

const provider: pulumi.dynamic.ResourceProvider = {
  check: async (_olds, news) => ({ inputs: news }),
  diff: async () => ({ changes: false }),
  create: async (inputs) => {
    if (burst) await afterBurst();
    return { id: String(inputs.name), outs: inputs };
  },
  delete: async () => undefined,
};

class Noop extends pulumi.dynamic.Resource {
  constructor(kind: string, name: string, props: Record<string, unknown>) {
    const owner = `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::pulumi-nodejs:dynamic/netns:${kind}::${name}`;
    super(
      provider,
      name,
      { ...props, connection: connection && pulumi.secret(connection), owner },
      {
        additionalSecretOutputs: ["connection"],
      },
    );
  }
}

/**
 * An output of a no-op resource. Dependents wait for it as the benchmark program's do: a resource registers only once
 * its inputs resolve, which at N=1000 spreads the calls out and nearly doubles the preview's in-flight time.
 */
const out = (r: Noop, key: string) => (r as unknown as Record<string, pulumi.Output<string>>)[key];

const bridge = new Noop("OvsBridge", "br", { name: `${p}br`, datapathType: "netdev" });
for (let i = 0; i < hosts; i++) {
  const ns = new Noop("Namespace", `ns${i}`, { name: `${p}h${i}` });
  const veth = new Noop("VethPair", `veth${i}`, { name: "eth0", namespace: out(ns, "name"), peerName: `${p}v${i}` });
  new Noop("OvsPort", `port${i}`, {
    bridge: out(bridge, "name"),
    name: out(veth, "peerName"),
    tag: (i % 4094) + 1,
    checksumOffload: "auto",
  });
  new Noop("Address", `addr${i}`, {
    namespace: out(ns, "name"),
    device: out(veth, "name"),
    cidr: `10.${100 + (i >> 8)}.${i & 255}.1/24`,
  });
}
