// Picks the runner for a connection: SSH when one is given, this machine otherwise.
import { Connection, connectionSchema } from "../connection";
import { LocalRunner } from "./local";
import { Runner } from "./runner";
import { SshRunner } from "./ssh";

export { closeAllPools } from "./ssh";
export * from "./runner";

const local = new LocalRunner();

/** Accepts the raw (unchecked) connection as stored in state and applies its defaults. */
export function runnerFor(connection: unknown): Runner {
  if (connection === undefined || connection === null) return local;
  const conn: Connection = connectionSchema.parse(connection);
  return new SshRunner(conn);
}
