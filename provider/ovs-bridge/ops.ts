// OvsBridge host operations through a Runner; read and delete touch only bridges carrying our mark.
import { ResourceDefinition } from "../dynamic/definition";
import { otherGeneration } from "../ownership/marks";
import { noteBridge, ovsNamed } from "../reads/readers";
import { OWNER_KEY, markedFor, ovsMap } from "../ovs/table";
import { ExistsError } from "../idempotent";
import { transaction } from "../writes/transaction";
import { waitUntil } from "../wait";
import { Runner, mustRun } from "../transport/runner";
import * as cmd from "./commands";
import { BridgeInputs, bridgeSchema } from "./schema";

/** The bridge's row, whoever made it. */
const rowOf = async (runner: Runner, name: string) =>
  (await ovsNamed(runner, { bridge: name })).bridges.find((b) => b.name === name);

const current = async (runner: Runner, s: { name: string; owner?: string }) =>
  cmd.parseBridge(await rowOf(runner, s.name), s.owner);

export const bridge: ResourceDefinition<BridgeInputs> = {
  kind: "OvsBridge",
  schema: bridgeSchema,
  deleteBeforeReplace: true,
  id: (b) => b.name,

  async create(runner, b) {
    await transaction(runner, [
      {
        run: cmd.add(b),
        undo: cmd.del(b.name),
        explain: (r) => (/already exists/.test(r.stderr) ? new ExistsError(`OVS bridge "${b.name}"`) : undefined),
      },
      {
        run: cmd.ofport(b.name),
        explain: (r) =>
          r.code === 0 && ["[]", "-1"].includes(r.stdout.trim())
            ? new Error(
                `Open vSwitch could not open a datapath of type "${b.datapathType}" for bridge "${b.name}"` +
                  (b.datapathType === "system"
                    ? ' (the kernel may lack the openvswitch module: use datapathType "netdev")'
                    : ""),
              )
            : undefined,
      },
    ]);
    noteBridge(runner, b.name, b.datapathType);
    return {};
  },

  read: (runner, s) => current(runner, s),

  async handMade(runner, b) {
    const row = await rowOf(runner, b.name);
    return row && { ...cmd.bridgeFields(row), mark: ovsMap(row.external_ids)[OWNER_KEY] };
  },

  async markedOurs(runner, b) {
    return !!b.owner && markedFor(ovsMap((await rowOf(runner, b.name))?.external_ids), b.owner);
  },

  async update(runner, olds, news) {
    const argv = cmd.update(olds, news);
    // Forgotten while the change is under way: a port added meanwhile reads the bridge from OVS.
    noteBridge(runner, news.name, undefined);
    if (argv) await mustRun(runner, argv);
    noteBridge(runner, news.name, news.datapathType);
    return {};
  },

  async delete(runner, s) {
    // Not ours, or made (or adopted) by a newer create of this resource: not this state's to delete.
    const found = await current(runner, s);
    if (!found || otherGeneration(found.generation, s.generation)) return;
    noteBridge(runner, s.name, undefined);
    await mustRun(runner, cmd.del(s.name));
    await waitUntil(
      `the kernel device of bridge "${s.name}"`,
      async () => (await runner.run(cmd.linkExists(s.name))).code !== 0,
    );
  },
};
