// What discover found, as the resources that declare it (pure): the lab, what it cannot say, and what is already owned.
import { parseHandClient } from "../dhcp-client/hand";
import { HandServer, handServer } from "../dhcp-server/hand";
import { isLibrarys, programOf } from "../daemons/hand-started";
import type { Link } from "../reads/links";
import { MARK_KEY, OWNER_KEY, Row, ovsMap, ovsOptional, ovsSet } from "../ovs/table";
import { splitMark } from "../ownership/marks";
import { isMark } from "../veth/commands";
import { subnetHolding } from "../addresses";
import type { HostView, RouteJson } from "./read";

export interface FoundBridge {
  name: string;
  datapathType: string;
  failMode?: string;
}
export interface FoundVeth {
  /** The end in a named namespace (the first one's, when both are). */
  name: string;
  namespace: string;
  /** The other end: on the host (no namespace), or in another named namespace. */
  peerName: string;
  peerNamespace?: string;
  mtu?: number;
}
export interface FoundPort {
  bridge: string;
  name: string;
  type: string;
  tag?: number;
  trunks?: number[];
  vlanMode?: string;
  /** Where an internal port's device is (unset: the host's namespace). */
  namespace?: string;
  peer?: string;
  remoteIp?: string;
  key?: string;
}
export interface FoundAddress {
  namespace?: string;
  device: string;
  cidr: string;
}
export interface FoundRoute {
  namespace: string;
  destination: string;
  via?: string;
  device?: string;
  metric?: number;
}
export interface FoundServer {
  namespace: string;
  device: string;
  fields: HandServer["fields"];
}
export interface FoundClient {
  namespace: string;
  device: string;
}

/** A lab as discover found it. */
export interface Lab {
  namespaces: Array<{ name: string; loopbackUp: boolean }>;
  bridges: FoundBridge[];
  veths: FoundVeth[];
  ports: FoundPort[];
  addresses: FoundAddress[];
  routes: FoundRoute[];
  sysctls: Array<{ namespace: string; key: string; value: string }>;
  servers: FoundServer[];
  clients: FoundClient[];
  /** What it saw but a program cannot say, one line each. */
  notManaged: string[];
  /** What pulumi-netns already manages (left out, so nothing is adopted twice), one line each. */
  owned: string[];
}

/** Which bridges and namespaces to look at (none named: all). */
export interface Scope {
  namespaces?: string[];
  bridges?: string[];
}

const ofKind = (l: Link) => l.linkinfo?.info_kind;
const TUNNEL_KINDS = ["vxlan", "geneve"];

/** The library's mark on an OVS row, as "managed by ..." text; undefined for a row nobody manages. */
function ovsOwner(row: Row): string | undefined {
  const ids = ovsMap(row.external_ids);
  return ids[MARK_KEY] ? (ids[OWNER_KEY] ?? "pulumi-netns") : undefined;
}

/** Pairs each veth end in a named namespace with its peer (found by ifindex both ways, or by name in one namespace). */
function pairVeths(view: HostView, lab: Lab, used: Set<string>): void {
  const ends = Object.entries(view.links).flatMap(([ns, links]) =>
    links.filter((l) => ofKind(l) === "veth").map((l) => ({ ns, l })),
  );
  const key = (ns: string, name: string) => `${ns}\n${name}`;
  const named = (ns: string) => ns !== "";
  for (const a of ends) {
    if (!named(a.ns) || used.has(key(a.ns, a.l.ifname))) continue;
    const peers = a.l.link
      ? ends.filter((b) => b.ns === a.ns && b.l.ifname === a.l.link)
      : ends.filter(
          (b) =>
            b.ns !== a.ns &&
            b.l.ifindex === a.l.link_index &&
            b.l.link_index === a.l.ifindex &&
            b.l.link_netnsid !== undefined,
        );
    if (peers.length !== 1) continue; // its peer is in a namespace without a name (another tool's), or unclear
    const b = peers[0];
    used.add(key(a.ns, a.l.ifname));
    used.add(key(b.ns, b.l.ifname));
    const mark = [a.l.ifalias, b.l.ifalias].find(isMark);
    const where = (e: typeof a) => `"${e.l.ifname}" in ${e.ns ? `namespace "${e.ns}"` : "the host namespace"}`;
    if (mark) {
      lab.owned.push(`veth pair ${where(a)} and ${where(b)} (${splitMark(mark).owner})`);
      continue;
    }
    lab.veths.push({
      name: a.l.ifname,
      namespace: a.ns,
      peerName: b.l.ifname,
      ...(b.ns && { peerNamespace: b.ns }),
      ...(a.l.mtu !== 1500 && { mtu: a.l.mtu }),
    });
  }
}

function readPorts(view: HostView, scope: Scope, lab: Lab, used: Set<string>): void {
  const t = view.ovs;
  if (!t) return;
  const devices = Object.entries(view.links).flatMap(([ns, links]) => links.map((l) => ({ ns, l })));
  for (const b of t.bridges) {
    const name = b.name as string;
    if (scope.bridges && !scope.bridges.includes(name)) continue;
    const owner = ovsOwner(b);
    if (owner) lab.owned.push(`OVS bridge "${name}" (${owner})`);
    else
      lab.bridges.push({
        name,
        datapathType: (b.datapath_type as string) || "system",
        ...(ovsOptional<string>(b.fail_mode) && { failMode: ovsOptional<string>(b.fail_mode) }),
      });
    const uuids = new Set(ovsSet<[string, string]>(b.ports).map((r) => r[1]));
    for (const p of t.ports.filter((r) => uuids.has((r._uuid as [string, string])[1]))) {
      const port = p.name as string;
      if (port === name) continue; // the bridge's own interface
      const iface = t.interfaces.find((i) => i.name === port) ?? {};
      const options = ovsMap(iface.options);
      const type = (iface.type as string) || "system";
      const dev = devices.find((d) => d.l.ifname === port && (type !== "system" || d.ns === ""));
      if (dev) used.add(`${dev.ns}\n${port}`);
      const portOwner = ovsOwner(p);
      if (portOwner) {
        lab.owned.push(`OVS port "${port}" on "${name}" (${portOwner})`);
        continue;
      }
      const trunks = ovsSet<number>(p.trunks);
      const found: FoundPort = {
        bridge: name,
        name: port,
        type,
        ...(ovsOptional<number>(p.tag) !== undefined && { tag: ovsOptional<number>(p.tag) }),
        ...(trunks.length && { trunks }),
        ...(ovsOptional<string>(p.vlan_mode) && { vlanMode: ovsOptional<string>(p.vlan_mode) }),
        ...(type === "internal" && dev?.ns && { namespace: dev.ns }),
        ...(options.peer && { peer: options.peer }),
        ...(options.remote_ip && { remoteIp: options.remote_ip }),
        ...(options.key && { key: options.key }),
      };
      // A kernel tunnel device attached as a system port is a vxlan or geneve port.
      const kind = dev && ofKind(dev.l);
      if (type === "system" && kind && TUNNEL_KINDS.includes(kind)) {
        const data = (dev!.l.linkinfo as { info_data?: Record<string, unknown> }).info_data ?? {};
        Object.assign(found, { type: kind, key: String(data.id) }, data.remote ? { remoteIp: data.remote } : {});
        if (!data.remote) {
          // Its remotes are forwarding entries (bridge fdb): the program would need them as remoteIps.
          lab.notManaged.push(`${kind} port "${port}" on "${name}": its remotes are forwarding entries`);
          continue;
        }
      } else if (type === "system" && !dev) {
        lab.notManaged.push(`OVS port "${port}" on "${name}": its device is not in the host namespace`);
        continue;
      }
      lab.ports.push(found);
    }
  }
}

/** dnsmasq and dhclient started by hand, as DHCP servers and clients; other processes are listed as not managed. */
function readDaemons(view: HostView, lab: Lab, confs: Record<string, string>): void {
  for (const p of view.processes) {
    const program = programOf(p.argv);
    const line = `${p.argv.join(" ")} (pid ${p.pid}) in namespace "${p.namespace}"`;
    if (isLibrarys(p.argv)) {
      lab.owned.push(`${program} in namespace "${p.namespace}" (started by pulumi-netns)`);
      continue;
    }
    if (program === "dnsmasq") {
      const confFile = handServer(p.argv).confFile;
      const s = handServer(p.argv, confFile === undefined ? undefined : confs[confFile]);
      if (s.interfaces.length !== 1 || !s.fields.rangeStart) {
        lab.notManaged.push(`${line}: a DhcpServer serves one interface with one range`);
        continue;
      }
      if (s.unsupported.length) lab.notManaged.push(`${s.unsupported.join(" ")} of ${line}`);
      const device = (view.links[p.namespace] ?? []).find((l) => l.ifname === s.interfaces[0]);
      const subnet = s.fields.subnet ?? subnetHolding(device?.addr_info, s.fields.rangeStart);
      lab.servers.push({ namespace: p.namespace, device: s.interfaces[0], fields: { ...s.fields, subnet } });
    } else if (program === "dhclient") {
      const c = parseHandClient(p.argv);
      if (c.ipv6 || c.interfaces.length !== 1) {
        lab.notManaged.push(`${line}: a DhcpClient is an IPv4 client of one interface`);
        continue;
      }
      lab.clients.push({ namespace: p.namespace, device: c.interfaces[0] });
    } else lab.notManaged.push(`process ${line}`);
  }
}

/**
 * Routes a program states: not the kernel's own (a connected subnet, IPv6 link-local), not a DHCP client's default
 * route (`ip` leaves out the protocol "boot" that both dhclient-script's routes and routes added by hand get).
 */
function ownRoute(r: RouteJson, dhcp: Set<string>): boolean {
  if (r.protocol === "kernel" || (r.type && r.type !== "unicast")) return false;
  if (r.dst.startsWith("fe80:") || r.dst.startsWith("ff00:")) return false;
  return !(r.dst === "default" && r.dev && dhcp.has(r.dev) && [undefined, "boot", "dhcp"].includes(r.protocol));
}

/** The lab on a host, from what readHost saw; `confs` holds the conf files dnsmasq processes name. */
export function labOf(view: HostView, scope: Scope = {}, confs: Record<string, string> = {}): Lab {
  const lab: Lab = {
    namespaces: [],
    bridges: [],
    veths: [],
    ports: [],
    addresses: [],
    routes: [],
    sysctls: [],
    servers: [],
    clients: [],
    notManaged: [],
    owned: [],
  };
  for (const ns of [...view.namespaces].sort()) {
    const record = view.records[`Namespace/${ns}`];
    if (record) lab.owned.push(`namespace "${ns}" (${record})`);
    else
      lab.namespaces.push({
        name: ns,
        loopbackUp: (view.links[ns] ?? []).some((l) => l.ifname === "lo" && l.flags.includes("UP")),
      });
  }
  const used = new Set<string>();
  pairVeths(view, lab, used);
  readPorts(view, scope, lab, used);
  readDaemons(view, lab, confs);
  const dhcp = new Set(lab.clients.map((c) => `${c.namespace}\n${c.device}`));
  // Host-namespace addresses only on the lab's own devices there (a veth end, an internal port): the rest are the host's.
  for (const [ns, links] of Object.entries(view.links)) {
    for (const l of links) {
      const k = `${ns}\n${l.ifname}`;
      if (l.ifname === "lo") continue;
      if (!used.has(k)) {
        if (ns) lab.notManaged.push(`link "${l.ifname}" (${ofKind(l) ?? "device"}) in namespace "${ns}"`);
        continue;
      }
      if (dhcp.has(k)) continue; // its address comes from its DHCP client
      for (const a of l.addr_info ?? [])
        if (a.scope === "global" && !(a as { dynamic?: boolean }).dynamic)
          lab.addresses.push({ ...(ns && { namespace: ns }), device: l.ifname, cidr: `${a.local}/${a.prefixlen}` });
    }
  }
  for (const ns of view.namespaces) {
    const dhcpDevs = new Set(lab.clients.filter((c) => c.namespace === ns).map((c) => c.device));
    for (const r of (view.routes[ns] ?? []).filter((x) => ownRoute(x, dhcpDevs)))
      lab.routes.push({
        namespace: ns,
        destination: r.dst,
        ...(r.gateway && { via: r.gateway }),
        ...(r.dev && { device: r.dev }),
        ...(r.metric !== undefined && r.metric !== 0 && !r.dst.includes(":") && { metric: r.metric }),
      });
    for (const [key, value] of Object.entries(view.sysctls[ns] ?? {}))
      if (value && view.fresh[key] !== undefined && value !== view.fresh[key])
        lab.sysctls.push({ namespace: ns, key, value });
  }
  // In name order, so that the program reads the same whatever order the host listed things in.
  const by =
    <T>(key: (x: T) => string) =>
    (a: T, b: T) =>
      key(a).localeCompare(key(b));
  lab.bridges.sort(by((b) => b.name));
  lab.veths.sort(by((v) => `${v.namespace} ${v.name}`));
  lab.ports.sort(by((p) => p.name));
  lab.addresses.sort(by((a) => `${a.namespace ?? ""} ${a.device} ${a.cidr}`));
  lab.servers.sort(by((x) => `${x.namespace} ${x.device}`));
  lab.clients.sort(by((x) => `${x.namespace} ${x.device}`));
  return lab;
}
