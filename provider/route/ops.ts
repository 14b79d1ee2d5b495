// Route host operations through a Runner.
import { ResourceDefinition } from "../dynamic/definition";
import { quoteArgv } from "../shell/quote";
import { GONE, ExistsError, runIdempotent } from "../idempotent";
import { transaction } from "../writes/transaction";
import { CommandError, mustRun } from "../transport/runner";
import * as cmd from "./commands";
import { RouteInputs, routeSchema } from "./schema";

export const route: ResourceDefinition<RouteInputs> = {
  kind: "Route",
  schema: routeSchema,
  deleteBeforeReplace: true,
  id: (r) => `${r.namespace ?? ""}/${r.destination}/${r.metric ?? ""}`,

  async create(runner, r) {
    await transaction(runner, [
      {
        run: cmd.add(r),
        undo: cmd.del(r),
        explain: (res) => (/File exists/.test(res.stderr) ? new ExistsError(`a route to ${r.destination}`) : undefined),
      },
    ]);
    return {};
  },

  async read(runner, s) {
    const res = await runner.run(cmd.show(s));
    if (res.code !== 0) {
      if (GONE.test(res.stderr)) return undefined;
      throw new CommandError(quoteArgv(cmd.show(s)), res);
    }
    const found = cmd.findRoute(res.stdout, s);
    if (!found) return undefined;
    // Report drift only for what the program set; the kernel fills in the rest.
    return { ...(s.via !== undefined && { via: found.via }), ...(s.device !== undefined && { device: found.device }) };
  },

  async update(runner, _olds, news) {
    await mustRun(runner, cmd.replace(news));
    return {};
  },

  delete: (runner, s) => runIdempotent(runner, cmd.del(s)),
};
