// VethPair host operations through a Runner.
import { ResourceDefinition, State } from "../dynamic/definition";
import { Link, isUp, linkIn, notePair } from "../host-state";
import { quoteArgv } from "../shell/quote";
import { GONE, ExistsError, runIdempotent } from "../idempotent";
import { batchingHostIp } from "../ip/batch";
import { transaction } from "../transaction";
import { joinMark, markChanged, markedByOther, otherGeneration, splitMark } from "../owner";
import { CommandError, mustRun } from "../transport/runner";
import * as cmd from "./commands";
import { VethInputs, vethSchema } from "./schema";

const where = (ns?: string) => (ns ? `namespace "${ns}"` : "the host namespace");
const mark = (v: State<VethInputs>) => v.owner && joinMark(v.owner, v.generation);

/** What the pair's ends show, as read from the host or as create made them. */
interface Found {
  owner: string | undefined;
  generation: string | undefined;
  up: boolean;
  mac: string | undefined;
  peerMac: string | undefined;
  mtu: number | undefined;
}

/** The pair's outputs from what its ends show. */
function pairState(s: State<VethInputs>, f: Found) {
  return {
    ...(s.owner && { owner: f.owner }),
    generation: f.generation,
    up: f.up,
    mac: f.mac,
    peerMac: f.peerMac,
    // Drift is reported only for what the program set; unset means "whatever the kernel chose".
    ...(s.mtu !== undefined && { mtu: f.mtu }),
    ...(s.macAddress !== undefined && { macAddress: f.mac }),
    ...(s.peerMacAddress !== undefined && { peerMacAddress: f.peerMac }),
  };
}

/** The pair's state from its two ends, or undefined when it is not (or no longer) this resource's pair. */
function ends(s: State<VethInputs>, a: Link | undefined, b: Link | undefined) {
  if (a?.linkinfo?.info_kind !== "veth" || b?.linkinfo?.info_kind !== "veth") return undefined;
  const marked = splitMark(a.ifalias);
  if (markedByOther(marked.owner, s.owner)) return undefined;
  return pairState(s, {
    // A missing mark reads as a changed owner, so the next update puts it back.
    owner: marked.owner ? s.owner : undefined,
    generation: marked.generation,
    up: isUp(a) && isUp(b),
    mac: a.address,
    peerMac: b.address,
    mtu: a.mtu,
  });
}

export const veth: ResourceDefinition<VethInputs> = {
  kind: "VethPair",
  schema: vethSchema,
  deleteBeforeReplace: true,
  id: (v) => `${v.namespace ?? ""}/${v.name}`,

  async create(runner, v) {
    const mac = v.macAddress ?? cmd.randomMac();
    const peerMac = v.peerMacAddress ?? cmd.randomMac();
    // The steps on the host's side join the host's other `ip` writes of the moment, one `ip` process for them all.
    await transaction(
      batchingHostIp(runner),
      [
        {
          run: cmd.add({ ...v, macAddress: mac, peerMacAddress: peerMac }),
          undo: cmd.del(v.namespace, v.name),
          explain: (r) =>
            /File exists/.test(r.stderr)
              ? new ExistsError(
                  `a link "${v.name}" in ${where(v.namespace)} or "${v.peerName}" in ${where(v.peerNamespace)}`,
                )
              : undefined,
        },
        // `ip link add` ignores an alias, so both ends are marked in a second step.
        ...(v.owner || v.up
          ? [
              { run: cmd.finish(v.namespace, v.name, mark(v), v.up) },
              { run: cmd.finish(v.peerNamespace, v.peerName, mark(v), v.up) },
            ]
          : []),
      ],
      { stepByStep: true },
    );
    notePair(runner, v, true);
    // What read would find: the commands above set all of it (the generation travels in the owner's mark).
    return pairState(v, {
      owner: v.owner,
      generation: v.owner ? v.generation : undefined,
      up: v.up,
      mac,
      peerMac,
      mtu: v.mtu,
    });
  },

  async read(runner, s) {
    const [a, b] = await Promise.all([
      linkIn(runner, s.namespace, s.name),
      linkIn(runner, s.peerNamespace, s.peerName),
    ]);
    return ends(s, a, b);
  },

  async update(runner, olds, news) {
    const ends: Array<[string | undefined, string, string | undefined, unknown]> = [
      [news.namespace, news.name, news.macAddress, olds.macAddress],
      [news.peerNamespace, news.peerName, news.peerMacAddress, olds.peerMacAddress],
    ];
    for (const [ns, name, macNew, macOld] of ends) {
      if (news.owner && markChanged(olds, news)) await mustRun(runner, cmd.setAlias(ns, name, mark(news)!));
      if (news.mtu !== undefined && news.mtu !== olds.mtu) await mustRun(runner, cmd.setMtu(ns, name, news.mtu));
      if (macNew !== undefined && macNew !== macOld) await mustRun(runner, cmd.setMac(ns, name, macNew));
      if (news.up !== olds.up) await mustRun(runner, cmd.setUp(ns, name, news.up));
    }
    return (await this.read(runner, news as State<VethInputs>)) ?? {};
  },

  async delete(runner, s, recorded) {
    // Both ends carry the mark, and deleting either removes both, synchronously: the delete reads and deletes an end
    // on the host's namespace when the pair has one, where `ip` needs no nsenter (docs/ARCHITECTURE.md).
    const [near, far] =
      s.namespace && !s.peerNamespace
        ? [[s.peerNamespace, s.peerName] as const, [s.namespace, s.name] as const]
        : [[s.namespace, s.name] as const, [s.peerNamespace, s.peerName] as const];
    // Made (or adopted) by a newer create of this resource: not this state's to delete. Its record said so already
    // when there was one for this very create.
    if (!recorded && otherGeneration(splitMark((await linkIn(runner, ...near))?.ifalias).generation, s.generation))
      return;
    notePair(runner, s, false);
    const host = batchingHostIp(runner);
    // The far end matters only if the near one is gone (renamed or moved by hand).
    const r = await host.run(cmd.del(...near));
    if (r.code === 0) return;
    if (!GONE.test(r.stderr)) throw new CommandError(quoteArgv(cmd.del(...near)), r);
    await runIdempotent(host, cmd.del(...far));
  },
};
