// Address host operations through a Runner.
import { ResourceDefinition } from "../dynamic/definition";
import { linkIn } from "../reads/readers";
import { ExistsError, runIdempotent } from "../idempotent";
import { transaction } from "../writes/transaction";
import * as cmd from "./commands";
import { AddressInputs, addressSchema } from "./schema";

export const address: ResourceDefinition<AddressInputs> = {
  kind: "Address",
  schema: addressSchema,
  deleteBeforeReplace: true,
  id: (a) => `${a.namespace ?? ""}/${a.device}/${a.cidr}`,

  async create(runner, a) {
    await transaction(runner, [
      {
        run: cmd.add(a),
        undo: cmd.del(a),
        explain: (r) =>
          /File exists|Address already assigned/.test(r.stderr)
            ? new ExistsError(`address ${a.cidr} on "${a.device}"`)
            : undefined,
      },
    ]);
    return {};
  },

  async read(runner, s) {
    return cmd.hasAddress(await linkIn(runner, s.namespace, s.device), s.cidr) ? {} : undefined;
  },

  // Every field replaces, so there is nothing to change in place.
  update: async () => ({}),

  delete: (runner, s) => runIdempotent(runner, cmd.del(s)),
};
