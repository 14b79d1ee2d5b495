// Address host operations through a Runner.
import { ResourceDefinition } from "../dynamic/definition";
import { quoteArgv } from "../shell/quote";
import { GONE, existsError, runIdempotent, transaction } from "../transaction";
import { CommandError } from "../transport/runner";
import * as cmd from "./commands";
import { AddressInputs, addressSchema } from "./schema";

export const address: ResourceDefinition<AddressInputs> = {
  kind: "Address",
  schema: addressSchema,
  diff: { namespace: "replace", device: "replace", cidr: "replace", noDad: "replace" },
  deleteBeforeReplace: true,
  id: (a) => `${a.namespace ?? ""}/${a.device}/${a.cidr}`,

  async create(runner, a) {
    await transaction(runner, [
      {
        run: cmd.add(a),
        explain: (r) => (/File exists/.test(r.stderr) ? existsError(`address ${a.cidr} on "${a.device}"`) : undefined),
      },
    ]);
    return {};
  },

  async read(runner, s) {
    const r = await runner.run(cmd.show(s));
    if (r.code !== 0) {
      if (GONE.test(r.stderr)) return undefined;
      throw new CommandError(quoteArgv(cmd.show(s)), r);
    }
    return cmd.hasAddress(r.stdout, s.cidr) ? {} : undefined;
  },

  // Every field replaces, so there is nothing to change in place.
  update: async () => ({}),

  delete: (runner, s) => runIdempotent(runner, cmd.del(s)),
};
