// Create with crash safety: claim the ownership record first, and adopt an existing object only if the record was ours.
import { claimRecord, dropRecord, writeRecord } from "../owner";
import { ExistsError } from "../idempotent";
import { Runner } from "../transport/runner";
import { AnyDefinition, State } from "./definition";
import { diffInputs } from "./diff";

type Props = Record<string, unknown>;

/**
 * An `up` killed after the host made an object but before Pulumi saved it leaves an object no state knows.
 * Its record (claimed before the object was made) names this resource, so the next create takes it over. A reboot
 * empties the records but not Open vSwitch's database: an object without a record is taken over when its own mark
 * names this resource, and refused when it names another or none.
 */
export async function createOrAdopt(def: AnyDefinition, runner: Runner, inputs: State<Props>): Promise<Props> {
  const { owner, generation } = inputs;
  if (!owner) return def.create(runner, inputs);
  const id = def.id(inputs);
  const prior = await claimRecord(runner, def.kind, id, owner, generation);
  let computed: Props;
  try {
    computed = await def.create(runner, inputs);
  } catch (e) {
    if (!(e instanceof ExistsError)) throw e; // made nothing, or (cut off) maybe something: the record stays ours
    if (prior.owner === owner || (!prior.owner && (await def.markedOurs?.(runner, inputs)))) {
      // Ours: a crashed `up`, or the new half of a create-before-delete replacement. Adopting moves the object to
      // this generation, so the old generation's delete leaves it alone.
      const outs = await adopt(def, runner, inputs);
      await writeRecord(runner, def.kind, id, owner, generation);
      return outs;
    }
    // The object was there before us: our claim, left behind, would let a later create adopt it.
    if (!prior.owner) {
      await dropRecord(runner, def.kind, id).catch((d: Error) => {
        e.message += `; also remove its ownership record by hand (${d.message})`;
      });
    }
    throw e;
  }
  // Another owner's record outlived its object (the name was free): the new object is ours.
  if (prior.owner && (prior.owner !== owner || prior.generation !== generation))
    await writeRecord(runner, def.kind, id, owner, generation);
  return computed;
}

/** Brings our own leftover object to the inputs: in place when it can be, else by making it again. */
async function adopt(def: AnyDefinition, runner: Runner, inputs: State<Props>): Promise<Props> {
  const actual = await def.read(runner, inputs);
  const state = { ...inputs, ...actual };
  if (actual && diffInputs(def, state, inputs).replaces.length === 0) return def.update(runner, state, inputs);
  // Half made (a crash between two steps) or made differently: ours either way, so remove it and start over.
  await def.delete(runner, state);
  return def.create(runner, inputs);
}
