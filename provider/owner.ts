// Ownership: the URN of the resource that made an object, kept on the host so a crashed `up` can adopt its own objects.
import { createHash } from "node:crypto";
import { z } from "zod";
import { RUN_DIR, removeEmptyDirsScript } from "./rundir";
import { quote } from "./shell/quote";
import { Runner, mustScript } from "./transport/runner";

/** The `owner` input: set by the resource class from its own URN, never by hand. */
export const ownerSchema = z
  .string()
  .max(2048, "a URN is at most 2048 characters")
  .startsWith("urn:pulumi:", "must be a Pulumi URN (urn:pulumi:...)")
  .regex(/^\P{Cc}*$/u, "must not contain control characters")
  .describe("The URN of the resource that owns the object; pulumi-netns sets it.");

/** The kernel keeps at most 255 bytes of a link alias (IFALIASZ): longer URNs are marked by their hash. */
export function ownerMark(owner: string): string {
  return Buffer.byteLength(owner) <= 255 ? owner : `sha256:${createHash("sha256").update(owner).digest("hex")}`;
}

/** True when an object's mark names another owner; an unmarked object (made before its mark) is not foreign. */
export const markedByOther = (mark: string | undefined, owner: string | undefined) =>
  !!owner && !!mark && mark !== ownerMark(owner);

/**
 * The record of which resource made the object with this id: one file per object under the run directory
 * (for a namespace, this is its marker file). The id is escaped so it is one safe file name.
 */
export function recordPath(kind: string, id: string): string {
  const name = encodeURIComponent(id);
  const file = name.length <= 200 ? name : createHash("sha256").update(id).digest("hex");
  return `${RUN_DIR}/owners/${kind}/${file}`;
}

// The scripts below use shell builtins only (but for mkdir and rm): they run on every create and delete.

/** Sets $x to the record's owner ("" when there is none). */
const loadRecord = (path: string) => `x=; [ -f ${quote(path)} ] && IFS= read -r x < ${quote(path)}`;

/** Writes the record; one short write, so a crash leaves it whole or empty (empty adopts nothing). */
function writeScript(path: string, owner: string): string {
  const dir = path.slice(0, path.lastIndexOf("/"));
  return `{ [ -d ${quote(dir)} ] || mkdir -p ${quote(dir)}; } && printf '%s' ${quote(owner)} > ${quote(path)}`;
}

/** Removes the record, and its directories once the last record in them is gone. */
function removeScript(path: string): string {
  const dir = path.slice(0, path.lastIndexOf("/"));
  return `rm -f ${quote(path)}; set -- ${quote(dir)}/*; [ -e "$1" ] || ${removeEmptyDirsScript([path])}`;
}

/**
 * Before a delete: removes the record unless it names another owner, and returns that other owner ("" when the
 * object is this owner's or nobody's). Should the delete then fail, the object stays in Pulumi's state anyway.
 */
export function releaseRecord(runner: Runner, kind: string, id: string, owner: string | undefined): Promise<string> {
  const path = recordPath(kind, id);
  const mine = owner ? `[ "$x" = ${quote(owner)} ]` : "true";
  return mustScript(
    runner,
    `${loadRecord(path)}; if [ -z "$x" ]; then :; elif ${mine}; then ${removeScript(path)}; else printf '%s' "$x"; fi`,
  );
}

/**
 * Claims the record for `owner` before anything is made, unless another owner holds it, and returns who held it
 * before ("" for nobody).
 */
export function claimRecord(runner: Runner, kind: string, id: string, owner: string): Promise<string> {
  const path = recordPath(kind, id);
  const write = writeScript(path, owner);
  return mustScript(runner, `${loadRecord(path)}; printf '%s' "$x"; if [ -z "$x" ]; then ${write}; fi`);
}

/** Removes a record this create claimed, after a create that made nothing. */
export async function dropRecord(runner: Runner, kind: string, id: string): Promise<void> {
  await mustScript(runner, removeScript(recordPath(kind, id)));
}

export async function writeRecord(runner: Runner, kind: string, id: string, owner: string): Promise<void> {
  await mustScript(runner, writeScript(recordPath(kind, id), owner));
}
