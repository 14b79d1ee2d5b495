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

export async function transaction(runner: Runner, steps: readonly Step[]): Promise<void> {
  const done: Step[] = [];
  for (const step of steps) {
    let error: Error | undefined;
    let maybeHappened: boolean;
    try {
      const result = await runner.run(step.run);
      error = step.explain?.(result) ?? (result.code !== 0 ? new CommandError(quoteArgv(step.run), result) : undefined);
      // A step can succeed and still be wrong (e.g. a port added whose device is missing): undo it too.
      maybeHappened = result.code === 0;
    } catch (e) {
      // The connection broke mid-command: it may or may not have run, so undo it as well.
      error = e as Error;
      maybeHappened = true;
    }
    if (!error) {
      done.push(step);
      continue;
    }
    if (maybeHappened) done.push(step);
    await rollback(runner, done, error);
    throw error;
  }
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
