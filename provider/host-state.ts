// Reads of host state that many resources share: links and addresses per namespace, and the OVS tables.
import { PerHost } from "./per-host";
import { Coalescer } from "./coalesce";
import { framedScript, parseFrames } from "./shell/frames";
import { ip } from "./shell/netns";
import { quoteArgv } from "./shell/quote";
import { Runner, mustRun, mustScript } from "./transport/runner";
import { Row } from "./ovs/table";
import type { Snapshot, SnapshotRunner } from "./snapshot";

/** One entry of `ip -d -json addr show`: the link and its addresses. */
export interface Link {
  ifname: string;
  flags: string[];
  mtu: number;
  address?: string;
  /** The link alias: pulumi-netns marks links with their owner's URN here. */
  ifalias?: string;
  linkinfo?: { info_kind?: string };
  ifindex?: number;
  /** A veth's peer's ifindex, when the peer is in the namespace `link_netnsid` names. */
  link_index?: number;
  /** A veth's peer's name, when the peer is in this same namespace (ip then names it rather than giving its ifindex). */
  link?: string;
  link_netnsid?: number;
  addr_info?: Array<{ family: string; local: string; prefixlen: number; scope?: string }>;
}

/**
 * One `ip -d -json addr show` answer: its links, or undefined when the namespace (or the device asked for) is not
 * there; any other answer is an error.
 */
export function linksFromOutput(namespace: string, output: string): Link[] | undefined {
  if (output.startsWith("[")) return JSON.parse(output) as Link[];
  if (/Cannot open network namespace|No such file or directory|does not exist/.test(output)) return undefined;
  throw new Error(`reading links in namespace "${namespace}": ${output}`);
}

/** What one read asks for: a whole namespace ("" is the host's), or one device in it. Names hold no newline. */
const queryKey = (namespace: string | undefined, device?: string) => `${namespace ?? ""}\n${device ?? ""}`;

/** Prints a namespace's links ("" or undefined: the host's), or just one device, with their addresses as JSON. */
export const showLinks = (namespace: string | undefined, device?: string) =>
  ip(namespace || undefined, "-d", "-json", "addr", "show", ...(device ? ["dev", device] : []));

/** One round trip for every query asked together; each answer is framed with its index (shell/frames.ts). */
export function linksScript(keys: string[]): string {
  return framedScript(
    keys.map((key, i) => {
      const [ns, dev] = key.split("\n");
      return { label: String(i), script: quoteArgv(showLinks(ns, dev)) };
    }),
  );
}

/** Splits the script's output into each query's links; undefined where the namespace or the device does not exist. */
export function parseLinksOutput(stdout: string, keys: string[]): Map<string, Link[] | undefined> {
  const out = new Map<string, Link[] | undefined>();
  for (const f of parseFrames({ stdout, stderr: "" })) {
    const key = keys[Number(f.label)];
    out.set(key, linksFromOutput(key.split("\n")[0], f.stdout.trim()));
  }
  return out;
}

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

export const isUp = (link: Link) => link.flags.includes("UP");

/** The OVS tables the resources read, fetched in one ovsdb-client transaction. */
export interface OvsTables {
  bridges: Row[];
  ports: Row[];
  interfaces: Row[];
}

const COLUMNS = {
  Bridge: ["_uuid", "name", "datapath_type", "fail_mode", "external_ids", "ports"],
  Port: ["_uuid", "name", "tag", "trunks", "vlan_mode", "external_ids"],
  // error and ofport: whether the switch holds the interface's device (a reboot leaves rows whose devices are gone).
  Interface: ["name", "type", "options", "error", "ofport"],
};
const select = (table: keyof typeof COLUMNS, name?: string, columns = COLUMNS[table]) => ({
  op: "select",
  table,
  where: name === undefined ? [] : [["name", "==", name]],
  columns,
});
const ovsdbTransact = (ops: object[]) => ["ovsdb-client", "transact", JSON.stringify(["Open_vSwitch", ...ops])];

export const ovsTablesArgv = ovsdbTransact([select("Bridge"), select("Port"), select("Interface")]);

export function parseOvsTables(stdout: string): OvsTables {
  const [bridges, ports, interfaces] = (JSON.parse(stdout) as Array<{ rows: Row[] }>).map((r) => r.rows);
  return { bridges, ports, interfaces };
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
      const results = JSON.parse(await mustRun(runner, ovsdbTransact(keys.flatMap(namedSelects)))) as Array<{
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
