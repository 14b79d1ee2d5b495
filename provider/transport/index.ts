// Picks the runner for a connection: SSH when one is given, this machine otherwise.
import { Connection, connectionSchema } from "../connection";
import { LocalRunner } from "./local";
import { Runner } from "./runner";
import { SshRunner, connectionKey } from "./ssh";

export { closeAllPools } from "./ssh";
export * from "./runner";

const local = new LocalRunner();

const runners = new Map<string, Runner>();

/**
 * Accepts the raw (unchecked) connection as stored in state and applies its defaults. The same
 * connection always gets the same runner, so per-host batching can key on it.
 */
export function runnerFor(connection: unknown): Runner {
  if (connection === undefined || connection === null) return local;
  const conn: Connection = connectionSchema.parse(connection);
  const key = connectionKey(conn);
  let runner = runners.get(key);
  if (!runner) {
    runner = new SshRunner(conn);
    runners.set(key, runner);
  }
  return runner;
}
