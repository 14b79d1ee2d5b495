// The preview floor: 4N + 1 dynamic resources whose provider does nothing, so check and diff cost only the SDK's
// dynamic-provider host and the engine (bench/run.ts compares the real program's preview with this one's).
import * as pulumi from "@pulumi/pulumi";

const hosts = new pulumi.Config().requireNumber("hosts");

const provider: pulumi.dynamic.ResourceProvider = {
  check: async (_olds, news) => ({ inputs: news }),
  diff: async () => ({ changes: false }),
  create: async (inputs) => ({ id: String(inputs.name), outs: inputs }),
  delete: async () => undefined,
};

class Noop extends pulumi.dynamic.Resource {
  constructor(name: string, props: Record<string, unknown>) {
    super(provider, name, props);
  }
}

new Noop("br", { name: "br" });
for (let i = 0; i < hosts; i++)
  for (const kind of ["ns", "veth", "port", "addr"])
    new Noop(`${kind}${i}`, { name: `${kind}${i}`, tag: (i % 4094) + 1 });
