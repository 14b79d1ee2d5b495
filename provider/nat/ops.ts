// Nat host operations: the namespace's pulumi_netns table, written whole in one nft transaction and read back.
import { ResourceDefinition } from "../dynamic/definition";
import { ExistsError, runIdempotent } from "../idempotent";
import { quoteArgv } from "../shell/quote";
import { CommandError, Runner, mustScript } from "../transport/runner";
import * as cmd from "./commands";
import { NatInputs, natSchema } from "./schema";

/** The table's rules, or undefined when the table (or its namespace) is not there. */
async function current(runner: Runner, namespace: string) {
  const argv = cmd.list(namespace);
  const r = await runner.run(argv);
  if (r.code === 0) return cmd.parseTable(r.stdout);
  if (cmd.NO_TABLE.test(r.stderr)) return undefined;
  throw new CommandError(quoteArgv(argv), r);
}

const apply = (runner: Runner, n: NatInputs) => mustScript(runner, cmd.applyScript(n.namespace, cmd.ruleset(n)));

export const nat: ResourceDefinition<NatInputs> = {
  kind: "Nat",
  schema: natSchema,
  // One table per namespace: a replacement in the same namespace must not find the old one in its way.
  deleteBeforeReplace: true,
  id: (n) => n.namespace,

  async create(runner, n) {
    if (await current(runner, n.namespace))
      throw new ExistsError(`nftables table ip ${cmd.TABLE} in namespace "${n.namespace}"`);
    await apply(runner, n);
    return {};
  },

  async read(runner, s) {
    return current(runner, s.namespace);
  },

  async update(runner, _olds, news) {
    await apply(runner, news);
    return {};
  },

  async delete(runner, s) {
    await runIdempotent(runner, cmd.remove(s.namespace));
  },
};
