// The provider implementation: the serialized provider requires this module by package name at call time.
import { newGeneration } from "../ownership/marks";
import { releaseRecord, writeRecord } from "../ownership/records";
import { definition } from "../registry";
import { duringWrite, snapshotReads } from "../reads/snapshot";
import { createOrAdopt } from "./adopt";
import { checkInputs } from "./check";
import { diffInputs } from "./diff";

type Props = Record<string, unknown>;

/** The transport (and ssh2) loads on the first host operation: preview only checks and diffs, and never needs it. */
const runnerFor = (connection: unknown) =>
  (require("../transport") as typeof import("../transport")).runnerFor(connection);

/** Values as the engine can hold them: protobuf Structs have no `undefined`, so unset keys are dropped. */
function storable(props: Props): Props {
  return JSON.parse(JSON.stringify(props)) as Props;
}

/** State without the engine's serialized provider, which is never ours to compare or store twice. */
function own(props: Props): Props {
  const rest = { ...props };
  delete rest.__provider;
  return rest;
}

export async function check(kind: string, _olds: Props, news: Props) {
  return checkInputs(definition(kind), news);
}

export async function diff(kind: string, olds: Props, news: Props) {
  return diffInputs(definition(kind), own(olds), own(news));
}

export async function create(kind: string, props: Props) {
  const def = definition(kind);
  const inputs: Props = { ...own(props), generation: newGeneration() };
  const runner = runnerFor(inputs.connection);
  const computed = await duringWrite(runner, () => createOrAdopt(def, runner, inputs));
  return { id: def.id(inputs), outs: storable({ ...inputs, ...computed }) };
}

export async function read(kind: string, id: string, props: Props) {
  const def = definition(kind);
  const state = own(props);
  // The engine reads only to refresh: those reads share host-wide snapshots.
  const actual = await def.read(snapshotReads(runnerFor(state.connection), `${kind}/${id}`), state);
  // An empty id tells the engine the object is gone. The state keeps its own generation: it says which create
  // this resource may delete, whatever the object's marks say now.
  // Drift is what this read found, not what an earlier one did: a refresh after a repair by hand clears it.
  return actual
    ? { id, props: storable({ ...state, ...actual, generation: state.generation, drift: actual.drift }) }
    : { id: "", props: {} };
}

export async function update(kind: string, olds: Props, news: Props) {
  const def = definition(kind);
  const state = own(olds);
  // An update keeps the object, and so its generation.
  const inputs: Props = { ...own(news), generation: state.generation };
  const runner = runnerFor(inputs.connection);
  const computed = await duringWrite(runner, async () => {
    const outs = await def.update(runner, state, inputs);
    if (typeof inputs.owner === "string" && inputs.owner !== state.owner)
      await writeRecord(runner, kind, def.id(inputs), inputs.owner, inputs.generation as string | undefined);
    return outs;
  });
  return { outs: storable({ ...inputs, ...computed }) };
}

export async function remove(kind: string, props: Props) {
  const def = definition(kind);
  const state = own(props);
  const runner = runnerFor(state.connection);
  const id = def.id(state);
  await duringWrite(runner, async () => {
    const [owner, generation] = [state.owner as string | undefined, state.generation as string | undefined];
    const record = await releaseRecord(runner, kind, id, owner, generation);
    // Another resource, or a newer create of this one (a create-before-delete replacement), holds the object now:
    // it is not this state's to delete.
    if (record.heldBy) return;
    await def.delete(runner, state, record.ours);
  });
}
