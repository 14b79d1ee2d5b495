// The one Runner interface every resource talks to, and the error a failed command becomes.
import { quote, quoteArgv } from "../shell/quote";

/** What a command did. A non-zero `code` is data, not an exception. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs commands on one host (this machine, or one reached over SSH). */
export interface Runner {
  /** Where commands run, for messages: "local" or "user@host:port". */
  readonly target: string;
  /** Runs one program with exactly these arguments. */
  run(argv: readonly string[]): Promise<RunResult>;
  /**
   * Runs a /bin/sh script. `inSession`: where the host keeps one shell for many commands (SSH), in that shell itself
   * rather than a subshell of it, which saves a fork; only for scripts that never exit, exec, cd or set options and
   * that set every variable they read before reading it, since what they leave behind stays for the next command.
   */
  script(text: string, inSession?: boolean): Promise<RunResult>;
}

/**
 * The runner behind a wrapping one (a refresh's snapshot reader, a create's prelude): per-host state keys on it, and
 * per-host batchers send to it.
 */
export const baseRunner = (runner: Runner): Runner => (runner as { base?: Runner }).base ?? runner;

/** A command that ran and failed; its message follows pulumi-command: running "<cmd>": <stderr>. */
export class CommandError extends Error {
  constructor(
    readonly command: string,
    readonly result: RunResult,
  ) {
    const why = result.stderr.trim() || result.stdout.trim() || `exit code ${result.code}`;
    super(`running "${command}": ${why}`);
    this.name = "CommandError";
  }
}

/** Runs argv and returns its stdout, throwing a CommandError on a non-zero exit. */
export async function mustRun(runner: Runner, argv: readonly string[]): Promise<string> {
  const result = await runner.run(argv);
  if (result.code !== 0) throw new CommandError(quoteArgv(argv), result);
  return result.stdout;
}

/** Runs a /bin/sh script and returns its stdout, throwing a CommandError (naming the script) on a non-zero exit. */
export async function mustScript(runner: Runner, text: string): Promise<string> {
  const result = await runner.script(text);
  if (result.code !== 0) throw new CommandError(`sh -c ${quote(text)}`, result);
  return result.stdout;
}
