// Ownership records: one file per object under the run directory naming the resource (and create) that made it, so a
// crashed `up` can take its own objects back (docs/ARCHITECTURE.md, "Ownership and generations").
import { createHash } from "node:crypto";
import { batchingScripts } from "../writes/batched-scripts";
import { RUN_DIR, inRunDir } from "../rundir";
import { quote } from "../shell/quote";
import { Runner, mustScript } from "../transport/runner";

/**
 * The record of which resource made the object with this id: one file per object under the run directory
 * (for a namespace, this is its marker file). The id is escaped so it is one safe file name.
 */
export function recordPath(kind: string, id: string): string {
  const name = encodeURIComponent(id);
  const file = name.length <= 200 ? name : createHash("sha256").update(id).digest("hex");
  return `${RUN_DIR}/owners/${kind}/${file}`;
}

// The scripts below use shell builtins only (but for mkdir): they run on every create and delete, and those that run
// together on one host share one round trip (writes/batched-scripts.ts), whose one `rm` removes the records they emptied.

/** Sets $x to the record's owner and $g to its generation ("" when there is none). */
const loadRecord = (path: string) =>
  `x=; g=; [ -f ${quote(path)} ] && { IFS= read -r x; IFS= read -r g; } < ${quote(path)}`;

/** Writes the record (owner, then generation); one short write, so a crash leaves it whole or empty (empty adopts nothing). */
function writeScript(path: string, owner: string, generation: string | undefined): string {
  const text = generation ? `${owner}\n${generation}` : owner;
  return inRunDir(path, `printf '%s' ${quote(text)} > ${quote(path)}`);
}

/** A record as claim scripts print it: its owner, then its generation, on two lines. */
export interface OwnerRecord {
  owner: string;
  generation: string;
}
export const parseRecord = (out: string): OwnerRecord => {
  const [owner = "", generation = ""] = out.split("\n");
  return { owner, generation };
};

/**
 * Empties the record: an empty record names nobody, and the batch the script runs in removes the file once all its
 * scripts are done (batchingScripts' `emptied`), one `rm` for the batch, unless a later script claimed it again.
 */
const emptyScript = (path: string) => `[ ! -f ${quote(path)} ] || : > ${quote(path)}`;

/** What a delete learns from the record it releases. */
export interface Release {
  /** Another owner, or another generation of this one, that holds the object ("" when none does). */
  heldBy: string;
  /**
   * True when the record named exactly this owner and generation: the object is this create's, so the delete needs
   * no second look at the marks it carries (the record is gone when /run was emptied, say by a reboot; then the
   * marks are all there is to go by).
   */
  ours: boolean;
}

/**
 * Before a delete: removes the record unless it names another owner or another generation of this one, in which case
 * the object is not this state's to delete. Should the delete then fail, the object stays in Pulumi's state anyway.
 */
export async function releaseRecord(
  runner: Runner,
  kind: string,
  id: string,
  owner: string | undefined,
  generation: string | undefined,
): Promise<Release> {
  const path = recordPath(kind, id);
  const sameOwner = owner ? `[ "$x" = ${quote(owner)} ]` : "true";
  // A record or a state from before generations matches any generation, but says nothing more than the marks.
  const sameGeneration = generation ? `{ [ -z "$g" ] || [ "$g" = ${quote(generation)} ]; }` : "true";
  const exact = owner && generation ? `if [ "$g" = ${quote(generation)} ]; then printf =; fi` : ":";
  const out = await mustScript(
    batchingScripts(runner, path),
    `${loadRecord(path)}; if [ -z "$x" ]; then :; elif ${sameOwner} && ${sameGeneration}; then ` +
      `${emptyScript(path)}; ${exact}; else printf '%s' "$x"; [ -z "$g" ] || printf ' (generation %s)' "$g"; fi`,
  );
  // A holder is a URN, never "=".
  return out === "=" ? { heldBy: "", ours: true } : { heldBy: out, ours: false };
}

/**
 * The claim of the record for this create, to run before anything is made: it writes the record unless another
 * create holds it, and prints who held it before (parseRecord; empty fields for nobody). A create sends it with its
 * first command (writes/prelude.ts).
 */
export function claimScript(kind: string, id: string, owner: string, generation: string | undefined): string {
  const path = recordPath(kind, id);
  const write = writeScript(path, owner, generation);
  return `${loadRecord(path)}; printf '%s\\n%s' "$x" "$g"; if [ -z "$x" ]; then ${write}; fi`;
}

/** Removes a record this create claimed, after a create that made nothing. */
export async function dropRecord(runner: Runner, kind: string, id: string): Promise<void> {
  const path = recordPath(kind, id);
  await mustScript(batchingScripts(runner, path), emptyScript(path));
}

export async function writeRecord(
  runner: Runner,
  kind: string,
  id: string,
  owner: string,
  generation: string | undefined,
): Promise<void> {
  await mustScript(batchingScripts(runner), writeScript(recordPath(kind, id), owner, generation));
}
