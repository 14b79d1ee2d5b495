// Namespace host operations through a Runner.
import { ResourceDefinition } from "../dynamic/definition";
import { linksIn } from "../reads/readers";
import { terminate } from "../daemons/daemon";
import { ExistsError, runIdempotent } from "../idempotent";
import { batchingHostIp } from "../ip/batch";
import { transaction } from "../writes/transaction";
import { Runner, mustRun } from "../transport/runner";
import * as cmd from "./commands";
import { pidsIn } from "./pids";
import { NamespaceInputs, namespaceSchema } from "./schema";

async function stopProcesses(runner: Runner, name: string, kill: boolean, found: number[]): Promise<void> {
  if (found.length === 0) return;
  if (!kill) {
    const names = (await runner.run(cmd.processNames(found))).stdout.trim().replace(/\s*\n\s*/g, ", ");
    throw new Error(
      `namespace "${name}" still has processes inside (${names || found.join(", ")}); ` +
        "stop them first, or set killProcesses: true to have delete stop them",
    );
  }
  await terminate(runner, `processes in namespace "${name}"`, async () => (await pidsIn(runner, name)) ?? []);
}

export const namespace: ResourceDefinition<NamespaceInputs> = {
  kind: "Namespace",
  schema: namespaceSchema,
  deleteBeforeReplace: true,
  id: (i) => i.name,

  async create(runner, i) {
    // `ip netns add` joins the host's other `ip` writes of the moment; the loopback step runs inside the namespace.
    await transaction(
      batchingHostIp(runner),
      [
        {
          run: cmd.add(i.name),
          undo: cmd.del(i.name),
          explain: (r) => (/File exists/.test(r.stderr) ? new ExistsError(`namespace "${i.name}"`) : undefined),
        },
        ...(i.loopbackUp ? [{ run: cmd.setLoopback(i.name, true) }] : []),
      ],
      { stepByStep: true },
    );
    return {};
  },

  async read(runner, s) {
    const found = await linksIn(runner, s.name);
    return found && { loopbackUp: cmd.loopbackUp(found) };
  },

  async update(runner, olds, news) {
    if (olds.loopbackUp !== news.loopbackUp) await mustRun(runner, cmd.setLoopback(news.name, news.loopbackUp));
    return {};
  },

  async delete(runner, s) {
    const inside = await pidsIn(runner, s.name);
    if (inside === undefined) return;
    await stopProcesses(runner, s.name, s.killProcesses, inside);
    // Veth ends inside would otherwise linger in the kernel after `ip netns del` and block re-creating their names.
    // Read after the look for processes, never beside it: the read enters the namespace, and the look would find it.
    for (const link of cmd.pairedLinks((await linksIn(runner, s.name)) ?? [])) {
      await runIdempotent(runner, cmd.deleteLink(s.name, link));
    }
    // `ip netns del` unmounts and removes the name synchronously; the kernel frees the rest in the background.
    await runIdempotent(batchingHostIp(runner), cmd.del(s.name));
  },
};
