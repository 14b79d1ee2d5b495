// The preview floor: as many dynamic resources as the benchmark program, carrying the same inputs (its connection,
// key and owner URN included), whose provider does nothing: check and diff then cost only the SDK's dynamic-provider
// host and the engine for the same payloads (bench/run.ts compares the real program's preview with this one's).
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

const provider: pulumi.dynamic.ResourceProvider = {
  check: async (_olds, news) => ({ inputs: news }),
  diff: async () => ({ changes: false }),
  create: async (inputs) => ({ id: String(inputs.name), outs: inputs }),
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

new Noop("OvsBridge", "br", { name: `${p}br`, datapathType: "netdev" });
for (let i = 0; i < hosts; i++) {
  new Noop("Namespace", `ns${i}`, { name: `${p}h${i}` });
  new Noop("VethPair", `veth${i}`, { name: "eth0", namespace: `${p}h${i}`, peerName: `${p}v${i}` });
  new Noop("OvsPort", `port${i}`, {
    bridge: `${p}br`,
    name: `${p}v${i}`,
    tag: (i % 4094) + 1,
    checksumOffload: "auto",
  });
  new Noop("Address", `addr${i}`, {
    namespace: `${p}h${i}`,
    device: "eth0",
    cidr: `10.${100 + (i >> 8)}.${i & 255}.1/24`,
  });
}
