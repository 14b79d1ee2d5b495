// The "exists" and "already gone" rules: an object in the way of a create, and a delete that finds nothing to delete.
import { quoteArgv } from "./shell/quote";
import { CommandError, Runner } from "./transport/runner";

/**
 * An object of that name is already there; create adopts it when the ownership record names this resource, or when
 * told to adopt (dynamic/adopt.ts).
 */
export class ExistsError extends Error {
  constructor(readonly what: string) {
    super(
      `${what} already exists and was not made by this resource (set adopt: true to take it over as it is, or remove it, or pick another name)`,
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
