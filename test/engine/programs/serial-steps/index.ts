// Independent resources that register together, whose provider counts the most Check and Diff calls, and the most
// creates, in flight at once: the program behind test/engine/steps.test.ts. Touches no host.
import * as pulumi from "@pulumi/pulumi";

const cfg = new pulumi.Config();
const count = cfg.requireNumber("count");
/** Where the provider writes its counts (JSON) after each call. */
const report = cfg.require("report");

type Counts = Record<"steps" | "maxSteps" | "creates" | "maxCreates", number>;

/**
 * Counts `kind` in flight while `ms` pass. On the provider host's global object, and with its modules required at
 * call time: the serialized provider's closures are copies (docs/ARCHITECTURE.md, "How a provider is serialized and
 * loaded").
 */
async function inFlight(kind: "steps" | "creates", ms: number): Promise<void> {
  const g = globalThis as { pnCounts?: Counts };
  const c = (g.pnCounts ??= { steps: 0, maxSteps: 0, creates: 0, maxCreates: 0 });
  const max = kind === "steps" ? "maxSteps" : "maxCreates";
  c[max] = Math.max(c[max], ++c[kind]);
  await new Promise((r) => setTimeout(r, ms));
  c[kind]--;
  require("node:fs").writeFileSync(report, JSON.stringify(c));
}

const provider: pulumi.dynamic.ResourceProvider = {
  check: async (_olds, news) => {
    await inFlight("steps", 20);
    return { inputs: news };
  },
  diff: async () => {
    await inFlight("steps", 20);
    return { changes: false };
  },
  create: async (inputs) => {
    await inFlight("creates", 150);
    return { id: String(inputs.n), outs: inputs };
  },
  delete: async () => undefined,
};

class Counted extends pulumi.dynamic.Resource {
  constructor(name: string, n: number) {
    super(provider, name, { n }, {});
  }
}

for (let i = 0; i < count; i++) new Counted(`r${i}`, i);
