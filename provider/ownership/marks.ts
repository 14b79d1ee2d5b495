// Ownership marks (pure): the owner URN input, generations, and the marks objects carry (an OVS row's ids, a veth's alias).
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";

/** The `owner` input: set by the resource class from its own URN, never by hand. */
export const ownerSchema = z
  .string()
  .max(2048, "a URN is at most 2048 characters")
  .startsWith("urn:pulumi:", "must be a Pulumi URN (urn:pulumi:...)")
  .regex(/^\P{Cc}*$/u, "must not contain control characters")
  .describe("The URN of the resource that owns the object; pulumi-netns sets it.");

/**
 * A generation names one create of a resource: a create-before-delete replacement makes a second object (or adopts
 * the first) under the same URN, and the old resource's delete must then leave it alone (docs/ARCHITECTURE.md).
 */
export const newGeneration = () => randomBytes(8).toString("hex");
const GENERATION = /^[0-9a-f]{16}$/;

/**
 * The kernel keeps at most 255 bytes of a link alias (IFALIASZ), which also carries the generation after a space:
 * longer URNs are marked by their hash.
 */
export function ownerMark(owner: string): string {
  return Buffer.byteLength(owner) <= 238 ? owner : `sha256:${createHash("sha256").update(owner).digest("hex")}`;
}

/** One string holding both marks, for objects that can carry only one (a link alias): "<owner mark> <generation>". */
export const joinMark = (owner: string, generation: string | undefined) =>
  generation ? `${ownerMark(owner)} ${generation}` : ownerMark(owner);

/** The owner mark and generation of a joined mark (marks made before generations have none). */
export function splitMark(mark: string | undefined): { owner?: string; generation?: string } {
  if (!mark) return {};
  const at = mark.lastIndexOf(" ");
  const tail = mark.slice(at + 1);
  return at > 0 && GENERATION.test(tail) ? { owner: mark.slice(0, at), generation: tail } : { owner: mark };
}

/** The ownership fields of a state that marks carry. */
export type Marks = { owner?: string; generation?: string };

/** True when the owner or generation mark must be written again (adopted by a new create, or renamed). */
export const markChanged = (olds: Marks, news: Marks) =>
  olds.owner !== news.owner || olds.generation !== news.generation;

/** True when an object's generation mark names another create than this state's (both known). */
export const otherGeneration = (mark: string | undefined, generation: string | undefined) =>
  !!mark && !!generation && mark !== generation;

/** True when an object's mark names another owner; an unmarked object (made before its mark) is not foreign. */
export const markedByOther = (mark: string | undefined, owner: string | undefined) =>
  !!owner && !!mark && mark !== ownerMark(owner);
