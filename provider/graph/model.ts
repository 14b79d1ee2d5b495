// The topology a stack describes, from its stored resources: hosts, namespaces, bridges, links and their labels.
import { COMPONENT_PREFIX, RESOURCE_PREFIX, StoredResource, nameOf } from "./state";

export type NodeKind = "namespace" | "router" | "bridge" | "host" | "remote";

export interface GraphNode {
  id: string;
  kind: NodeKind;
  /** First line: the object's name; then what runs in it (DHCP range, NAT, HAProxy, processes, routes). */
  lines: string[];
  host: string;
  /** The innermost component holding it, if any. */
  group?: string;
}
export interface GraphEdge {
  from: string;
  to: string;
  kind: "veth" | "port" | "patch" | "tunnel";
  lines: string[];
}
export interface Cluster {
  id: string;
  label: string;
  /** A host's clusters have no parent; a component's parent is its host's cluster or an outer component. */
  parent?: string;
}
/** One row of the object table (HTML). */
export interface ObjectRow {
  kind: string;
  name: string;
  host: string;
  detail: string;
}
export interface Topology {
  clusters: Cluster[];
  nodes: GraphNode[];
  edges: GraphEdge[];
  objects: ObjectRow[];
}

type Props = Record<string, unknown>;
/** A stored value as text; secrets (sealed objects) and absent values give undefined. */
const str = (v: unknown) => (typeof v === "string" || typeof v === "number" ? String(v) : undefined);
const arr = (v: unknown): Props[] => (Array.isArray(v) ? (v as Props[]) : []);
const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Builds the topology from every resource of this package in a stack; others are left out. */
export function topology(all: StoredResource[]): Topology {
  const ours = all.filter((r) => r.type.startsWith(RESOURCE_PREFIX) || r.type.startsWith(COMPONENT_PREFIX));
  const kindOf = (r: StoredResource) => r.type.slice(r.type.lastIndexOf(":") + 1);
  const props = (r: StoredResource): Props => ({ ...r.inputs, ...r.outputs });
  const of = (kind: string) =>
    ours
      .filter((r) => r.custom && kindOf(r) === kind)
      .map((r) => ({ r, p: props(r), name: nameOf(r.urn) }))
      .sort(byName);
  const byUrn = new Map(all.map((r) => [r.urn, r]));

  // Hosts: a Host resource each; resources that name none share one cluster for their (secret) connection.
  const hosts = new Map(of("Host").map(({ r, name }) => [r.urn, name]));
  const hostOf = (r: StoredResource) =>
    hosts.has(r.urn) ? r.urn : (r.dependencies.find((d) => hosts.has(d)) ?? "connection");
  const clusters: Cluster[] = [];
  const hostCluster = (h: string) => `host:${h}`;
  const usedHosts = new Set<string>();

  // Components group their children.
  const components = ours.filter((r) => !r.custom && r.type.startsWith(COMPONENT_PREFIX));
  const componentOf = (r: StoredResource) => {
    const p = r.parent && byUrn.get(r.parent);
    return p && !p.custom && p.type.startsWith(COMPONENT_PREFIX) ? p.urn : undefined;
  };

  const nodes = new Map<string, GraphNode>();
  const node = (kind: NodeKind, host: string, name: string, group?: string) => {
    const id = `${kind === "router" ? "namespace" : kind}:${host}:${name}`;
    let n = nodes.get(id);
    if (!n) {
      usedHosts.add(host);
      n = { id, kind, lines: [name], host, group };
      nodes.set(id, n);
    }
    if (group && !n.group) n.group = group;
    return n;
  };
  const nsNode = (host: string, ns: string | undefined) =>
    ns ? node("namespace", host, ns) : node("host", host, "host namespace");

  for (const { r, p } of of("Namespace")) node("namespace", hostOf(r), str(p.name)!, componentOf(r));
  for (const { r, p } of of("OvsBridge")) {
    const b = node("bridge", hostOf(r), str(p.name)!, componentOf(r));
    b.lines.push(`OVS bridge${str(p.datapathType) ? ` (${p.datapathType})` : ""}`);
  }

  // Addresses per interface: static ones and leases.
  const addrs = new Map<string, string[]>();
  const addAddr = (host: string, ns: string | undefined, dev: string | undefined, a: string | undefined) => {
    if (!dev || !a) return;
    const k = `${host}|${ns ?? ""}|${dev}`;
    addrs.set(k, [...(addrs.get(k) ?? []), a]);
  };
  for (const { r, p } of of("Address")) addAddr(hostOf(r), str(p.namespace), str(p.device), str(p.cidr));
  // A DHCP server's or client's `device` was stored as `interface` before it was renamed (docs/ARCHITECTURE.md).
  const deviceOf = (p: Record<string, unknown>) => str(p.device) ?? str(p.interface);
  for (const { r, p } of of("DhcpClient"))
    addAddr(hostOf(r), str(p.namespace), deviceOf(p), `${str(p.address) ?? "?"} (DHCP)`);
  const iface = (host: string, ns: string | undefined, dev: string) =>
    [dev, ...(addrs.get(`${host}|${ns ?? ""}|${dev}`) ?? [])].join(" ");

  const edges: GraphEdge[] = [];
  const vlan = (p: Props) =>
    str(p.tag) ? `VLAN ${p.tag}` : Array.isArray(p.trunks) ? `trunk ${(p.trunks as number[]).join(",")}` : undefined;

  // A system port on one end of a VethPair is drawn as one link from the bridge to the other end's namespace.
  const veths = of("VethPair");
  const portsOnVeth = new Set<string>();
  const tunnels: {
    host: string;
    bridge: string;
    name: string;
    type: string;
    key?: string;
    remote: string;
    vlan?: string;
  }[] = [];
  for (const { r, p } of of("OvsPort")) {
    const host = hostOf(r);
    const bridge = node("bridge", host, str(p.bridge)!).id;
    const name = str(p.name)!;
    const type = str(p.type) ?? "system";
    if (type === "system") {
      const pair = veths.find((v) => hostOf(v.r) === host && (v.p.name === name || v.p.peerName === name));
      if (pair) {
        portsOnVeth.add(pair.r.urn);
        const [far, farNs] =
          pair.p.name === name
            ? [str(pair.p.peerName)!, str(pair.p.peerNamespace)]
            : [str(pair.p.name)!, str(pair.p.namespace)];
        edges.push({
          from: bridge,
          to: nsNode(host, farNs).id,
          kind: "port",
          lines: [`${name} ↔ ${iface(host, farNs, far)}`, vlan(p)].filter((l): l is string => !!l),
        });
      } else {
        edges.push({
          from: bridge,
          to: nsNode(host, undefined).id,
          kind: "port",
          lines: [name, vlan(p)].filter(Boolean) as string[],
        });
      }
    } else if (type === "internal") {
      const ns = str(p.namespace);
      edges.push({
        from: bridge,
        to: nsNode(host, ns).id,
        kind: "port",
        lines: [`${iface(host, ns, name)} (internal)`, vlan(p)].filter(Boolean) as string[],
      });
    } else if (type === "patch") {
      const peer = of("OvsPort").find((o) => hostOf(o.r) === host && o.p.name === p.peer);
      // Each patch pair is drawn once, from the port whose name sorts first.
      if (peer && name < str(peer.p.name)!)
        edges.push({
          from: bridge,
          to: node("bridge", host, str(peer.p.bridge)!).id,
          kind: "patch",
          lines: [`${name} ↔ ${peer.p.name} (patch)`],
        });
      else if (!peer)
        edges.push({
          from: bridge,
          to: node("remote", host, `patch peer ${p.peer ?? "?"}`).id,
          kind: "patch",
          lines: [name],
        });
    } else {
      const remote = str(p.remoteIp) ?? (Array.isArray(p.remoteIps) ? (p.remoteIps as string[]).join(", ") : "?");
      tunnels.push({ host, bridge, name, type, key: str(p.key), remote, vlan: vlan(p) });
    }
  }
  // Tunnels of one type and key on two or more hosts are one overlay: drawn bridge to bridge between each pair of
  // hosts (the hosts' underlay addresses are in their secret connections, so the key is what joins the ends).
  for (const t of tunnels) {
    const what = `${t.type}${t.key ? ` key ${t.key}` : ""}`;
    const peers = tunnels.filter(
      (o) => o.type === t.type && o.key !== undefined && o.key === t.key && o.host !== t.host,
    );
    for (const o of peers.filter((o) => t.host < o.host))
      edges.push({
        from: t.bridge,
        to: o.bridge,
        kind: "tunnel",
        lines: [`${t.name} ↔ ${o.name} (${what})`, t.vlan].filter((l): l is string => !!l),
      });
    if (peers.length === 0)
      edges.push({
        from: t.bridge,
        to: node("remote", t.host, `remote ${t.remote}`).id,
        kind: "tunnel",
        lines: [`${t.name} (${what})`, `to ${t.remote}`, t.vlan].filter((l): l is string => !!l),
      });
  }
  for (const { r, p } of veths) {
    if (portsOnVeth.has(r.urn)) continue;
    const host = hostOf(r);
    const [a, b] = [str(p.namespace), str(p.peerNamespace)];
    edges.push({
      from: nsNode(host, a).id,
      to: nsNode(host, b).id,
      kind: "veth",
      lines: [`${iface(host, a, str(p.name)!)} ↔ ${iface(host, b, str(p.peerName)!)}`],
    });
  }

  // What runs in each namespace.
  const add = (r: StoredResource, ns: string | undefined, line: string) => nsNode(hostOf(r), ns).lines.push(line);
  for (const { r, p } of of("DhcpServer"))
    add(r, str(p.namespace), `DHCP on ${deviceOf(p)}: ${p.rangeStart}-${p.rangeEnd}`);
  for (const { r, p } of of("Route"))
    add(
      r,
      str(p.namespace),
      `route ${p.destination}${str(p.via) ? ` via ${p.via}` : ""}${str(p.device) ? ` dev ${p.device}` : ""}`,
    );
  for (const { r, p } of of("Nat")) {
    for (const s of arr(p.snat))
      add(
        r,
        str(p.namespace),
        `SNAT ${s.source}${str(s.outInterface) ? ` out ${s.outInterface}` : ""} → ${str(s.to) ?? "masquerade"}`,
      );
    for (const f of arr(p.floatingIps)) add(r, str(p.namespace), `floating IP ${f.floatingIp} → ${f.fixedIp}`);
    nsNode(hostOf(r), str(p.namespace)).kind = "router";
  }
  for (const { r, p } of of("Sysctl")) {
    if (p.key === "net.ipv4.ip_forward" && str(p.value) === "1") {
      add(r, str(p.namespace), "IPv4 forwarding");
      nsNode(hostOf(r), str(p.namespace)).kind = "router";
    }
  }
  for (const { r, p } of of("Haproxy")) {
    const ports = arr(p.listeners)
      .map((l) => `${l.protocol ?? "tcp"}/${l.port}`)
      .join(", ");
    const members = arr(p.members)
      .map((m) => `${m.address}:${m.port}`)
      .join(", ");
    add(r, str(p.namespace), `HAProxy ${p.vip} ${ports} → ${members || "no members"}`);
  }
  for (const { r, p } of of("Process")) add(r, str(p.namespace), `process ${p.name}`);
  for (const { r, p } of of("Probe")) {
    const to = `${p.target}${p.port !== undefined ? `:${p.port}` : ""}`;
    add(r, str(p.namespace), `probe ${p.protocol ?? "icmp"} ${to} ${p.expect ?? "reach"}`);
  }

  for (const h of [...usedHosts].sort()) {
    const hr = byUrn.get(h);
    const dp = hr && str(hr.outputs.datapathType);
    clusters.push({
      id: hostCluster(h),
      label: hr ? `Host ${nameOf(h)}${dp ? ` (${dp} datapath)` : ""}` : "host (by connection)",
    });
  }
  // A component appears when it holds something drawn; its cluster sits in its host's cluster or its parent's.
  const drawnIn = new Map<string, string>();
  for (const n of nodes.values()) for (let g = n.group; g; g = componentOf(byUrn.get(g)!)) drawnIn.set(g, n.host);
  for (const c of components.filter((c) => drawnIn.has(c.urn)).sort((a, b) => (a.urn < b.urn ? -1 : 1)))
    clusters.push({
      id: c.urn,
      label: `${kindOf(c)} ${nameOf(c.urn)}`,
      parent: componentOf(c) ?? hostCluster(drawnIn.get(c.urn)!),
    });

  const objects: ObjectRow[] = ours
    .filter((r) => r.custom)
    .map((r) => ({
      kind: kindOf(r),
      name: nameOf(r.urn),
      host: hosts.get(hostOf(r)) ?? "(connection)",
      detail: describe(props(r)),
    }))
    .sort((a, b) => (a.kind + a.name < b.kind + b.name ? -1 : 1));
  return {
    clusters,
    nodes: [...nodes.values()].sort((a, b) => (a.id < b.id ? -1 : 1)),
    // Links between the same two nodes sort by what follows their first line (the VLAN), then by that line.
    edges: edges.sort((a, b) => (edgeKey(a) < edgeKey(b) ? -1 : 1)),
    objects,
  };
}

const edgeKey = (e: GraphEdge) => [e.from, e.to, ...e.lines.slice(1), e.lines[0]].join("\n");

/** The stored fields worth a table cell (secrets were dropped when the state was read; bookkeeping is left out). */
function describe(p: Props): string {
  const skip = new Set(["connection", "owner", "generation", "__provider", "host"]);
  return Object.entries(p)
    .filter(([k, v]) => !skip.has(k) && v !== undefined && v !== null)
    .map(([k, v]) => `${k}=${typeof v === "object" ? JSON.stringify(v) : String(v)}`)
    .join(" ");
}
