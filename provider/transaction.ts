// Transactional create: runs steps in order and, when one fails, undoes the finished ones newest first.
import { quoteArgv } from "./shell/quote";
import { CommandError, RunResult, Runner } from "./transport/runner";

export interface Step {
  run: readonly string[];
  /** Undoes this step once it has succeeded. */
  undo?: readonly string[];
  /** Turns a failed (or suspicious) result into a specific error; the default is a CommandError. */
  explain?: (result: RunResult) => Error | undefined;
}

/** Ends each step's output in a many-step script: a line no command prints, with the step's exit code on stdout. */
const STEP_END = "@@pulumi-netns-step@@";

/** The steps as one script that stops at the first step to fail; each step's output is framed (see parseSteps). */
export function stepsScript(steps: readonly Step[]): string {
  return steps
    .map(
      (s) =>
        `${quoteArgv(s.run)} </dev/null; c=$?; printf '\\n%s %d\\n' '${STEP_END}' "$c"; ` +
        `printf '\\n%s\\n' '${STEP_END}' >&2; [ "$c" -eq 0 ] || exit 0`,
    )
    .join("\n");
}

/** Each finished step's own result, in order; a script cut short yields fewer results than steps. */
export function parseSteps(r: RunResult): RunResult[] {
  const outs = r.stdout.split(`\n${STEP_END} `);
  const errs = r.stderr.split(`\n${STEP_END}\n`);
  const results: RunResult[] = [];
  for (let i = 0; i + 1 < outs.length; i++) {
    const stdout = i === 0 ? outs[0] : outs[i].slice(outs[i].indexOf("\n") + 1);
    results.push({ code: parseInt(outs[i + 1], 10), stdout, stderr: errs[i] ?? "" });
  }
  return results;
}

/**
 * Runs the steps in order and, when one fails, undoes the finished ones newest first. Several steps go to the
 * host as one script (one round trip); a single step runs alone, so a batching runner can still join it with
 * others. Returns each step's result.
 */
export async function transaction(runner: Runner, steps: readonly Step[]): Promise<RunResult[]> {
  let done: Step[] = [];
  const results: RunResult[] = [];
  let error: Error | undefined;
  try {
    const ran =
      steps.length === 1 ? [await runner.run(steps[0].run)] : parseSteps(await runner.script(stepsScript(steps)));
    for (let i = 0; i < steps.length; i++) {
      const result = ran[i];
      if (!result) {
        // The script stops after a failed command; ending before a step reported back otherwise means it, and
        // anything after it, may have run.
        if (ran.every((r) => r.code === 0)) {
          error ??= new Error(
            `running "${quoteArgv(steps[i].run)}": the script stopped before this step reported back`,
          );
          done.push(...steps.slice(i));
        }
        break;
      }
      results.push(result);
      error ??=
        steps[i].explain?.(result) ??
        (result.code !== 0 ? new CommandError(quoteArgv(steps[i].run), result) : undefined);
      // A step can succeed and still be wrong (e.g. a port added whose device is missing): undo it too.
      if (result.code === 0) done.push(steps[i]);
    }
  } catch (e) {
    // The connection broke mid-way: any step may or may not have run, so undo them all.
    error = e as Error;
    done = [...steps];
  }
  if (!error) return results;
  await rollback(runner, done, error);
  throw error;
}

/** Undoes finished steps newest first; what cannot be undone is appended to the error for the user. */
async function rollback(runner: Runner, done: Step[], error: Error): Promise<void> {
  const leftovers: string[] = [];
  for (const prior of done.reverse()) {
    if (!prior.undo) continue;
    const undo = await runner.run(prior.undo).catch((e: Error) => ({ code: -1, stdout: "", stderr: e.message }));
    if (undo.code !== 0 && !GONE.test(undo.stderr))
      leftovers.push(`running "${quoteArgv(prior.undo)}": ${undo.stderr.trim()}`);
  }
  if (leftovers.length) error.message += `; rolling back also failed, clean up by hand: ${leftovers.join("; ")}`;
}

/** An object of that name is already there; create adopts it only when the ownership record names this resource. */
export class ExistsError extends Error {
  constructor(what: string) {
    super(
      `${what} already exists and was not made by this resource (pulumi-netns adopts only objects its own resource made: remove it or pick another name)`,
    );
    this.name = "ExistsError";
  }
}

/** stderr of a command that found its object (or the namespace holding it) missing. */
export const GONE =
  /Cannot find device|Cannot open network namespace|does not exist|No such device|No such file or directory|no row|No such process|Cannot assign requested address/;

/** Runs a delete-style command; "already gone" counts as success. */
export async function runIdempotent(runner: Runner, argv: readonly string[]): Promise<void> {
  const r = await runner.run(argv);
  if (r.code !== 0 && !GONE.test(r.stderr)) throw new CommandError(quoteArgv(argv), r);
}

/** Polls until `gone` says the object has really left the kernel (teardown can be asynchronous). */
export async function waitUntil(what: string, gone: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 20; ; delay = Math.min(delay * 2, 250)) {
    if (await gone()) return;
    if (Date.now() > deadline) throw new Error(`${what} was still there after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, delay));
  }
}
