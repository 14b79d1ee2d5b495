// One run of a verb: the old and new state, the steps the Go engine would take for each registration, and the report.
import { ChildProcess } from "node:child_process";
import { cpus } from "node:os";
import { UNKNOWN } from "../provider/dynamic/unknown";
import { runDag } from "./dag";
import { startProgram, sdkDir } from "./language-host";
import { Monitor, Registered, Registration } from "./monitor";
import { OneAtATime, Operations, inReverseOrder } from "./operations";
import type { EngineOptions, Status, Summary, Verb } from "./options";
import type { Project } from "./project";
import type { ProviderHost } from "./provider-host";
import { ROOT_TYPE, changedKeys, failuresText, ignoring, makeUrn, shown } from "./rules";
import { ResourceState, State, saveState } from "./state";

type Props = Record<string, unknown>;

/**
 * Checkpoints, coalesced: writing the whole state after each of thousands of operations costs O(N^2). Each waits at
 * least 20 times as long as the last one took, so writing them costs at most about 5% of the run however large the
 * state grows.
 */
class Checkpoints {
  private pending: NodeJS.Timeout | undefined;
  private lastMs = 0;
  constructor(private readonly write: () => void) {}
  save(): void {
    this.pending ??= setTimeout(() => this.flush(), Math.max(200, 20 * this.lastMs));
  }
  flush(): void {
    clearTimeout(this.pending);
    this.pending = undefined;
    const started = Date.now();
    this.write();
    this.lastMs = Date.now() - started;
  }
}

export class Run {
  private readonly log: (line: string) => void;
  private readonly parallel: number;
  /** The state before this run, in checkpoint order (dependencies first). */
  private readonly old: Map<string, ResourceState>;
  /** The new state, in the order steps finished (which respects dependencies). */
  private readonly done = new Map<string, ResourceState>();
  /** Old resources this run has accounted for: registered again (by URN or alias), or deleted. */
  private readonly taken = new Set<string>();
  /** Old resources a delete-before-replace took down with it; their registrations re-create them. */
  private readonly deletedAsDependents = new Set<string>();
  /** Resources whose step failed or was skipped: what depends on them is skipped (as with --continue-on-error). */
  private readonly failedUrns = new Set<string>();
  /** The old halves of create-before-delete replacements, deleted at the end (Go: pending deletes). */
  private readonly pendingDeletes: ResourceState[];
  private readonly counts: Record<Status, number> = { create: 0, update: 0, replace: 0, delete: 0, same: 0, gone: 0 };
  private readonly lines: string[] = [];
  private readonly errors: string[] = [];
  private readonly diagnostics: string[] = [];
  private readonly ops: Operations;
  /** Check and Diff of each registration, one registration at a time (docs/ARCHITECTURE.md, "The engine harness"). */
  private readonly generator = new OneAtATime();
  private readonly replaceTargets: Set<string>;
  private readonly targets: Set<string>;
  private readonly checkpoints: Checkpoints;
  private stackOutputs: Props = {};
  private root = "";

  constructor(
    private readonly verb: Verb,
    private readonly o: EngineOptions,
    private readonly project: Project,
    loaded: State & { salt: Buffer },
    private readonly host: ProviderHost,
  ) {
    this.log = o.log ?? ((l: string) => console.log(l));
    this.parallel = o.parallel ?? 4 * cpus().length;
    this.old = new Map(loaded.resources.filter((r) => !r.pendingDelete).map((r) => [r.urn, r]));
    this.pendingDeletes = loaded.resources.filter((r) => r.pendingDelete);
    this.ops = new Operations(this.parallel);
    this.replaceTargets = new Set(o.replace ?? []);
    this.targets = new Set(o.target ?? []);
    this.checkpoints = new Checkpoints(() => {
      if (verb !== "preview") saveState(o.statePath, { resources: this.currentState(), salt: loaded.salt });
    });
  }

  /** Takes the verb's steps, writes the last checkpoint, stops the provider host, and reports. */
  async finish(started: number): Promise<Summary> {
    let peakRssMb: number;
    let providerCpu: number;
    try {
      await this.steps();
    } finally {
      this.checkpoints.flush();
      peakRssMb = this.host.peakRssMb();
      providerCpu = this.host.cpuSeconds();
      await this.host.stop();
    }
    return this.summary(started, peakRssMb, providerCpu);
  }

  /** The verb's steps, as the CLI takes them. */
  private async steps(): Promise<void> {
    if (this.verb === "refresh") await this.refresh();
    else if (this.verb === "destroy") await this.destroy();
    else {
      // As the CLI, an up whose refresh failed goes no further.
      if (this.o.refresh) await this.refresh();
      if (this.errors.length === 0) await this.runProgram(this.verb === "preview");
    }
  }

  private summary(started: number, peakRssMb: number, providerCpuSeconds: number): Summary {
    const { same, ...changed } = this.counts;
    if (this.o.expectNoChanges && Object.values(changed).some((n) => n > 0))
      this.errors.push(`no changes were expected but changes occurred (${same} unchanged)`);
    return {
      verb: this.verb,
      counts: this.counts,
      errors: this.errors,
      diagnostics: this.diagnostics,
      peakRssMb,
      providerCpuSeconds,
      lines: this.lines,
      outputs: this.stackOutputs,
      wallSeconds: (Date.now() - started) / 1000,
      operationSeconds: this.ops.busyMs / 1000,
      operationSpanSeconds: (this.ops.lastMs - this.ops.firstMs) / 1000,
      operations: this.ops.done,
      steps: this.generator.turns,
    };
  }

  private targeted(urn: string): boolean {
    return this.targets.size === 0 || this.targets.has(urn);
  }

  private currentState(): ResourceState[] {
    return [
      ...this.done.values(),
      ...[...this.old.values()].filter((r) => !this.taken.has(r.urn)),
      ...this.pendingDeletes.map((r) => ({ ...r, pendingDelete: true })),
    ];
  }

  private report(status: Status, type: string, name: string, olds?: Props, news?: Props, secret: string[] = []) {
    this.counts[status]++;
    const line = `${status} ${type} ${name}`;
    this.lines.push(line);
    this.log(line);
    if (this.o.diff && olds && news && (status === "update" || status === "replace")) {
      const show = (k: string, v: unknown) => shown(v, secret.includes(k));
      for (const k of changedKeys(olds, news)) this.log(`    ~ ${k}: ${show(k, olds[k])} => ${show(k, news[k])}`);
    }
  }

  private fail(urn: string, e: Error): void {
    this.errors.push(`${urn}: ${e.message}`);
  }

  /** Deletes one resource's object (unless retained) after the protect check; the caller drops it from state. */
  private async deleteOne(r: ResourceState): Promise<void> {
    if (r.protect)
      throw new Error(
        `unable to delete resource "${r.urn}" as it is currently marked for protection; ` +
          "remove the `protect` option from the program and run up first",
      );
    if (r.custom && !r.retainOnDelete) await this.ops.run(r.type, () => this.host.delete(r.id, r.urn, r.outputs));
  }

  /** The old halves of replacements, newest first (they share URNs with live resources, so one at a time). */
  private async deletePending(): Promise<void> {
    for (const r of [...this.pendingDeletes].reverse()) {
      try {
        await this.deleteOne(r);
        this.pendingDeletes.splice(this.pendingDeletes.indexOf(r), 1);
        this.checkpoints.save();
      } catch (e) {
        this.fail(r.urn, e as Error);
      }
    }
  }

  /** Deletes these resources in reverse dependency order and drops them from the state. */
  private async deleteAll(rs: readonly ResourceState[]): Promise<void> {
    const failed = await inReverseOrder(rs, this.parallel, async (r) => {
      await this.deleteOne(r);
      this.taken.add(r.urn);
      if (r.type !== ROOT_TYPE) this.report("delete", r.type, r.name);
      this.checkpoints.save();
    });
    failed.forEach((e, urn) => this.fail(urn, e));
  }

  private async destroy(): Promise<void> {
    await this.deletePending();
    await this.deleteAll([...this.old.values()].filter((r) => this.targeted(r.urn)));
  }

  /** Read, then Diff of what was read against the program's last inputs: same, update, or gone. */
  private async refresh(): Promise<void> {
    const customs = [...this.old.values()].filter((r) => r.custom && this.targeted(r.urn));
    const failed = await runDag(
      customs,
      (r) => r.urn,
      () => [],
      this.parallel,
      async (r) => {
        const read = await this.ops.run(r.type, () => this.host.read(r.id, r.urn, r.outputs, r.inputs));
        if (!read.id) {
          // Out of the state: an up in the same run (--refresh) creates it again.
          this.old.delete(r.urn);
          this.report("gone", r.type, r.name);
        } else {
          const d = await this.ops.track(() => this.host.diff(r.id, r.urn, read.props, r.inputs, r.inputs));
          this.report(d.changes ? "update" : "same", r.type, r.name, r.outputs, read.props, r.secretKeys);
          this.old.set(r.urn, { ...r, outputs: read.props });
        }
        this.checkpoints.save();
      },
    );
    failed.forEach((e, urn) => this.fail(urn, e));
  }

  private async runProgram(preview: boolean): Promise<void> {
    const monitor = await Monitor.start(sdkDir(this.project.pwd), {
      register: (reg) => this.register(reg, preview),
      registerOutputs: (urn, outputs) => {
        if (urn === this.root) this.stackOutputs = outputs;
        const r = this.done.get(urn);
        if (r) this.done.set(urn, { ...r, outputs });
      },
      log: (severity, message, urn) => {
        const text = urn ? `${urn}: ${message}` : message;
        if (severity >= 3) this.diagnostics.push(text);
        if (severity >= 1) this.log(`${["debug", "info", "warning", "error"][severity]}: ${text}`);
      },
    });
    let child: ChildProcess | undefined;
    let code: number | null;
    try {
      child = startProgram(
        this.project,
        {
          monitor: monitor.address,
          engine: monitor.address,
          stack: this.o.stack,
          dryRun: preview,
          parallel: this.parallel,
          config: this.o.config,
          secretKeys: this.o.secretConfig,
        },
        (line) => this.log(`program: ${line}`),
      );
      code = await new Promise<number | null>((resolve) => child!.once("exit", resolve));
    } finally {
      monitor.stop();
    }
    if (code !== 0 && this.errors.length === 0)
      this.errors.push(
        `program: exited with code ${code}${this.diagnostics.length ? `: ${this.diagnostics.join("; ")}` : ""}`,
      );

    // What the program no longer registers is deleted, and so are the old halves of replacements; only after a
    // run without errors, since a failed program may not have registered everything it still wants.
    const removed = [...this.old.values()].filter(
      (r) => !this.taken.has(r.urn) && r.type !== ROOT_TYPE && this.targeted(r.urn),
    );
    if (preview) {
      for (const r of removed) this.report("delete", r.type, r.name);
      return;
    }
    if (this.errors.length) return;
    await this.deleteAll(removed);
    await this.deletePending();
  }

  /** One registration: its URN, the old state it takes over, then its step (custom resources) or its entry. */
  private async register(reg: Registration, preview: boolean): Promise<Registered> {
    const urn = makeUrn(this.o.stack, this.project.name, reg.parent, reg.type, reg.name);
    if (reg.type === ROOT_TYPE && !reg.parent) this.root = urn;
    this.o.onRegister?.(urn, reg);
    const oldUrn = this.old.has(urn) ? urn : reg.aliasUrns.find((a) => this.old.has(a) && !this.taken.has(a));
    const prior = oldUrn && !this.deletedAsDependents.has(oldUrn) ? this.old.get(oldUrn) : undefined;
    if (oldUrn) this.taken.add(oldUrn);
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
      this.done.set(urn, r);
      this.checkpoints.save();
      return { urn, id: r.id, outputs: r.outputs, secretKeys: r.secretKeys };
    };

    if (!reg.custom) {
      // Components and the root stack have no provider: their state is their outputs.
      if (reg.type !== ROOT_TYPE) this.report(prior ? "same" : "create", reg.type, reg.name);
      return finish(entry("", reg.inputs, prior?.outputs ?? {}));
    }
    const failedDependency = [...reg.dependencies, ...Object.values(reg.propertyDependencies).flat()].find((d) =>
      this.failedUrns.has(d),
    );
    /** A failed or skipped step leaves the resource's old state as it was, as the Go engine does. */
    const unchanged = (result: "fail" | "skip"): Registered => {
      this.failedUrns.add(urn);
      if (prior) {
        this.done.set(urn, { ...prior, urn });
        this.checkpoints.save();
      }
      return { urn, id: "", outputs: {}, secretKeys: [], result };
    };
    if (failedDependency) {
      this.log(`skipped ${reg.type} ${reg.name}: it depends on ${failedDependency}, which failed`);
      return unchanged("skip");
    }
    try {
      if (!this.targeted(urn)) {
        // Untargeted: an existing resource keeps its state; a new one is not created.
        if (prior) {
          this.report("same", reg.type, reg.name);
          return finish({ ...prior, urn });
        }
        return { urn, id: "", outputs: {}, secretKeys: [] };
      }
      const { action, inputs, state } = await this.step(urn, reg, prior, oldUrn, preview, entry);
      this.report(action, reg.type, reg.name, prior?.inputs, inputs, reg.secretKeys);
      return finish(state);
    } catch (e) {
      this.fail(urn, e as Error);
      return unchanged("fail");
    }
  }

  /** Check, then same, update or replace (from Diff, except that --replace never asks it), then the provider call. */
  private async step(
    urn: string,
    reg: Registration,
    prior: ResourceState | undefined,
    oldUrn: string | undefined,
    preview: boolean,
    entry: (id: string, inputs: Props, outputs: Props) => ResourceState,
  ): Promise<{ action: Status; inputs: Props; state: ResourceState }> {
    const news = prior && reg.ignoreChanges.length ? ignoring(reg.inputs, prior.inputs, reg.ignoreChanges) : reg.inputs;
    // As the Go engine's step generator: Check and Diff for one registration at a time, whatever the parallelism,
    // which bounds only the steps they decide (PULUMI_PARALLEL_DIFF, off by default, would run Diffs in parallel).
    const { inputs, action, deleteFirst } = await this.generator.run(async () => {
      const checked = await this.ops.track(() => this.host.check(urn, prior?.inputs ?? {}, news));
      if (checked.failures.length) throw new Error(failuresText(checked.failures));
      let action: Status = prior ? "same" : oldUrn ? "replace" : "create";
      let deleteFirst = reg.deleteBeforeReplace;
      if (prior && this.replaceTargets.has(urn)) action = "replace";
      else if (prior) {
        const d = await this.ops.track(() =>
          this.host.diff(prior.id, urn, prior.outputs, checked.inputs, prior.inputs),
        );
        action = !d.changes ? "same" : d.replaces.length ? "replace" : "update";
        deleteFirst ||= d.deleteBeforeReplace;
      }
      return { inputs: checked.inputs, action, deleteFirst };
    });
    if (action === "replace" && prior?.protect)
      throw new Error(`unable to replace resource "${urn}" as it is currently marked for protection`);

    // The dynamic provider host has no preview: a create or update shows its inputs as the state, and whatever the
    // provider would compute stays unknown to the program.
    if (preview)
      return { action, inputs, state: entry(prior?.id ?? "", inputs, action === "same" ? prior!.outputs : inputs) };
    if (action === "same") return { action, inputs, state: entry(prior!.id, inputs, prior!.outputs) };
    if (action === "update") {
      const outs = await this.ops.run(reg.type, () =>
        this.host.update(prior!.id, urn, prior!.outputs, inputs, prior!.inputs),
      );
      return { action, inputs, state: entry(prior!.id, inputs, outs) };
    }
    if (prior && deleteFirst) {
      await this.deleteDependentsFirst(prior);
      await this.deleteOne(prior);
    }
    const made = await this.ops.run(reg.type, () => this.host.create(urn, inputs));
    if (prior && !deleteFirst) this.pendingDeletes.push(prior);
    return { action, inputs, state: entry(made.id, inputs, made.outs) };
  }

  /**
   * Before a delete-before-replace: the old resources that depend on it and would be replaced too (their inputs fed
   * by it read as unknown, and Diff then asks for a replacement) go first, dependents before what they depend on,
   * as the Go engine's calculateDependentReplacements does. Their registrations later create them again.
   */
  private async deleteDependentsFirst(replaced: ResourceState): Promise<void> {
    const gone = new Set([replaced.urn]);
    const dependents: ResourceState[] = [];
    for (const r of this.old.values()) {
      if (this.taken.has(r.urn) || !r.custom) continue;
      if (!r.dependencies.some((d) => gone.has(d)) && !gone.has(r.parent)) continue;
      const news = { ...r.inputs };
      for (const [k, urns] of Object.entries(r.propertyDependencies))
        if (urns.some((u) => gone.has(u))) news[k] = UNKNOWN;
      const d = await this.ops.track(() => this.host.diff(r.id, r.urn, r.outputs, news, r.inputs));
      if (!d.replaces.length) continue;
      gone.add(r.urn);
      dependents.push(r);
    }
    for (const r of dependents.reverse()) {
      await this.deleteOne(r);
      this.deletedAsDependents.add(r.urn);
      this.taken.add(r.urn);
      this.checkpoints.save();
    }
  }
}
