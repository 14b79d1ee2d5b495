// What one resource kind tells the generic provider: its schema, its diff table, and its host operations.
import type { z } from "zod";
import type { Runner } from "../transport/runner";

/**
 * Every stored state: the checked inputs, the connection, the owner's URN, the generation (which create of that
 * owner made the object), and what create computed.
 */
export type State<I> = I & {
  connection?: unknown;
  owner?: string;
  generation?: string;
  /** Take over an object already there that was made without this library (create only; README, "Bringing an existing lab under management"). */
  adopt?: boolean;
  /**
   * What the last read found undone beneath the object while the object itself stands, one sentence each: the
   * device under an OVS port is missing, a DHCP client's interface holds no address from its lease (a reboot, or a
   * device deleted by hand). Diff reports a state carrying it as changed, and update then applies again what the
   * resource owns on the new device, not only the inputs that changed; update's outputs no longer carry it
   * (docs/ARCHITECTURE.md, "After a reboot").
   */
  drift?: string[];
} & Record<string, unknown>;

export interface ResourceDefinition<I extends Record<string, unknown>> {
  /** The type name; tokens read pulumi-nodejs:dynamic/netns:<kind>. */
  kind: string;
  /** The inputs (without `connection`) as declared by the kind's fields, with defaults; cross-field rules as refinements. */
  schema: z.ZodObject<z.ZodRawShape>;
  /** True when a replacement reuses a kernel or OVS name, so the old object must go first. */
  deleteBeforeReplace: boolean;
  /** The Pulumi id of the object these inputs describe. */
  id(inputs: I): string;
  /**
   * Makes the object, undoing its own steps if a later one fails; returns computed outputs. Throws an
   * ExistsError when the object is already there (the generic provider then decides whether to adopt it).
   */
  create(runner: Runner, inputs: State<I>): Promise<Record<string, unknown>>;
  /**
   * The object as it is on the host now, or undefined when it is gone (or not ours); with `drift` when something it
   * configured beneath it is undone although the object stands.
   */
  read(runner: Runner, state: State<I>): Promise<Record<string, unknown> | undefined>;
  /**
   * Whether the object already there carries this owner's mark (an OVS row's external_ids, a veth's alias): kinds
   * whose objects carry marks, which outlive a reboot where the ownership records under /run do not. Create then
   * takes such an object back as it takes one its record names.
   */
  markedOurs?(runner: Runner, inputs: State<I>): Promise<boolean>;
  /**
   * For adoption (docs/ARCHITECTURE.md, "Adoption"): the object in a create's way as the host has it, whoever made it
   * (a person typing commands): its input fields as found, where fields left out are taken to match; `mark`, the owner
   * mark it carries if any; and whatever takeOver needs. Undefined when nothing matching is there. Kinds whose read
   * ignores marks leave it out, and read stands in.
   */
  handMade?(runner: Runner, inputs: State<I>): Promise<Record<string, unknown> | undefined>;
  /**
   * Takes over the object handMade found (`found`: the inputs overlaid with what it found), once no field that
   * replaces differs; returns computed outputs. Update stands in when left out: it marks the object and changes in
   * place what differs. Daemons restart under the library's own files instead, keeping their leases.
   */
  takeOver?(runner: Runner, found: State<I>, inputs: State<I>): Promise<Record<string, unknown>>;
  /**
   * Applies in-place changes (including a new owner's or generation's mark); returns computed outputs. When
   * `olds.drift` is set, applies again what the drift undid, whatever the inputs say.
   */
  update(runner: Runner, olds: State<I>, news: State<I>): Promise<Record<string, unknown>>;
  /**
   * Removes the object; already gone is success. Returns once the kernel has really let go. `recorded`: the
   * ownership record named exactly this state's owner and generation, so the object's own marks need not be read
   * again before it goes (ownership/records.ts releaseRecord).
   */
  delete(runner: Runner, state: State<I>, recorded?: boolean): Promise<void>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDefinition = ResourceDefinition<any>;
