// Sysctl host operations: set a namespace's setting, report drift, and put the value found back on delete.
import { ResourceDefinition } from "../dynamic/definition";
import { GONE } from "../idempotent";
import { quoteArgv } from "../shell/quote";
import { CommandError, Runner, mustRun } from "../transport/runner";
import * as cmd from "./commands";
import { SysctlInputs, sysctlSchema } from "./schema";

/** The setting's value now, or undefined when its namespace (or the setting itself) is gone. */
async function current(runner: Runner, s: SysctlInputs): Promise<string | undefined> {
  const argv = cmd.read(s.namespace, s.key);
  const r = await runner.run(argv);
  if (r.code === 0) return cmd.normal(r.stdout);
  if (GONE.test(r.stderr) || /cannot stat/.test(r.stderr)) return undefined;
  throw new CommandError(quoteArgv(argv), r);
}

const set = (runner: Runner, s: SysctlInputs) => mustRun(runner, cmd.write(s.namespace, s.key, s.value));

export const sysctl: ResourceDefinition<SysctlInputs> = {
  kind: "Sysctl",
  schema: sysctlSchema,
  // A replacement names another setting (or another host): the new one can be set first.
  deleteBeforeReplace: false,
  id: (s) => `${s.namespace}/${s.key}`,

  async create(runner, s) {
    const previous = await current(runner, s);
    if (previous === undefined)
      throw new Error(`${s.key} does not exist in namespace "${s.namespace}" (or the namespace does not)`);
    await set(runner, s);
    return { previous };
  },

  async read(runner, s) {
    const value = await current(runner, s);
    return value === undefined ? undefined : { value, previous: s.previous };
  },

  async update(runner, olds, news) {
    await set(runner, news);
    return { previous: olds.previous };
  },

  async delete(runner, s) {
    // The namespace (or the device the setting belongs to) went first: nothing left to restore.
    if ((await current(runner, s)) === undefined || typeof s.previous !== "string") return;
    await mustRun(runner, cmd.write(s.namespace, s.key, s.previous));
  },
};
