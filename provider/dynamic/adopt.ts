// Create with crash safety: claim the ownership record first, and adopt an existing object only if the record was ours
// or, told to adopt, an object made by hand that matches the inputs.
import { ownerMark } from "../ownership/marks";
import { claimScript, dropRecord, parseRecord, writeRecord } from "../ownership/records";
import { batchingScripts } from "../writes/batched-scripts";
import { Prelude, withPrelude } from "../writes/prelude";
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
  // The claim runs on the host before the create's first command, in the same round trip (writes/prelude.ts).
  const claim = new Prelude(claimScript(def.kind, id, owner, generation));
  // A create that sent no command has it sent now, with the host's other record scripts of the moment.
  const claimed = async () => parseRecord(await claim.output(batchingScripts(runner)));
  let computed: Props;
  try {
    computed = await def.create(withPrelude(runner, claim), inputs);
  } catch (caught) {
    if (!(caught instanceof ExistsError)) throw caught; // made nothing, or (cut off) maybe something: the record stays ours
    let e: Error = caught;
    const prior = await claimed();
    if (prior.owner === owner || (!prior.owner && (await def.markedOurs?.(runner, inputs)))) {
      // Ours: a crashed `up`, or the new half of a create-before-delete replacement. Adopting moves the object to
      // this generation, so the old generation's delete leaves it alone.
      const outs = await adopt(def, runner, inputs);
      await writeRecord(runner, def.kind, id, owner, generation);
      return outs;
    }
    if (inputs.adopt === true && !prior.owner) {
      try {
        const outs = await takeOverHandMade(def, runner, inputs, caught);
        await writeRecord(runner, def.kind, id, owner, generation);
        return outs;
      } catch (refused) {
        e = refused as Error;
      }
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
  const prior = await claimed();
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

/** Shows an input's value in a refusal, as the program would write it ("(unset)" for none). */
const shown = (v: unknown) => (v === undefined ? "(unset)" : JSON.stringify(v));

/**
 * Why adoption refuses an object: each field that would need a replacement, with what the program says and what the
 * host has (pure, so that its wording is tested on its own).
 */
export function refusal(kind: string, id: string, fields: Array<[string, unknown, unknown]>): string {
  const each = fields.map(([f, want, have]) => `${f}: the program says ${shown(want)}, the host has ${shown(have)}`);
  return (
    `${kind} "${id}": cannot adopt the object already there: ${each.join("; ")}. Adoption changes in place only ` +
    "what updates and never replaces what it adopts: make the program match the host, or remove the object by hand"
  );
}

/**
 * Takes over an object made by hand (README, "Bringing an existing lab under management"): it is read as it is, and
 * only when every field that replaces matches is anything done, by the kind's takeOver (update by default: marks,
 * then what differs in place). A refusal changes nothing on the host.
 */
async function takeOverHandMade(def: AnyDefinition, runner: Runner, inputs: State<Props>, inTheWay: ExistsError) {
  const found = def.handMade ? await def.handMade(runner, inputs) : await def.read(runner, inputs);
  const id = def.id(inputs);
  if (!found)
    throw new Error(
      `${def.kind} "${id}": cannot adopt: nothing there matches the program (${inTheWay.what} is in the way)`,
    );
  const { mark, ...fields } = found;
  if (typeof mark === "string" && mark !== ownerMark(inputs.owner!))
    throw new Error(
      `${def.kind} "${id}": cannot adopt: it carries the mark of another pulumi-netns resource (${mark}); adoption takes only objects nobody manages`,
    );
  // Not ours yet: no owner or generation, so that the take-over writes both marks.
  const state: State<Props> = { ...inputs, ...fields, owner: undefined, generation: undefined };
  const { replaces } = diffInputs(def, state, inputs);
  if (replaces.length)
    throw new Error(
      refusal(
        def.kind,
        id,
        replaces.map((f) => [f, inputs[f], fields[f]]),
      ),
    );
  return def.takeOver ? def.takeOver(runner, state, inputs) : def.update(runner, state, inputs);
}
