// A short script that must run on the host before any of a create's commands, sent in the round trip of the first
// (the ownership record's claim, docs/ARCHITECTURE.md "Ownership and generations"): one round trip fewer per create.
import { afterFrames, framedScript, parseFrames } from "../shell/frames";
import { runsAsProgram } from "../shell/program";
import { quote, quoteArgv } from "../shell/quote";
import { CommandError, RunResult, Runner, baseRunner } from "../transport/runner";

/**
 * A prelude: short shell text that never waits and may run in the host's session shell itself, as batchingScripts'
 * scripts do (it never runs `exit`, `exec` or `cd` or sets options, and sets every variable it reads).
 */
export class Prelude {
  private sent = false;
  private settle!: { resolve: (r: RunResult) => void; reject: (e: unknown) => void };
  /** What the prelude printed; rejects with a CommandError when it failed, or when its round trip broke. */
  readonly result: Promise<RunResult>;

  constructor(readonly text: string) {
    this.result = new Promise<RunResult>((resolve, reject) => (this.settle = { resolve, reject }));
    // Whoever awaits it handles its failure; a create that fails before reading it must not crash the provider.
    this.result.catch(() => undefined);
  }

  /** The prelude for the command about to go to the host: this one if it has not gone yet, else none. */
  take(): Prelude | undefined {
    if (this.sent) return undefined;
    this.sent = true;
    return this;
  }

  /**
   * Sends the prelude as a script of its own through `runner` (one that batches such scripts, say) if no command has
   * taken it, and returns its stdout; its failure throws.
   */
  async output(runner: Runner): Promise<string> {
    if (this.take()) {
      try {
        this.settleFrom(await runner.script(this.text, true));
      } catch (e) {
        this.settleFrom(undefined, e);
      }
    }
    return (await this.result).stdout;
  }

  /** Settles the prelude from its frame in a script's output (undefined: the script stopped before it reported). */
  settleFrom(frame: RunResult | undefined, cause?: unknown): void {
    if (!frame) this.settle.reject(cause ?? new Error("the script stopped before the prelude reported back"));
    else if (frame.code !== 0) this.settle.reject(new CommandError(`sh -c ${quote(this.text)}`, frame));
    else this.settle.resolve(frame);
  }
}

/** One command as a runner takes it: an argv, or a script (Runner.script's `inSession`). */
export type Command = { argv: readonly string[] } | { script: string; inSession?: boolean };

const sendAlone = (host: Runner, c: Command) => ("argv" in c ? host.run(c.argv) : host.script(c.script, c.inSession));

/**
 * The command as shell text, in a subshell unless it may run in the session's shell: an argv that names a program (as
 * the SSH runner decides, shell/program.ts), or a script given as `inSession`.
 */
function commandText(c: Command): string {
  const [text, inSession] = "argv" in c ? [quoteArgv(c.argv), runsAsProgram(c.argv)] : [c.script, !!c.inSession];
  return inSession ? text : `(\n${text}\n)`;
}

/**
 * Runs the command after the preludes, in one script and one round trip, and returns the command's own result. The
 * preludes' output is framed (shell/frames.ts) and the command's is what follows; the script's exit code is the
 * command's. A prelude that fails stops the script: the command never ran, and this throws that prelude's error.
 */
export async function sendAfter(host: Runner, preludes: readonly Prelude[], c: Command): Promise<RunResult> {
  if (!preludes.length) return sendAlone(host, c);
  const parts = preludes.map((p, i) => ({ label: `p${i}`, script: p.text }));
  const script =
    framedScript(parts, { separateStderr: true, stopOnFailure: true }) +
    `\nif [ "$c" -eq 0 ]; then\n${commandText(c)}\nfi`;
  let r: RunResult;
  try {
    r = await host.script(script, true);
  } catch (e) {
    for (const p of preludes) p.settleFrom(undefined, e);
    throw e;
  }
  const frames = parseFrames(r).slice(0, preludes.length);
  preludes.forEach((p, i) => p.settleFrom(frames[i]));
  if (frames.length === preludes.length && frames.every((f) => f.code === 0))
    return { code: r.code, stdout: afterFrames(r.stdout, frames.length), stderr: afterFrames(r.stderr, frames.length) };
  // A prelude failed (its error is the command's too), or the host stopped the script: the command did not run.
  await Promise.all(preludes.map((p) => p.result));
  throw new Error("the script stopped before the command ran");
}

/** A runner that carries a prelude: see withPrelude. */
interface PreludeRunner extends Runner {
  base: Runner;
  prelude: Prelude;
}

/**
 * A runner whose first command carries `prelude` and whose later ones wait until the prelude has run, so that it runs
 * on the host before every one of them. The host's batchers (ip, OVS, scripts) put it in their batch's script ahead of
 * the batch (afterPrelude). Reads that share the host's coalesced readers go straight to the host: they may run first.
 */
export function withPrelude(runner: Runner, prelude: Prelude): Runner {
  const host = baseRunner(runner);
  const through = (c: Command) => afterPrelude(wrapped, (preludes) => sendAfter(host, preludes, c));
  const wrapped: PreludeRunner = {
    target: runner.target,
    base: host,
    prelude,
    run: (argv) => through({ argv }),
    script: (script, inSession) => through({ script, inSession }),
  };
  return wrapped;
}

/**
 * Sends a command through this runner with the preludes it must carry: its runner's prelude when that has not gone
 * yet; none once it has run, the command waiting till then (a failed prelude fails the command too); none for a
 * runner without one. `send` is called at once unless the command must wait, so batchers see no delay.
 */
export function afterPrelude<T>(runner: Runner, send: (preludes: Prelude[]) => Promise<T>): Promise<T> {
  const prelude = (runner as Partial<PreludeRunner>).prelude;
  if (!prelude) return send([]);
  const mine = prelude.take();
  return mine ? send([mine]) : prelude.result.then(() => send([]));
}
