// Reads of host state that many resources share, coalesced per host or served from a refresh's snapshot: links and
// addresses per namespace, veth peers, bridges' datapaths, and the OVS tables.
import { PerHost } from "../per-host";
import { Coalescer } from "../coalesce";
import { Row } from "../ovs/table";
import { Runner, mustRun, mustScript } from "../transport/runner";
import { Link, linksScript, parseLinksOutput } from "./links";
import { transactArgv } from "../ovs/ops";
import { OvsTables, ovsTablesArgv, parseOvsTables, select, COLUMNS } from "./ovs-tables";
import type { Snapshot, SnapshotRunner } from "./snapshot";

/** What one read asks for: a whole namespace ("" is the host's), or one device in it. Names hold no newline. */
const queryKey = (namespace: string | undefined, device?: string) => `${namespace ?? ""}\n${device ?? ""}`;

const linkReaders = new PerHost(
  (runner) =>
    new Coalescer<string, Link[] | undefined>(async (keys) =>
      parseLinksOutput(await mustScript(runner, linksScript(keys)), keys),
    ),
);

/** Reads arriving together share one round trip. */
const readLinks = (runner: Runner, key: string): Promise<Link[] | undefined> => linkReaders.of(runner).get(key);

/** The engine's reads (refresh) are served from a host-wide snapshot when the runner offers one (snapshot.ts). */
function snapshotOf(runner: Runner): Promise<Snapshot> | undefined {
  return "snapshot" in runner ? (runner as SnapshotRunner).snapshot() : undefined;
}

async function fromSnapshot(snapshot: Promise<Snapshot>, namespace: string | undefined): Promise<Link[] | undefined> {
  const links = (await snapshot).links.get(namespace ?? "");
  if (links instanceof Error) throw links;
  return links;
}

/** The links (with addresses) of a namespace, or undefined when it does not exist. */
export function linksIn(runner: Runner, namespace: string | undefined): Promise<Link[] | undefined> {
  const snapshot = snapshotOf(runner);
  return snapshot ? fromSnapshot(snapshot, namespace) : readLinks(runner, queryKey(namespace));
}

/** One link (with addresses): cheaper than the whole namespace when it holds many. Undefined when it is not there. */
export async function linkIn(runner: Runner, namespace: string | undefined, device: string): Promise<Link | undefined> {
  const snapshot = snapshotOf(runner);
  if (snapshot) return (await fromSnapshot(snapshot, namespace))?.find((l) => l.ifname === device);
  return (await readLinks(runner, queryKey(namespace, device)))?.[0];
}

/** One end of a veth pair: its namespace ("" for the host's) and name. */
export interface VethEnd {
  namespace: string;
  device: string;
}

/** Per host (its runner), the peers of the host-namespace ends of the pairs this process created. */
const createdPeers = new PerHost(() => new Map<string, VethEnd>());

/**
 * Notes a pair this process has just created (`made`), or is deleting: until it is deleted, a port on one of its
 * host-namespace ends finds the peer without asking the host. The pair's create made both ends under these names,
 * in the same process, moments before a port that takes its name as input can be created.
 */
export function notePair(
  runner: Runner,
  pair: { namespace?: string; name: string; peerNamespace?: string; peerName: string },
  made: boolean,
): void {
  const peers = createdPeers.of(runner);
  const a = { namespace: pair.namespace ?? "", device: pair.name };
  const b = { namespace: pair.peerNamespace ?? "", device: pair.peerName };
  const note = (end: VethEnd, peer: VethEnd) => {
    if (end.namespace !== "") return;
    if (made) peers.set(end.device, peer);
    else peers.delete(end.device);
  };
  note(a, b);
  note(b, a);
}

/**
 * Where the peer of the host's veth `device` is: its namespace ("" for the host's) and name, from the refresh's
 * snapshot, or outside a refresh when this process created the pair (notePair). Null when the snapshot shows
 * `device` is no veth or has its peer in a namespace without a name (nothing this host can reach); undefined when
 * neither can tell (the caller then asks the host).
 */
export async function vethPeer(runner: Runner, device: string): Promise<VethEnd | null | undefined> {
  const taken = snapshotOf(runner);
  if (!taken) return createdPeers.of(runner).get(device);
  const snapshot = await taken;
  const host = snapshot.links.get("");
  const link = Array.isArray(host) ? host.find((l) => l.ifname === device) : undefined;
  if (!link) return undefined;
  if (link.linkinfo?.info_kind !== "veth") return null;
  if (link.link_netnsid === undefined) return link.link ? { namespace: "", device: link.link } : undefined;
  const namespace = snapshot.netnsIds.get(link.link_netnsid);
  if (namespace === undefined) return null;
  const there = snapshot.links.get(namespace);
  const peer = Array.isArray(there) ? there.find((l) => l.ifindex === link.link_index) : undefined;
  return peer ? { namespace, device: peer.ifname } : undefined;
}

const bridgeDatapaths = new PerHost(() => new Map<string, string>());

/**
 * Notes the datapath type of a bridge this process has just created or changed, or forgets it (undefined) as the
 * bridge is deleted: the ports added to it in the same `up` then need no OVS read to choose their checksum offload
 * (an ovsdb-client process per port otherwise), as notePair spares them the read of their peer.
 */
export function noteBridge(runner: Runner, bridge: string, datapathType: string | undefined): void {
  const noted = bridgeDatapaths.of(runner);
  if (datapathType === undefined) noted.delete(bridge);
  else noted.set(bridge, datapathType);
}

/** A bridge's datapath type ("system" when OVS leaves it empty); undefined when there is no such bridge. */
export async function bridgeDatapath(runner: Runner, bridge: string): Promise<string | undefined> {
  const noted = snapshotOf(runner) ? undefined : bridgeDatapaths.of(runner).get(bridge);
  if (noted !== undefined) return noted;
  const row = (await ovsNamed(runner, { bridge })).bridges.find((b) => b.name === bridge);
  return row && ((row.datapath_type as string) || "system");
}

const ovsReaders = new PerHost(
  (runner) =>
    new Coalescer<"all", OvsTables>(
      async () => new Map([["all" as const, parseOvsTables(await mustRun(runner, ovsTablesArgv))]]),
    ),
);

/** OVS's bridges, ports and interfaces; reads arriving together share one transaction. */
export async function ovsTables(runner: Runner): Promise<OvsTables> {
  const snapshot = snapshotOf(runner);
  if (snapshot) {
    const { ovs } = await snapshot;
    if (ovs instanceof Error) throw ovs;
    return ovs;
  }
  return ovsReaders.of(runner).get("all");
}

/** One named object's rows: a bridge (without its list of ports), or a port with its interface. */
export type Named = { bridge: string } | { port: string };

const namedKey = (n: Named) => ("bridge" in n ? `b ${n.bridge}` : `p ${n.port}`);

/** The selects for one named object; a bridge's port list is left out, as it grows with every port. */
function namedSelects(key: string) {
  const name = key.slice(2);
  return key.startsWith("b ")
    ? [
        select(
          "Bridge",
          name,
          COLUMNS.Bridge.filter((c) => c !== "ports"),
        ),
      ]
    : [select("Port", name), select("Interface", name)];
}

const namedReaders = new PerHost(
  (runner) =>
    new Coalescer<string, OvsTables>(async (keys) => {
      const results = JSON.parse(await mustRun(runner, transactArgv(keys.flatMap(namedSelects)))) as Array<{
        rows: Row[];
      }>;
      const rows = () => results.shift()?.rows ?? [];
      return new Map(
        keys.map((k) => [
          k,
          k.startsWith("b ")
            ? { bridges: rows(), ports: [], interfaces: [] }
            : { bridges: [], ports: rows(), interfaces: rows() },
        ]),
      );
    }),
);

/**
 * The rows of one bridge or port, for creates and deletes: a read whose cost does not grow with the number of
 * ports on the host, where the whole tables (ovsTables) would make N port writes cost N times N rows. Reads
 * arriving together share one transaction; under a refresh they come from the host's snapshot.
 */
export async function ovsNamed(runner: Runner, what: Named): Promise<OvsTables> {
  if (snapshotOf(runner)) return ovsTables(runner);
  return namedReaders.of(runner).get(namedKey(what));
}
