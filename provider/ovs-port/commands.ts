// OvsPort commands (pure: inputs to argv, stdout to state).
import { quote } from "../shell/quote";
import type { OvsTables } from "../reads/ovs-tables";
import { Marks, markChanged } from "../ownership/marks";
import {
  GENERATION_KEY,
  OWNER_KEY,
  Row,
  isOurs,
  markPairs,
  markSettings,
  ovsMap,
  ovsOptional,
  ovsSet,
} from "../ovs/table";
import { bridgeExists, transactArgv } from "../ovs/ops";
import { PortInputs, isKernelTunnel } from "./schema";

/** The port's mark naming the kind of kernel tunnel device it attached (OVS itself sees a system port). */
export const TUNNEL_KEY = "pulumi-netns-tunnel";
/** The IANA VXLAN port; Linux's own default (8472) would not meet other VXLAN endpoints. */
export const VXLAN_PORT = 4789;

/** The port's VLAN columns, as OVSDB values. */
function vlanColumns(p: Pick<PortInputs, "tag" | "trunks" | "vlanMode">): Record<string, unknown> {
  return {
    ...(p.tag !== undefined && { tag: p.tag }),
    ...(p.trunks?.length && { trunks: ["set", p.trunks] }),
    ...(p.vlanMode && { vlan_mode: p.vlanMode }),
  };
}

/** The same columns as ovs-vsctl settings (a set as its members, comma-separated). */
const vlanSettings = (p: Pick<PortInputs, "tag" | "trunks" | "vlanMode">) =>
  Object.entries(vlanColumns(p)).map(([k, v]) => `${k}=${Array.isArray(v) ? (v[1] as number[]).join(",") : v}`);

function interfaceSettings(p: PortInputs): string[] {
  if (p.type === "system" || isKernelTunnel(p)) return [];
  return [
    `type=${p.type}`,
    ...(p.peer ? [`options:peer=${p.peer}`] : []),
    ...(p.remoteIp ? [`options:remote_ip=${p.remoteIp}`] : []),
    ...(p.key ? [`options:key=${p.key}`] : []),
  ];
}

/**
 * Adds the port. A system port's device is someone else's (a veth end, a tap), so the add does not wait for the switch
 * to open it: the create checks the device itself, and the switch applies many such adds in one reconfiguration
 * (docs/ARCHITECTURE.md, "Host commands and what they cost"). Its add is the rows themselves, one ovsdb-client
 * transaction (addRows). A port whose device the switch makes (internal, patch) or that is moved and set up after the
 * add waits for the switch, through ovs-vsctl, as does a kernel tunnel's.
 */
export function add(p: PortInputs & Marks): string[] {
  if (addsWithoutWaiting(p)) return transactArgv(addRows(p));
  const iface = interfaceSettings(p);
  return [
    "ovs-vsctl",
    ...(addsWithoutWaiting(p) ? ["--no-wait"] : []),
    "add-port",
    p.bridge,
    p.name,
    "--",
    "set",
    "port",
    p.name,
    ...markSettings(p),
    ...(isKernelTunnel(p) ? [`external_ids:${TUNNEL_KEY}=${p.type}`] : []),
    ...vlanSettings(p),
    ...(iface.length ? ["--", "set", "interface", p.name, ...iface] : []),
  ];
}

/**
 * A system port's rows, as `ovs-vsctl add-port` and `set port` would write them: its interface, the port (its marks
 * and VLAN settings), and the port in its bridge's list, which must exist. A name another port or interface has
 * already fails the transaction (ops.ts nameTaken).
 */
function addRows(p: PortInputs & Marks) {
  const port: Record<string, unknown> = {
    name: p.name,
    interfaces: ["named-uuid", "interface"],
    external_ids: ["map", markPairs(p)],
    ...vlanColumns(p),
  };
  return [
    bridgeExists(p.bridge),
    { op: "insert", table: "Interface", row: { name: p.name }, "uuid-name": "interface" },
    { op: "insert", table: "Port", row: port, "uuid-name": "port" },
    {
      op: "mutate",
      table: "Bridge",
      where: [["name", "==", p.bridge]],
      mutations: [["ports", "insert", ["named-uuid", "port"]]],
    },
  ];
}

/** Whether the add of this port returns once committed, before the switch has opened its device (add). */
export const addsWithoutWaiting = (p: Pick<PortInputs, "type">) => p.type === "system";

/**
 * Removes the port. Only a port whose device the switch made itself (internal, patch, gre) waits for
 * the switch to apply it, so that the device is gone when the delete returns; any other port's device stays with its
 * owner, and waiting would hold the delete for a whole reconfiguration of the switch (docs/ARCHITECTURE.md, "Host
 * commands and what they cost").
 */
export const del = (p: Pick<PortInputs, "bridge" | "name" | "type">) => [
  "ovs-vsctl",
  ...(p.type === "system" || isKernelTunnel(p) ? ["--no-wait"] : []),
  "--if-exists",
  "del-port",
  p.bridge,
  p.name,
];
/**
 * A system port's removal as OVSDB operations: the port (found by its UUID, `["uuid", "..."]` as OVSDB gives it) out
 * of its bridge's list, which takes its row and its interface's with it, as `ovs-vsctl del-port` does.
 */
export const delRows = (p: Pick<PortInputs, "bridge">, uuid: unknown) => [
  {
    op: "mutate",
    table: "Bridge",
    where: [["name", "==", p.bridge]],
    mutations: [["ports", "delete", uuid]],
  },
];
/** Removes the port and waits until the switch has let go of its device, so that an add after it opens the device anew. */
export const delAndWait = (p: Pick<PortInputs, "bridge" | "name">) => [
  "ovs-vsctl",
  "--if-exists",
  "del-port",
  p.bridge,
  p.name,
];
/** The kernel device of a vxlan or geneve port; vxlan remotes go in its forwarding table (tunnelRemote). */
export function tunnelAdd(p: PortInputs): string[] {
  const remote = p.type === "geneve" ? ["remote", p.remoteIp!] : [];
  const port = p.type === "vxlan" ? ["dstport", String(VXLAN_PORT)] : [];
  return ["ip", "link", "add", p.name, "type", p.type, "id", p.key!, ...remote, ...port];
}
export const tunnelDel = (name: string) => ["ip", "link", "del", name];
/** Adds or removes one remote of a vxlan device: an all-zeros entry, which repeats broadcasts to it. */
export const tunnelRemote = (op: "append" | "del", name: string, ip: string) => [
  "bridge",
  "fdb",
  op,
  "00:00:00:00:00:00",
  "dev",
  name,
  "dst",
  ip,
];
export const remotesOf = (p: Pick<PortInputs, "remoteIp" | "remoteIps">) =>
  p.remoteIps ?? (p.remoteIp ? [p.remoteIp] : []);

/** Reads a tunnel device: its details, then its forwarding table, as two JSON documents on separate lines. */
export const tunnelShowScript = (name: string) =>
  `ip -d -j link show dev ${quote(name)} 2>/dev/null || echo null; echo; bridge -j fdb show dev ${quote(name)} 2>/dev/null || echo []`;

/** The VNI and remotes a tunnel device has, or undefined when there is no such device of that kind. */
export function parseTunnel(
  out: string,
  type: string,
): { key: string; remotes: string[]; geneveRemote?: string } | undefined {
  const [linkJson, fdbJson] = out.split("\n").filter((l) => l.trim());
  const link = (
    JSON.parse(linkJson || "null") as Array<{
      linkinfo?: { info_kind?: string; info_data?: Record<string, unknown> };
    }> | null
  )?.[0];
  if (link?.linkinfo?.info_kind !== type) return undefined;
  const data = link.linkinfo.info_data ?? {};
  const fdb = JSON.parse(fdbJson || "[]") as Array<{ mac?: string; dst?: string }>;
  const remotes = fdb.filter((e) => e.mac === "00:00:00:00:00:00" && e.dst).map((e) => e.dst!);
  return { key: String(data.id), remotes, geneveRemote: data.remote as string | undefined };
}

export const moveTo = (name: string, ns: string) => ["ip", "link", "set", "dev", name, "netns", ns];
export { setLinkUp as setUp, setLinkMtu as setMtu } from "../shell/netns";

/** One transaction setting or clearing each VLAN column that changed, and the owner's mark. */
export function update(olds: PortInputs & Marks, news: PortInputs & Marks) {
  const ops: string[][] = [];
  if (markChanged(olds, news)) ops.push(["set", "port", news.name, ...markSettings(news)]);
  const column = (col: string, o: unknown, n: unknown, value: string | undefined) => {
    if (JSON.stringify(o) === JSON.stringify(n)) return;
    ops.push(value === undefined ? ["clear", "port", news.name, col] : ["set", "port", news.name, `${col}=${value}`]);
  };
  column("tag", olds.tag, news.tag, news.tag?.toString());
  column("trunks", olds.trunks, news.trunks, news.trunks?.length ? news.trunks.join(",") : undefined);
  column("vlan_mode", olds.vlanMode, news.vlanMode, news.vlanMode);
  return ops.length ? ["ovs-vsctl", ...ops.flatMap((op) => ["--", ...op])] : undefined;
}

export interface PortState {
  bridge?: string;
  type: PortInputs["type"];
  tag?: number;
  trunks?: number[];
  vlanMode?: PortInputs["vlanMode"];
  peer?: string;
  remoteIp?: string;
  key?: string;
  /** The generation mark: which create of its owner made (or last adopted) the port. */
  generation?: string;
}

/** How read's drift ends for a port whose device is gone while the switch still holds it (ops.ts, update). */
export const HELD = "the switch still holds the old one";

/**
 * Why the switch holds no device for the port's interface (Open vSwitch's `error`, or an `ofport` of -1), or
 * undefined while it does. After a reboot every system port's row is back, pointing at a device that is gone.
 */
export function missingDevice(t: OvsTables, name: string): string | undefined {
  const iface = t.interfaces.find((i) => i.name === name);
  if (!iface) return undefined;
  const error = ovsOptional<string>(iface.error);
  if (error) return error;
  return ovsOptional<number>(iface.ofport) === -1 ? "the switch could not open it" : undefined;
}

/** The port as OVS holds it; undefined when absent or not marked as ours (and this owner's, when given). */
export function parsePort(t: OvsTables, name: string, owner?: string): PortState | undefined {
  const port = t.ports.find((p) => p.name === name);
  return port && isOurs(ovsMap(port.external_ids), owner) ? portFields(t, port) : undefined;
}

/** The port's owner mark, if it carries one (whoever made it). */
export const portMark = (t: OvsTables, name: string): string | undefined =>
  ovsMap(t.ports.find((p) => p.name === name)?.external_ids)[OWNER_KEY];

/** The port as OVS holds it, whoever made it. */
export function portFields(t: OvsTables, port: Row): PortState {
  const name = port.name as string;
  const ids = ovsMap(port.external_ids);
  const iface = t.interfaces.find((i) => i.name === name) ?? {};
  const options = ovsMap(iface.options);
  const uuid = (port._uuid as [string, string])[1];
  const bridge = t.bridges.find((b) => ovsSet<[string, string]>(b.ports).some((ref) => ref[1] === uuid));
  const trunks = ovsSet<number>(port.trunks);
  return {
    bridge: bridge?.name as string | undefined,
    // A kernel tunnel device is a system port to OVS; its mark says which kind the port made.
    type: ((iface.type as string) || ids[TUNNEL_KEY] || "system") as PortInputs["type"],
    tag: ovsOptional<number>(port.tag),
    trunks: trunks.length ? trunks : undefined,
    vlanMode: ovsOptional<PortInputs["vlanMode"]>(port.vlan_mode),
    peer: options.peer,
    remoteIp: options.remote_ip,
    key: options.key,
    ...(ids[GENERATION_KEY] && { generation: ids[GENERATION_KEY] }),
  };
}
