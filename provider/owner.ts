// Ownership: the URN of the resource that made an object, kept on the host so a crashed `up` can adopt its own objects.
import { createHash } from "node:crypto";
import { z } from "zod";
import { RUN_DIR, removeFilesArgv, writeFileScript } from "./rundir";
import { quote } from "./shell/quote";
import { Runner, mustRun } from "./transport/runner";

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

/** Who the record names now ("" for nobody). */
export async function readRecord(runner: Runner, kind: string, id: string): Promise<string> {
  return (await runner.run(["cat", recordPath(kind, id)])).stdout;
}

/** Claims the record for `owner` before anything is made, and returns who held it before ("" for nobody). */
export async function claimRecord(runner: Runner, kind: string, id: string, owner: string): Promise<string> {
  const path = recordPath(kind, id);
  return mustRun(runner, ["sh", "-c", `cat ${quote(path)} 2>/dev/null; ${writeFileScript(path, owner)}`]);
}

/** Puts back what claimRecord found, after a create that made nothing. */
export async function restoreRecord(runner: Runner, kind: string, id: string, prior: string): Promise<void> {
  const path = recordPath(kind, id);
  await mustRun(runner, prior ? ["sh", "-c", writeFileScript(path, prior)] : removeFilesArgv([path]));
}

export async function writeRecord(runner: Runner, kind: string, id: string, owner: string): Promise<void> {
  await mustRun(runner, ["sh", "-c", writeFileScript(recordPath(kind, id), owner)]);
}

export async function removeRecord(runner: Runner, kind: string, id: string): Promise<void> {
  await mustRun(runner, removeFilesArgv([recordPath(kind, id)]));
}
