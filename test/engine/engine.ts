// The engine harness: replays what `pulumi up|preview|refresh|destroy` asks of the dynamic-provider host, over gRPC.
import { execFileSync } from "node:child_process";
import { cpus } from "node:os";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { runDag } from "./dag";
import { ProviderHost } from "./provider-host";
import { ResourceState, loadState, saveState } from "./state";

export type Verb = "up" | "preview" | "refresh" | "destroy";
export type Status = "create" | "update" | "replace" | "delete" | "same" | "gone";
type Props = Record<string, unknown>;

/** The engine's placeholder for a value not known during preview. */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export interface Registration {
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  inputs: Props;
  secretKeys: string[];
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
}

export interface EngineOptions {
  /** The directory holding Pulumi.yaml: the provider host runs here, as under the CLI. */
  projectDir: string;
  /** The program to run (a directory with index.ts, or a file). */
  program: string;
  project: string;
  stack: string;
  statePath: string;
  config: Record<string, string>;
  secretConfig: string[];
  /** Resource operations at once; Pulumi's default is 4 x CPU cores. */
  parallel?: number;
  log?: (line: string) => void;
}

export interface Summary {
  verb: Verb;
  counts: Record<Status, number>;
  errors: string[];
  peakRssMb: number;
  lines: string[];
  /** Seconds spent running the program under mocks (Pulumi's language host does this part). */
  captureSeconds: number;
  /** Seconds from the provider host being ready to the last resource operation. */
  operationSeconds: number;
}

/** Runs the program under mocks in a child process and returns its custom-resource registrations. */
export function captureRegistrations(o: EngineOptions): Registration[] {
  const config = Object.fromEntries(Object.entries(o.config).map(([k, v]) => [`${o.project}:${k}`, v]));
  const out = execFileSync(
    process.execPath,
    [
      "-r",
      require.resolve("ts-node/register/transpile-only"),
      join(__dirname, "capture-child.ts"),
      o.program,
      o.project,
      o.stack,
    ],
    {
      cwd: o.projectDir,
      env: {
        ...process.env,
        PULUMI_CONFIG: JSON.stringify(config),
        PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(o.secretConfig.map((k) => `${o.project}:${k}`)),
        TS_NODE_PROJECT: join(__dirname, "..", "..", "tsconfig.json"),
      },
      stdio: ["ignore", "pipe", "inherit"],
      maxBuffer: 256 * 1024 * 1024,
    },
  );
  return (JSON.parse(out.toString()) as Registration[]).filter((r) => r.custom);
}

/** Inputs as the engine sends them in a preview: properties fed by not-yet-known outputs become unknown. */
function withUnknowns(reg: Registration, unknownUrns: Set<string>): Props {
  const news = { ...reg.inputs };
  for (const [prop, urns] of Object.entries(reg.propertyDependencies)) {
    if (urns.some((u) => unknownUrns.has(u))) news[prop] = UNKNOWN;
  }
  return news;
}

function failuresText(failures: Array<{ property: string; reason: string }>): string {
  return failures.map((f) => `${f.property}: ${f.reason}`).join("; ");
}

export async function runEngine(verb: Verb, o: EngineOptions): Promise<Summary> {
  const log = o.log ?? ((l: string) => console.log(l));
  const parallel = o.parallel ?? 4 * cpus().length;
  const state = loadState(o.statePath);
  const byUrn = new Map(state.resources.map((r) => [r.urn, r]));
  const counts: Record<Status, number> = { create: 0, update: 0, replace: 0, delete: 0, same: 0, gone: 0 };
  const lines: string[] = [];
  const errors: string[] = [];
  const report = (status: Status, type: string, name: string) => {
    counts[status]++;
    const line = `${status} ${type} ${name}`;
    lines.push(line);
    log(line);
  };
  // Checkpoints are coalesced: writing the whole state after each of hundreds of operations costs O(N^2).
  let pendingSave: NodeJS.Timeout | undefined;
  const flush = () => {
    clearTimeout(pendingSave);
    pendingSave = undefined;
    state.resources = [...byUrn.values()];
    if (verb !== "preview") saveState(o.statePath, state);
  };
  const save = () => {
    pendingSave ??= setTimeout(flush, 200);
  };
  const fail = (what: string, e: Error) => errors.push(`${what}: ${e.message}`);

  const captureStart = Date.now();
  const regs = verb === "up" || verb === "preview" ? captureRegistrations(o) : [];
  const captureSeconds = (Date.now() - captureStart) / 1000;
  const host = await ProviderHost.start(o.projectDir);
  const operationStart = Date.now();
  let peakRssMb: number;
  try {
    if (verb === "refresh") {
      const failed = await runDag(
        [...byUrn.values()],
        (r) => r.urn,
        () => [],
        parallel,
        async (r) => {
          const read = await host.read(r.id, r.urn, r.outputs, r.inputs);
          if (!read.id) {
            byUrn.delete(r.urn);
            report("gone", r.type, r.name);
          } else {
            report(isDeepStrictEqual(read.props, r.outputs) ? "same" : "update", r.type, r.name);
            byUrn.set(r.urn, { ...r, outputs: read.props });
          }
          save();
        },
      );
      failed.forEach((e, urn) => fail(urn, e));
    } else if (verb === "destroy") {
      await deleteAll([...byUrn.values()], "delete");
    } else {
      await upOrPreview();
    }
  } finally {
    flush();
    peakRssMb = host.peakRssMb();
    host.stop();
  }
  const operationSeconds = (Date.now() - operationStart) / 1000;
  return { verb, counts, errors, peakRssMb, lines, captureSeconds, operationSeconds };

  /** Deletes resources, each only after everything that depends on it. */
  async function deleteAll(targets: ResourceState[], status?: Status): Promise<void> {
    const urns = new Set(targets.map((t) => t.urn));
    const dependents = new Map<string, string[]>();
    for (const t of targets)
      for (const d of t.dependencies) if (urns.has(d)) dependents.set(d, [...(dependents.get(d) ?? []), t.urn]);
    const failed = await runDag(
      targets,
      (t) => t.urn,
      (t) => dependents.get(t.urn) ?? [],
      parallel,
      async (t) => {
        await host.delete(t.id, t.urn, t.outputs);
        byUrn.delete(t.urn);
        if (status) report(status, t.type, t.name);
        save();
      },
    );
    failed.forEach((e, urn) => fail(urn, e));
  }

  async function upOrPreview(): Promise<void> {
    // Plan: check and diff every resource (no host access), propagating unknowns from what will be (re)created.
    type Plan = { reg: Registration; old?: ResourceState; action: Status; deleteFirst: boolean };
    const planned = new Map<string, Plan>();
    const unknownUrns = new Set<string>();
    // In dependency order, in parallel: a resource is planned once everything it depends on is.
    const planFailures = await runDag(
      regs,
      (r) => r.urn,
      (r) => r.dependencies,
      parallel,
      async (reg) => {
        const old = byUrn.get(reg.urn);
        const checked = await host.check(reg.urn, old?.inputs ?? {}, withUnknowns(reg, unknownUrns));
        if (checked.failures.length) throw new Error(failuresText(checked.failures));
        let plan: Plan = { reg, old, action: "create", deleteFirst: false };
        if (old) {
          const d = await host.diff(old.id, reg.urn, old.outputs, checked.inputs, old.inputs);
          const action: Status = !d.changes ? "same" : d.replaces.length ? "replace" : "update";
          plan = { reg, old, action, deleteFirst: d.deleteBeforeReplace };
        }
        if (plan.action === "create" || plan.action === "replace") unknownUrns.add(reg.urn);
        planned.set(reg.urn, plan);
      },
    );
    planFailures.forEach((e, urn) => fail(urn, e));
    const plans = regs.filter((r) => planned.has(r.urn)).map((r) => planned.get(r.urn)!);
    const wanted = new Set(regs.map((r) => r.urn));
    const removed = [...byUrn.values()].filter((r) => !wanted.has(r.urn));

    if (verb === "preview") {
      for (const p of plans) report(p.action, p.reg.type, p.reg.name);
      for (const r of removed) report("delete", r.type, r.name);
      return;
    }
    if (errors.length) return;

    // Replacements that reuse names: the old objects go first, dependents before what they depend on.
    // They count as part of their "replace", as Pulumi counts them.
    await deleteAll(plans.filter((p) => p.action === "replace" && p.deleteFirst).map((p) => p.old!));
    if (errors.length) return;

    const failed = await runDag(
      plans,
      (p) => p.reg.urn,
      (p) => p.reg.dependencies,
      parallel,
      async (p) => {
        const { reg, old } = p;
        const record = (id: string, inputs: Props, outputs: Props) =>
          byUrn.set(reg.urn, {
            urn: reg.urn,
            type: reg.type,
            name: reg.name,
            id,
            inputs,
            outputs,
            secretKeys: reg.secretKeys,
            dependencies: reg.dependencies,
          });
        if (p.action === "same") {
          report("same", reg.type, reg.name);
          return;
        }
        const checked = await host.check(reg.urn, p.action === "update" ? old!.inputs : {}, reg.inputs);
        if (checked.failures.length) throw new Error(failuresText(checked.failures));
        if (p.action === "update") {
          const outs = await host.update(old!.id, reg.urn, old!.outputs, checked.inputs, old!.inputs);
          record(old!.id, checked.inputs, outs);
        } else {
          const made = await host.create(reg.urn, checked.inputs);
          if (p.action === "replace" && !p.deleteFirst) await host.delete(old!.id, reg.urn, old!.outputs);
          record(made.id, checked.inputs, made.outs);
        }
        report(p.action, reg.type, reg.name);
        save();
      },
    );
    failed.forEach((e, urn) => fail(urn, e));
    if (!errors.length) await deleteAll(removed, "delete");
  }
}
