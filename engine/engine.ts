// The engine harness: runs a program through the SDK's real entry and turns its registrations into provider steps as the Go engine does.
import { ChildProcess } from "node:child_process";
import { cpus } from "node:os";
import { runDag } from "./dag";
import { startProgram, sdkDir } from "./language-host";
import { Monitor, Registered, Registration } from "./monitor";
import { Project, loadProject } from "./project";
import { ProviderHost } from "./provider-host";
import { ResourceState, loadState, saveState } from "./state";
import { UNKNOWN } from "../provider/dynamic/unknown";

export type Verb = "up" | "preview" | "refresh" | "destroy";
export type Status = "create" | "update" | "replace" | "delete" | "same" | "gone";
type Props = Record<string, unknown>;

const ROOT_TYPE = "pulumi:pulumi:Stack";

export interface EngineOptions {
  /** The directory holding Pulumi.yaml: the program's pwd and entry come from it as under the CLI. */
  projectDir: string;
  stack: string;
  statePath: string;
  /** Stack config, by key without the project prefix. */
  config: Record<string, string>;
  secretConfig: string[];
  /** Resource operations at once; Pulumi's default is 4 x CPU cores. */
  parallel?: number;
  /** `--replace URN`: replace these resources without consulting Diff (create first unless deleteBeforeReplace). */
  replace?: string[];
  /** `--target URN`: only these resources change; everything else stays as it is. */
  target?: string[];
  /**
   * `--refresh` (up and preview): read every resource first, as refresh does, then run the program against what was
   * read, in one run: what a read found gone is created again, what it found drifted is updated.
   */
  refresh?: boolean;
  /**
   * `--expect-no-changes` (refresh, preview, up): the run fails when anything would change or changed, as with the
   * CLI: a nightly refresh then fails once a probe or any object drifted.
   */
  expectNoChanges?: boolean;
  /** `--diff`: print the changed properties under each update and replace. */
  diff?: boolean;
  /** Sees each registration as the program sent it (for tests of what a program registers). */
  onRegister?: (urn: string, r: Registration) => void;
  log?: (line: string) => void;
}

export interface Summary {
  verb: Verb;
  counts: Record<Status, number>;
  /** Failed steps, each `<urn>: <message>`, and a failed program. */
  errors: string[];
  /** Error diagnostics the program logged. */
  diagnostics: string[];
  peakRssMb: number;
  /** One `<status> <type> <name>` per resource. */
  lines: string[];
  /** The stack's outputs, after up. */
  outputs: Props;
  /** The verb's wall time, as a user sees it. */
  wallSeconds: number;
  /** The time during which at least one provider call was in flight (the program and these calls overlap). */
  operationSeconds: number;
  /**
   * From the first provider call's start to the last one's end: where calls take no time (a provider that does
   * nothing), how long the program and the engine take to hand every resource over.
   */
  operationSpanSeconds: number;
  /** Every create, read, update and delete the provider ran, in the order they ended (bench/phases.ts reads them). */
  operations: Operation[];
}

/** One create, read, update or delete, timed (Unix ms). */
export interface Operation {
  /** The resource's type token, e.g. `pulumi-nodejs:dynamic/netns:Namespace`. */
  type: string;
  startMs: number;
  endMs: number;
}

function failuresText(failures: Array<{ property: string; reason: string }>): string {
  return failures.map((f) => `${f.property}: ${f.reason}`).join("; ");
}

/** The type chain of a URN (`a$b$c`), from `urn:pulumi:<stack>::<project>::<chain>::<name>`. */
const qualifiedType = (urn: string) => urn.split("::")[2];

/** As the Go engine's generateURN: the parent's type chain, except the root stack's, which is implied. */
export function makeUrn(stack: string, project: string, parent: string, type: string, name: string): string {
  const chain = parent && qualifiedType(parent) !== ROOT_TYPE ? `${qualifiedType(parent)}$${type}` : type;
  return `urn:pulumi:${stack}::${project}::${chain}::${name}`;
}

/** `ignoreChanges` (top-level property names): those inputs keep their old values. */
function ignoring(news: Props, olds: Props, keys: readonly string[]): Props {
  const out = { ...news };
  for (const k of keys) {
    if (k in olds) out[k] = olds[k];
    else delete out[k];
  }
  return out;
}

/** Top-level properties whose values differ, for `--diff`. */
function changedKeys(olds: Props, news: Props): string[] {
  const keys = new Set([...Object.keys(olds), ...Object.keys(news)]);
  keys.delete("__provider");
  return [...keys].filter((k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k])).sort();
}

/**
 * How `--diff` shows a property's value: "[secret]" for a secret, "[unknown]" for a value a preview cannot know yet
 * (the SDK's sentinel string would mean nothing to a reader), else JSON.
 */
export function shown(value: unknown, secret: boolean): string | undefined {
  if (secret) return "[secret]";
  return JSON.stringify(value)?.replaceAll(JSON.stringify(UNKNOWN), "[unknown]");
}

/**
 * A stack output as the CLI prints it after up: a value that depends on a failed or skipped resource never became
 * known, and reads `output<string>`, not the SDK's unknown sentinel.
 */
export const shownOutput = (value: unknown): string | undefined =>
  JSON.stringify(value)?.replaceAll(JSON.stringify(UNKNOWN), "output<string>").replaceAll(UNKNOWN, "output<string>");

/** Bounds resource operations at once, and measures the time during which any was in flight. */
class Operations {
  private running = 0;
  private queue: Array<() => void> = [];
  private since = 0;
  busyMs = 0;
  /** When the first call started and the last one ended (0 before any). */
  firstMs = 0;
  lastMs = 0;

  constructor(private readonly limit: number) {}

  private inFlight = 0;
  readonly done: Operation[] = [];

  /** A create, read, update or delete of a resource of `type`: at most `limit` at once. */
  async run<T>(type: string, f: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((r) => this.queue.push(r));
    this.running++;
    const startMs = Date.now();
    try {
      return await this.track(f);
    } finally {
      this.done.push({ type, startMs, endMs: Date.now() });
      this.running--;
      this.queue.shift()?.();
    }
  }

  /** Any provider call (Check and Diff too): counted in the busy time, not bounded. */
  async track<T>(f: () => Promise<T>): Promise<T> {
    if (this.inFlight++ === 0) this.since = Date.now();
    this.firstMs ||= this.since;
    try {
      return await f();
    } finally {
      this.lastMs = Date.now();
      if (--this.inFlight === 0) this.busyMs += this.lastMs - this.since;
    }
  }
}

/** Deletes in reverse dependency order: a resource goes only after everything that depends on it, children first. */
async function inReverseOrder(
  targets: readonly ResourceState[],
  parallel: number,
  work: (r: ResourceState) => Promise<void>,
): Promise<Map<string, Error>> {
  const urns = new Set(targets.map((t) => t.urn));
  const dependents = new Map<string, string[]>();
  for (const t of targets)
    for (const d of [...t.dependencies, t.parent])
      if (urns.has(d)) dependents.set(d, [...(dependents.get(d) ?? []), t.urn]);
  return runDag(
    targets,
    (t) => t.urn,
    (t) => dependents.get(t.urn) ?? [],
    parallel,
    work,
  );
}

export async function runEngine(verb: Verb, o: EngineOptions): Promise<Summary> {
  const started = Date.now();
  const log = o.log ?? ((l: string) => console.log(l));
  const parallel = o.parallel ?? 4 * cpus().length;
  const project: Project = loadProject(o.projectDir);
  const loaded = loadState(o.statePath);
  /** The state before this run, in checkpoint order (dependencies first). */
  const old = new Map(loaded.resources.filter((r) => !r.pendingDelete).map((r) => [r.urn, r]));
  /** The new state, in the order steps finished (which respects dependencies). */
  const done = new Map<string, ResourceState>();
  /** Old resources this run has accounted for: registered again (by URN or alias), or deleted. */
  const taken = new Set<string>();
  /** Old resources a delete-before-replace took down with it; their registrations re-create them. */
  const deletedAsDependents = new Set<string>();
  /** Resources whose step failed or was skipped: what depends on them is skipped (as with --continue-on-error). */
  const failedUrns = new Set<string>();
  /** The old halves of create-before-delete replacements, deleted at the end (Go: pending deletes). */
  const pendingDeletes: ResourceState[] = loaded.resources.filter((r) => r.pendingDelete);
  const counts: Record<Status, number> = { create: 0, update: 0, replace: 0, delete: 0, same: 0, gone: 0 };
  const lines: string[] = [];
  const errors: string[] = [];
  const diagnostics: string[] = [];
  const ops = new Operations(parallel);
  const replaceTargets = new Set(o.replace ?? []);
  const targets = new Set(o.target ?? []);
  const targeted = (urn: string) => targets.size === 0 || targets.has(urn);
  let stackOutputs: Props = {};
  let root = "";

  const report = (status: Status, type: string, name: string, olds?: Props, news?: Props, secret: string[] = []) => {
    counts[status]++;
    const line = `${status} ${type} ${name}`;
    lines.push(line);
    log(line);
    if (o.diff && olds && news && (status === "update" || status === "replace")) {
      const show = (k: string, v: unknown) => shown(v, secret.includes(k));
      for (const k of changedKeys(olds, news)) log(`    ~ ${k}: ${show(k, olds[k])} => ${show(k, news[k])}`);
    }
  };
  const fail = (urn: string, e: Error) => errors.push(`${urn}: ${e.message}`);

  // Checkpoints are coalesced: writing the whole state after each of thousands of operations costs O(N^2). Each
  // checkpoint waits at least 20 times as long as the last one took, so writing them costs at most about 5% of
  // the run however large the state grows.
  let pendingSave: NodeJS.Timeout | undefined;
  let lastFlushMs = 0;
  const currentState = (): ResourceState[] => [
    ...done.values(),
    ...[...old.values()].filter((r) => !taken.has(r.urn)),
    ...pendingDeletes.map((r) => ({ ...r, pendingDelete: true })),
  ];
  const flush = () => {
    clearTimeout(pendingSave);
    pendingSave = undefined;
    const started = Date.now();
    if (verb !== "preview") saveState(o.statePath, { resources: currentState(), salt: loaded.salt });
    lastFlushMs = Date.now() - started;
  };
  const save = () => {
    pendingSave ??= setTimeout(flush, Math.max(200, 20 * lastFlushMs));
  };

  const host = await ProviderHost.start(project.dir);
  let peakRssMb: number;
  try {
    if (verb === "refresh") await refresh();
    else if (verb === "destroy") await destroy();
    else {
      // As the CLI, an up whose refresh failed goes no further.
      if (o.refresh) await refresh();
      if (errors.length === 0) await runProgram(verb === "preview");
    }
  } finally {
    flush();
    peakRssMb = host.peakRssMb();
    await host.stop();
  }
  const { same, ...changed } = counts;
  if (o.expectNoChanges && Object.values(changed).some((n) => n > 0))
    errors.push(`no changes were expected but changes occurred (${same} unchanged)`);
  return {
    verb,
    counts,
    errors,
    diagnostics,
    peakRssMb,
    lines,
    outputs: stackOutputs,
    wallSeconds: (Date.now() - started) / 1000,
    operationSeconds: ops.busyMs / 1000,
    operationSpanSeconds: (ops.lastMs - ops.firstMs) / 1000,
    operations: ops.done,
  };

  /** Deletes one resource's object (unless retained) after the protect check; the caller drops it from state. */
  async function deleteOne(r: ResourceState): Promise<void> {
    if (r.protect)
      throw new Error(
        `unable to delete resource "${r.urn}" as it is currently marked for protection; ` +
          "remove the `protect` option from the program and run up first",
      );
    if (r.custom && !r.retainOnDelete) await ops.run(r.type, () => host.delete(r.id, r.urn, r.outputs));
  }

  /** The old halves of replacements, newest first (they share URNs with live resources, so one at a time). */
  async function deletePending(): Promise<void> {
    for (const r of [...pendingDeletes].reverse()) {
      try {
        await deleteOne(r);
        pendingDeletes.splice(pendingDeletes.indexOf(r), 1);
        save();
      } catch (e) {
        fail(r.urn, e as Error);
      }
    }
  }

  /** Deletes these resources in reverse dependency order and drops them from the state. */
  async function deleteAll(rs: readonly ResourceState[]): Promise<void> {
    const failed = await inReverseOrder(rs, parallel, async (r) => {
      await deleteOne(r);
      taken.add(r.urn);
      if (r.type !== ROOT_TYPE) report("delete", r.type, r.name);
      save();
    });
    failed.forEach((e, urn) => fail(urn, e));
  }

  async function destroy(): Promise<void> {
    await deletePending();
    await deleteAll([...old.values()].filter((r) => targeted(r.urn)));
  }

  /** Read, then Diff of what was read against the program's last inputs: same, update, or gone. */
  async function refresh(): Promise<void> {
    const customs = [...old.values()].filter((r) => r.custom && targeted(r.urn));
    const failed = await runDag(
      customs,
      (r) => r.urn,
      () => [],
      parallel,
      async (r) => {
        const read = await ops.run(r.type, () => host.read(r.id, r.urn, r.outputs, r.inputs));
        if (!read.id) {
          // Out of the state: an up in the same run (--refresh) creates it again.
          old.delete(r.urn);
          report("gone", r.type, r.name);
        } else {
          const d = await ops.track(() => host.diff(r.id, r.urn, read.props, r.inputs, r.inputs));
          report(d.changes ? "update" : "same", r.type, r.name, r.outputs, read.props, r.secretKeys);
          old.set(r.urn, { ...r, outputs: read.props });
        }
        save();
      },
    );
    failed.forEach((e, urn) => fail(urn, e));
  }

  async function runProgram(preview: boolean): Promise<void> {
    const monitor = await Monitor.start(sdkDir(project.pwd), {
      register: (reg) => register(reg, preview),
      registerOutputs: (urn, outputs) => {
        if (urn === root) stackOutputs = outputs;
        const r = done.get(urn);
        if (r) done.set(urn, { ...r, outputs });
      },
      log: (severity, message, urn) => {
        const text = urn ? `${urn}: ${message}` : message;
        if (severity >= 3) diagnostics.push(text);
        if (severity >= 1) log(`${["debug", "info", "warning", "error"][severity]}: ${text}`);
      },
    });
    let child: ChildProcess | undefined;
    let code: number | null;
    try {
      child = startProgram(
        project,
        {
          monitor: monitor.address,
          engine: monitor.address,
          stack: o.stack,
          dryRun: preview,
          parallel,
          config: o.config,
          secretKeys: o.secretConfig,
        },
        (line) => log(`program: ${line}`),
      );
      code = await new Promise<number | null>((resolve) => child!.once("exit", resolve));
    } finally {
      monitor.stop();
    }
    if (code !== 0 && errors.length === 0)
      errors.push(`program: exited with code ${code}${diagnostics.length ? `: ${diagnostics.join("; ")}` : ""}`);

    // What the program no longer registers is deleted, and so are the old halves of replacements; only after a
    // run without errors, since a failed program may not have registered everything it still wants.
    const removed = [...old.values()].filter((r) => !taken.has(r.urn) && r.type !== ROOT_TYPE && targeted(r.urn));
    if (preview) {
      for (const r of removed) report("delete", r.type, r.name);
      return;
    }
    if (errors.length) return;
    await deleteAll(removed);
    await deletePending();
  }

  async function register(reg: Registration, preview: boolean): Promise<Registered> {
    const urn = makeUrn(o.stack, project.name, reg.parent, reg.type, reg.name);
    if (reg.type === ROOT_TYPE && !reg.parent) root = urn;
    o.onRegister?.(urn, reg);
    const oldUrn = old.has(urn) ? urn : reg.aliasUrns.find((a) => old.has(a) && !taken.has(a));
    const prior = oldUrn && !deletedAsDependents.has(oldUrn) ? old.get(oldUrn) : undefined;
    if (oldUrn) taken.add(oldUrn);
    const entry = (id: string, inputs: Props, outputs: Props): ResourceState => ({
      urn,
      type: reg.type,
      name: reg.name,
      custom: reg.custom,
      id,
      parent: reg.parent,
      inputs,
      outputs,
      secretKeys: [...new Set([...reg.secretKeys, ...reg.additionalSecretOutputs])].filter((k) => k in outputs),
      dependencies: [...new Set([...reg.dependencies, ...Object.values(reg.propertyDependencies).flat()])],
      propertyDependencies: reg.propertyDependencies,
      protect: reg.protect,
      retainOnDelete: reg.retainOnDelete,
    });
    const finish = (r: ResourceState): Registered => {
      done.set(urn, r);
      save();
      return { urn, id: r.id, outputs: r.outputs, secretKeys: r.secretKeys };
    };

    if (!reg.custom) {
      // Components and the root stack have no provider: their state is their outputs.
      if (reg.type !== ROOT_TYPE) report(prior ? "same" : "create", reg.type, reg.name);
      return finish(entry("", reg.inputs, prior?.outputs ?? {}));
    }
    const failedDependency = [...reg.dependencies, ...Object.values(reg.propertyDependencies).flat()].find((d) =>
      failedUrns.has(d),
    );
    /** A failed or skipped step leaves the resource's old state as it was, as the Go engine does. */
    const unchanged = (result: "fail" | "skip"): Registered => {
      failedUrns.add(urn);
      if (prior) {
        done.set(urn, { ...prior, urn });
        save();
      }
      return { urn, id: "", outputs: {}, secretKeys: [], result };
    };
    if (failedDependency) {
      log(`skipped ${reg.type} ${reg.name}: it depends on ${failedDependency}, which failed`);
      return unchanged("skip");
    }
    try {
      if (!targeted(urn)) {
        // Untargeted: an existing resource keeps its state; a new one is not created.
        if (prior) {
          report("same", reg.type, reg.name);
          return finish({ ...prior, urn });
        }
        return { urn, id: "", outputs: {}, secretKeys: [] };
      }
      const news =
        prior && reg.ignoreChanges.length ? ignoring(reg.inputs, prior.inputs, reg.ignoreChanges) : reg.inputs;
      const checked = await ops.track(() => host.check(urn, prior?.inputs ?? {}, news));
      if (checked.failures.length) throw new Error(failuresText(checked.failures));
      const inputs = checked.inputs;

      // Same, update or replace: from Diff, except that --replace never asks it.
      let action: Status = prior ? "same" : oldUrn ? "replace" : "create";
      let deleteFirst = reg.deleteBeforeReplace;
      if (prior && replaceTargets.has(urn)) action = "replace";
      else if (prior) {
        const d = await ops.track(() => host.diff(prior.id, urn, prior.outputs, inputs, prior.inputs));
        action = !d.changes ? "same" : d.replaces.length ? "replace" : "update";
        deleteFirst ||= d.deleteBeforeReplace;
      }
      if (action === "replace" && prior?.protect)
        throw new Error(`unable to replace resource "${urn}" as it is currently marked for protection`);
      const state = await apply(action, deleteFirst);
      report(action, reg.type, reg.name, prior?.inputs, inputs, reg.secretKeys);
      return finish(state);

      async function apply(action: Status, deleteFirst: boolean): Promise<ResourceState> {
        // The dynamic provider host has no preview: a create or update shows its inputs as the state, and
        // whatever the provider would compute stays unknown to the program.
        if (preview) return entry(prior?.id ?? "", inputs, action === "same" ? prior!.outputs : inputs);
        if (action === "same") return entry(prior!.id, inputs, prior!.outputs);
        if (action === "update") {
          const outs = await ops.run(reg.type, () =>
            host.update(prior!.id, urn, prior!.outputs, inputs, prior!.inputs),
          );
          return entry(prior!.id, inputs, outs);
        }
        if (prior && deleteFirst) {
          await deleteDependentsFirst(prior);
          await deleteOne(prior);
        }
        const made = await ops.run(reg.type, () => host.create(urn, inputs));
        if (prior && !deleteFirst) pendingDeletes.push(prior);
        return entry(made.id, inputs, made.outs);
      }
    } catch (e) {
      fail(urn, e as Error);
      return unchanged("fail");
    }
  }

  /**
   * Before a delete-before-replace: the old resources that depend on it and would be replaced too (their inputs fed
   * by it read as unknown, and Diff then asks for a replacement) go first, dependents before what they depend on,
   * as the Go engine's calculateDependentReplacements does. Their registrations later create them again.
   */
  async function deleteDependentsFirst(replaced: ResourceState): Promise<void> {
    const gone = new Set([replaced.urn]);
    const dependents: ResourceState[] = [];
    for (const r of old.values()) {
      if (taken.has(r.urn) || !r.custom) continue;
      if (!r.dependencies.some((d) => gone.has(d)) && !gone.has(r.parent)) continue;
      const news = { ...r.inputs };
      for (const [k, urns] of Object.entries(r.propertyDependencies))
        if (urns.some((u) => gone.has(u))) news[k] = UNKNOWN;
      const d = await ops.track(() => host.diff(r.id, r.urn, r.outputs, news, r.inputs));
      if (!d.replaces.length) continue;
      gone.add(r.urn);
      dependents.push(r);
    }
    for (const r of dependents.reverse()) {
      await deleteOne(r);
      deletedAsDependents.add(r.urn);
      taken.add(r.urn);
      save();
    }
  }
}
