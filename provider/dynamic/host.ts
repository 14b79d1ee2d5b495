// The provider implementation: the serialized provider requires this module by package name at call time.
import { newGeneration } from "../ownership/marks";
import { releaseRecord, writeRecord } from "../ownership/records";
import { definition } from "../registry";
import { duringWrite, snapshotReads } from "../reads/snapshot";
import { createOrAdopt } from "./adopt";
import type { AnyDefinition } from "./definition";
import { checkInputs } from "./check";
import { withInstallHint } from "../host/commands";
import { diffInputs } from "./diff";
import { currentNames, givenTwice, withOldNames } from "./fields";

type Props = Record<string, unknown>;

/** A host operation, whose failure names the package and the Host's need when a tool was not there. */
async function hinted<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw withInstallHint(e);
  }
}

/** The transport (and ssh2) loads on the first host operation: preview only checks and diffs, and never needs it. */
const runnerFor = (connection: unknown) =>
  (require("../transport") as typeof import("../transport")).runnerFor(connection);

/** Values as the engine can hold them: protobuf Structs have no `undefined`, so unset keys are dropped. */
function storable(props: Props): Props {
  return JSON.parse(JSON.stringify(props)) as Props;
}

/**
 * State or inputs without the engine's serialized provider (never ours to compare or store twice), each input under
 * its current name: a state written before an input was renamed holds it under the old one (fields.ts formerly()).
 */
function own(def: AnyDefinition, props: Props): Props {
  const rest = currentNames(def.schema.shape, props);
  delete rest.__provider;
  return rest;
}

/** Outputs as the engine stores them, each renamed input also under its old name for the programs that read that. */
const outputs = (def: AnyDefinition, props: Props) => storable(withOldNames(def.schema.shape, props));

export async function check(kind: string, _olds: Props, news: Props) {
  const def = definition(kind);
  const checked = checkInputs(def, currentNames(def.schema.shape, news));
  for (const [was, now] of givenTwice(def.schema.shape, news))
    checked.failures.push({ property: was, reason: `is the old name of ${now}: set one of them` });
  return checked;
}

export async function diff(kind: string, olds: Props, news: Props) {
  const def = definition(kind);
  return diffInputs(def, own(def, olds), own(def, news));
}

export async function create(kind: string, props: Props) {
  const def = definition(kind);
  const inputs: Props = { ...own(def, props), generation: newGeneration() };
  const runner = runnerFor(inputs.connection);
  const computed = await hinted(() => duringWrite(runner, () => createOrAdopt(def, runner, inputs)));
  return { id: def.id(inputs), outs: outputs(def, { ...inputs, ...computed }) };
}

export async function read(kind: string, id: string, props: Props) {
  const def = definition(kind);
  const state = own(def, props);
  // The engine reads only to refresh: those reads share host-wide snapshots.
  const actual = await hinted(() => def.read(snapshotReads(runnerFor(state.connection), `${kind}/${id}`), state));
  // An empty id tells the engine the object is gone. The state keeps its own generation: it says which create
  // this resource may delete, whatever the object's marks say now.
  // Drift is what this read found, not what an earlier one did: a refresh after a repair by hand clears it.
  return actual
    ? { id, props: outputs(def, { ...state, ...actual, generation: state.generation, drift: actual.drift }) }
    : { id: "", props: {} };
}

export async function update(kind: string, olds: Props, news: Props) {
  const def = definition(kind);
  const state = own(def, olds);
  // An update keeps the object, and so its generation.
  const inputs: Props = { ...own(def, news), generation: state.generation };
  const runner = runnerFor(inputs.connection);
  const computed = await hinted(() =>
    duringWrite(runner, async () => {
      const outs = await def.update(runner, state, inputs);
      if (typeof inputs.owner === "string" && inputs.owner !== state.owner)
        await writeRecord(runner, kind, def.id(inputs), inputs.owner, inputs.generation as string | undefined);
      return outs;
    }),
  );
  return { outs: outputs(def, { ...inputs, ...computed }) };
}

export async function remove(kind: string, props: Props) {
  const def = definition(kind);
  const state = own(def, props);
  const runner = runnerFor(state.connection);
  const id = def.id(state);
  await hinted(() =>
    duringWrite(runner, async () => {
      const [owner, generation] = [state.owner as string | undefined, state.generation as string | undefined];
      const record = await releaseRecord(runner, kind, id, owner, generation);
      // Another resource, or a newer create of this one (a create-before-delete replacement), holds the object now:
      // it is not this state's to delete.
      if (record.heldBy) return;
      await def.delete(runner, state, record.ours);
    }),
  );
}
