// Transactional create: runs steps in order and, when one fails, undoes the finished ones newest first.
import { GONE } from "../idempotent";
import { framedScript, parseFrames } from "../shell/frames";
import { quoteArgv } from "../shell/quote";
import { CommandError, RunResult, Runner } from "../transport/runner";

export interface Step {
  run: readonly string[];
  /** Undoes this step once it has succeeded. */
  undo?: readonly string[];
  /** Turns a failed (or suspicious) result into a specific error; the default is a CommandError. */
  explain?: (result: RunResult) => Error | undefined;
}

/** The steps as one script that stops at the first step to fail, each step's output framed (shell/frames.ts). */
export const stepsScript = (steps: readonly Step[]): string =>
  framedScript(
    steps.map((s, i) => ({ label: String(i), script: quoteArgv(s.run) })),
    { separateStderr: true, stopOnFailure: true },
  );

/** Each finished step's own result, in order; a script cut short yields fewer results than steps. */
export const parseSteps = (r: RunResult): RunResult[] =>
  parseFrames(r).map(({ code, stdout, stderr }) => ({ code, stdout, stderr }));

export interface TransactionOptions {
  /**
   * Runs each step as its own command, one round trip each, instead of all of them as one script: for steps that a
   * batching runner joins with other resources' commands (ip/batch.ts), which saves more than the round trips cost.
   */
  stepByStep?: boolean;
}

/** The steps one command at a time, up to the first that fails. */
async function runEach(runner: Runner, steps: readonly Step[]): Promise<RunResult[]> {
  const ran: RunResult[] = [];
  for (const step of steps) {
    ran.push(await runner.run(step.run));
    if (ran[ran.length - 1].code !== 0) break;
  }
  return ran;
}

/**
 * Runs the steps in order and, when one fails, undoes the finished ones newest first. Several steps go to the
 * host as one script (one round trip) unless `stepByStep`; a single step runs alone, so a batching runner can still
 * join it with others. Returns each step's result.
 */
export async function transaction(
  runner: Runner,
  steps: readonly Step[],
  o: TransactionOptions = {},
): Promise<RunResult[]> {
  let done: Step[] = [];
  const results: RunResult[] = [];
  let error: Error | undefined;
  try {
    const ran =
      steps.length === 1 || o.stepByStep
        ? await runEach(runner, steps)
        : parseSteps(await runner.script(stepsScript(steps)));
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
