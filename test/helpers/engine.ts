// Drives the provider implementation the way the Pulumi engine does (check, diff, create/update/replace, read, delete).
import { strict as assert } from "node:assert";
import * as host from "../../provider/dynamic/host";

type Props = Record<string, unknown>;

export interface Deployed {
  kind: string;
  id: string;
  inputs: Props;
  outs: Props;
}

/** check with the engine's rules: failures abort before any host access. */
export async function check(kind: string, news: Props, olds: Props = {}): Promise<Props> {
  const r = await host.check(kind, olds, news);
  if (r.failures.length) {
    throw new Error(r.failures.map((f) => `${f.property}: ${f.reason}`).join("; "));
  }
  return r.inputs;
}

export async function create(kind: string, inputs: Props): Promise<Deployed> {
  const checked = await check(kind, inputs);
  const r = await host.create(kind, checked);
  return { kind, id: r.id, inputs: checked, outs: r.outs };
}

/** A later `up` with new inputs: update in place or replace, as diff says. Returns the action taken. */
export async function up(
  d: Deployed,
  inputs: Props,
): Promise<{ action: "same" | "update" | "replace"; deployed: Deployed }> {
  const checked = await check(d.kind, inputs, d.inputs);
  const diff = await host.diff(d.kind, d.outs, checked);
  if (!diff.changes) return { action: "same", deployed: d };
  if (diff.replaces.length === 0) {
    const r = await host.update(d.kind, d.outs, checked);
    return { action: "update", deployed: { ...d, inputs: checked, outs: r.outs } };
  }
  assert.ok(diff.deleteBeforeReplace, "replacements that reuse names must delete first");
  await host.remove(d.kind, d.outs);
  return { action: "replace", deployed: await create(d.kind, inputs) };
}

export async function refresh(d: Deployed): Promise<Deployed | undefined> {
  const r = await host.read(d.kind, d.id, d.outs);
  return r.id ? { ...d, outs: r.props } : undefined;
}

export async function destroy(...ds: Deployed[]): Promise<void> {
  for (const d of ds.reverse()) await host.remove(d.kind, d.outs);
}

/** What a test created, so that it can be destroyed (newest first) whatever happens. */
export class Made {
  readonly all: Deployed[] = [];

  constructor(private readonly connection: unknown) {}

  async create(kind: string, inputs: Props): Promise<Deployed> {
    const d = await create(kind, { ...inputs, connection: this.connection });
    this.all.push(d);
    return d;
  }

  /** Records that `now` took the place of `old` (after an update or replace). */
  replace(old: Deployed, now: Deployed): Deployed {
    this.all[this.all.indexOf(old)] = now;
    return now;
  }

  destroy(): Promise<void> {
    return destroy(...this.all.splice(0));
  }

  /** Destroys one of them now. */
  destroyOne(d: Deployed): Promise<void> {
    this.all.splice(this.all.indexOf(d), 1);
    return destroy(d);
  }
}
