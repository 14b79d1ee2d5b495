// The "exists" and "already gone" rules: an object in the way of a create, and a delete that finds nothing to delete.
import { quoteArgv } from "./shell/quote";
import { CommandError, Runner } from "./transport/runner";

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
