// `ip` writes in the host's namespace that arrive together run as one `ip -force -batch`: one process for all of
// them, where each alone would start its own (docs/ARCHITECTURE.md, "Host commands and what they cost").
import { randomInt } from "node:crypto";
import { Batcher } from "../coalesce";
import { PerHost } from "../per-host";
import { RunResult, Runner } from "../transport/runner";
import { Prelude, afterPrelude, sendAfter } from "../writes/prelude";

/** Commands that write and print nothing when they succeed: the only ones a batch may hold. */
const WRITES = new Set(["netns add", "netns del", "link add", "link set", "link del"]);

/** iproute2 splits a batch line into at most this many words, and ends the whole batch beyond it. */
const MAX_WORDS = 99;

/**
 * One word as `ip -batch` reads it (iproute2's makeargs): words split at blanks, a word that starts with a quote
 * runs to the next such quote and knows no escapes, a '#' anywhere ends the line and a backslash before its end
 * joins the next. Undefined when the word cannot be written so.
 */
function batchWord(word: string): string | undefined {
  if (/[#\\\n\r]/.test(word)) return undefined;
  if (word !== "" && !/[ \t]/.test(word) && !/^['"]/.test(word)) return word;
  if (!word.includes("'")) return `'${word}'`;
  if (!word.includes('"')) return `"${word}"`;
  return undefined;
}

/** The argv of an `ip` write in the host's namespace as one line of `ip -batch`, or undefined when it is not one. */
export function batchLine(argv: readonly string[]): string | undefined {
  if (argv[0] !== "ip" || !WRITES.has(`${argv[1]} ${argv[2]}`) || argv.length > MAX_WORDS) return undefined;
  const words = argv.slice(1).map(batchWord);
  return words.every((w) => w !== undefined) ? words.join(" ") : undefined;
}

/** The lines as one script: `-force` runs every line whatever the ones before it did. */
export const batchScript = (lines: readonly string[]): string =>
  `ip -force -batch - <<'PULUMI_NETNS_IP_BATCH'\n${lines.join("\n")}\nPULUMI_NETNS_IP_BATCH`;

/**
 * What each of `count` lines did, from the batch's result: a RunResult for a line known to have succeeded or
 * failed, an Error for one that may or may not have run. `ip -force -batch` prints a failed line's own messages,
 * then "Command failed -:N", and exits 1 when any line failed; a line that ends ip itself (a usage error) prints no
 * such line, and neither do the lines after it, which never run.
 */
export function batchResults(r: RunResult, count: number): Array<RunResult | Error> {
  const failed = new Map<number, string>();
  let said: string[] = [];
  for (const line of r.stderr.split("\n")) {
    const m = /^Command failed -:(\d+)$/.exec(line);
    if (!m) {
      if (line) said.push(line);
      continue;
    }
    failed.set(Number(m[1]), said.join("\n"));
    said = [];
  }
  const last = Math.max(0, ...failed.keys());
  // Every line is accounted for: the batch ran to its end, and ip's exit says no more than its lines did.
  const whole = r.code === 0 || (r.code === 1 && failed.size > 0 && said.length === 0);
  const unsure = `ip stopped during its batch before this command reported back, so it may or may not have taken effect: ${
    said.join("\n").trim() || `exit code ${r.code}`
  }`;
  return Array.from({ length: count }, (_, i) => {
    const line = i + 1;
    if (failed.has(line)) return { code: 1, stdout: "", stderr: failed.get(line)! };
    return whole || line < last ? { code: 0, stdout: "", stderr: "" } : new Error(unsure);
  });
}

/** A device delete as a batch line: `link del [dev] NAME` (a device name holds no blank, quoted or not). */
const DEVICE_DELETE = /^link del (?:dev )?(\S+)$/;

/**
 * The lines with their device deletes grouped, when there are two or more: each moves its device into `group`
 * instead, and one line at the end deletes the group. The kernel waits out a grace period after each device it
 * deletes, under the lock every link change takes, and once for a whole group (docs/ARCHITECTURE.md, "Host commands
 * and what they cost"). `grouped` lists the lines whose outcome, once they succeed, is the last line's.
 */
export function groupDeletes(lines: readonly string[], group: number): { lines: string[]; grouped: number[] } {
  const grouped = lines.flatMap((l, i) => (DEVICE_DELETE.test(l) ? [i] : []));
  if (grouped.length < 2) return { lines: [...lines], grouped: [] };
  const moved = lines.map((l) => l.replace(DEVICE_DELETE, (_, dev: string) => `link set dev ${dev} group ${group}`));
  return { lines: [...moved, `link del group ${group}`], grouped };
}

/**
 * A group number no other device is in: `link del group` deletes every device of the group in the namespace.
 * Groups below 2^16 are left to the host's own use (0 is every device's default); two batches, of this or another
 * process, pick the same number one time in 2^31.
 */
const freshGroup = () => randomInt(2 ** 16, 2 ** 31 - 1);

interface Request {
  argv: readonly string[];
  line: string;
  /** What must run before it (a create's claim, writes/prelude.ts). */
  preludes: Prelude[];
  resolve: (r: RunResult) => void;
  reject: (e: unknown) => void;
}

/**
 * Runs the batch's lines as one `ip` (a single line as its own command) and gives each caller its own result. Should
 * the group delete fail, its devices' deletes run again one line each, so that each caller learns its own fate.
 */
async function apply(runner: Runner, batch: Request[], grouping = true): Promise<void> {
  const preludes = batch.flatMap((b) => b.preludes);
  if (batch.length === 1)
    return sendAfter(runner, preludes, { argv: batch[0].argv }).then(batch[0].resolve, batch[0].reject);
  const asSent = batch.map((b) => b.line);
  const { lines, grouped } = grouping ? groupDeletes(asSent, freshGroup()) : { lines: asSent, grouped: [] };
  let results: Array<RunResult | Error>;
  try {
    // One process that never exits the shell: it runs in the session's shell itself, with no fork for a subshell.
    results = batchResults(
      await sendAfter(runner, preludes, { script: batchScript(lines), inSession: true }),
      lines.length,
    );
  } catch (e) {
    // Cut off: any line may or may not have run.
    for (const b of batch) b.reject(e);
    return;
  }
  const groupDeleted = results[lines.length - 1];
  const again = new Set<number>();
  for (const i of grouped) {
    const moved = results[i];
    if (moved instanceof Error || moved.code !== 0) continue; // its own failure: the device is not in the group
    if (groupDeleted instanceof Error || groupDeleted.code === 0) results[i] = groupDeleted;
    else again.add(i);
  }
  batch.forEach((b, i) => {
    const got = results[i];
    if (again.has(i)) return;
    if (got instanceof Error) b.reject(got);
    else b.resolve(got);
  });
  if (again.size)
    await apply(
      runner,
      [...again].map((i) => ({ ...batch[i], preludes: [] })),
      false,
    );
}

const batchers = new PerHost((runner) => new Batcher<Request>((batch) => apply(runner, batch)));

/**
 * A runner that sends every `ip` write in the host's namespace that a batch line can hold (`netns add|del`, `link
 * add|set|del`, no global option) through the host's batcher, and everything else straight through. A line's
 * failure fails its own caller alone, with ip's message for that line.
 */
export function batchingHostIp(runner: Runner): Runner {
  const b = batchers.of(runner);
  return {
    target: runner.target,
    run: (argv) => {
      const line = batchLine(argv);
      if (line === undefined) return runner.run(argv);
      return afterPrelude(
        runner,
        (preludes) => new Promise<RunResult>((resolve, reject) => b.add({ argv, line, preludes, resolve, reject })),
      );
    },
    script: (text, inSession) => runner.script(text, inSession),
  };
}
