// VethPair host operations through a Runner.
import { ResourceDefinition, State } from "../dynamic/definition";
import { linkIn, notePair } from "../reads/readers";
import { Link, isUp } from "../reads/links";
import { quoteArgv } from "../shell/quote";
import { GONE, ExistsError, runIdempotent } from "../idempotent";
import { batchingHostIp } from "../ip/batch";
import { transaction } from "../writes/transaction";
import { joinMark, markChanged, markedByOther, otherGeneration, splitMark } from "../ownership/marks";
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

/**
 * The pair's state from its two ends (`a` named `name`, `b` named `peerName`), or undefined when it is not (or no
 * longer) this resource's pair. The mark is read from the near end (cmd.sides), the one create marks.
 */
function ends(s: State<VethInputs>, a: Link | undefined, b: Link | undefined) {
  if (a?.linkinfo?.info_kind !== "veth" || b?.linkinfo?.info_kind !== "veth") return undefined;
  const marked = splitMark((cmd.nearIsPeer(s) ? b : a).ifalias);
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
    const { near, far } = cmd.sides({ ...v, macAddress: mac, peerMacAddress: peerMac });
    // The steps on the host's side join the host's other `ip` writes of the moment, one `ip` process for them all.
    await transaction(
      batchingHostIp(runner),
      [
        {
          run: cmd.add(far, near, v.mtu, v.up),
          undo: cmd.del(near.namespace, near.name),
          explain: (r) =>
            /File exists/.test(r.stderr)
              ? new ExistsError(
                  `a link "${v.name}" in ${where(v.namespace)} or "${v.peerName}" in ${where(v.peerNamespace)}`,
                )
              : undefined,
        },
        // `ip link add` sets no alias, and cannot set the near end up: a second step does both for that end alone.
        ...(v.owner || v.up ? [{ run: cmd.finish(near.namespace, near.name, mark(v), v.up) }] : []),
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

  async handMade(runner, v) {
    const [a, b] = await Promise.all([
      linkIn(runner, v.namespace, v.name),
      linkIn(runner, v.peerNamespace, v.peerName),
    ]);
    const isVeth = (l: Link | undefined): l is Link => l?.linkinfo?.info_kind === "veth";
    // One end is where the program says and the other is not: where the other is, is the live value of its field.
    const where = async (name: string) => {
      const ns = cmd.parseWhereIs((await runner.script(cmd.whereIsScript(name))).stdout);
      return ns === undefined ? "(no namespace)" : ns || undefined;
    };
    if (!isVeth(a) || !isVeth(b)) {
      if (isVeth(a)) return { peerNamespace: await where(v.peerName) };
      return isVeth(b) ? { namespace: await where(v.name) } : undefined;
    }
    const alias = splitMark((cmd.nearIsPeer(v) ? b : a).ifalias).owner;
    const found = pairState(
      { ...v, owner: undefined },
      {
        owner: undefined,
        generation: undefined,
        up: isUp(a) && isUp(b),
        mac: a.address,
        peerMac: b.address,
        mtu: a.mtu,
      },
    );
    return { ...found, ...(cmd.isMark(alias) && { mark: alias }) };
  },

  // Read reports the owner only when the near end's mark names it.
  async markedOurs(runner, v) {
    return !!v.owner && (await veth.read(runner, v))?.owner === v.owner;
  },

  async update(runner, olds, news) {
    const writes: Array<[string | undefined, string, string | undefined, unknown]> = [
      [news.namespace, news.name, news.macAddress, olds.macAddress],
      [news.peerNamespace, news.peerName, news.peerMacAddress, olds.peerMacAddress],
    ];
    const { near } = cmd.sides(news);
    if (news.owner && markChanged(olds, news))
      await mustRun(runner, cmd.setAlias(near.namespace, near.name, mark(news)!));
    for (const [ns, name, macNew, macOld] of writes) {
      if (news.mtu !== undefined && news.mtu !== olds.mtu) await mustRun(runner, cmd.setMtu(ns, name, news.mtu));
      if (macNew !== undefined && macNew !== macOld) await mustRun(runner, cmd.setMac(ns, name, macNew));
      if (news.up !== olds.up) await mustRun(runner, cmd.setUp(ns, name, news.up));
    }
    return (await this.read(runner, news as State<VethInputs>)) ?? {};
  },

  async delete(runner, s, recorded) {
    // Deleting either end removes both, synchronously: the delete reads and deletes the near end, on the host's
    // namespace when the pair has an end there, where `ip` needs no nsenter (docs/ARCHITECTURE.md).
    const { near, far } = cmd.sides(s);
    // Made (or adopted) by a newer create of this resource: not this state's to delete. Its record said so already
    // when there was one for this very create.
    const nearGeneration = async () => splitMark((await linkIn(runner, near.namespace, near.name))?.ifalias).generation;
    if (!recorded && otherGeneration(await nearGeneration(), s.generation)) return;
    notePair(runner, s, false);
    const host = batchingHostIp(runner);
    // The far end matters only if the near one is gone (renamed or moved by hand).
    const delNear = cmd.del(near.namespace, near.name);
    const r = await host.run(delNear);
    if (r.code === 0) return;
    if (!GONE.test(r.stderr)) throw new CommandError(quoteArgv(delNear), r);
    await runIdempotent(host, cmd.del(far.namespace, far.name));
  },
};
