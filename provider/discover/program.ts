// The Pulumi TypeScript project discover writes for a lab (pure): Pulumi.yaml, package.json and index.ts.
import type { FoundPort, FoundVeth, Lab } from "./model";
import { Code, Names, declaration, identifier, literal, resourceName } from "./source";

export { identifier, literal } from "./source";

/** How the program reaches the host; undefined for the machine that runs it. */
export interface Target {
  host: string;
  port: number;
  user: string;
  hostKey?: string;
}

export interface ProjectOptions {
  /** The project's name (Pulumi.yaml and package.json). */
  project: string;
  /** Where the lab was read, for the header ("this machine", "root@10.0.0.5:22"). */
  source: string;
  target?: Target;
  /** The versions the project depends on. */
  versions: { netns: string; pulumi: string; typescript: string };
}

/** The kinds a program may import, in the order it declares them. */
const KINDS = [
  "Host",
  "OvsBridge",
  "Namespace",
  "VethPair",
  "OvsPort",
  "Address",
  "Sysctl",
  "Route",
  "DhcpServer",
  "DhcpClient",
];

/** The shape a hand-built lab repeats, written once as a helper: a namespace's veth into a port on a bridge. */
const HELPER = [
  "function vethPort(",
  "  name: string,",
  "  namespace: Namespace,",
  "  peerName: string,",
  "  bridge: OvsBridge,",
  '  vlan: Pick<OvsPortArgs, "tag" | "trunks" | "vlanMode"> = {},',
  ") {",
  "  const veth = new VethPair(peerName, { name, namespace: namespace.name, peerName, ...on });",
  "  const port = new OvsPort(peerName, { bridge: bridge.name, name: veth.peerName, ...vlan, ...on });",
  "  return { veth, port };",
  "}",
];

const linkKey = (ns: string | undefined, name: string) => `${ns ?? ""}\n${name}`;
const vlanOf = (p: FoundPort) => ({ tag: p.tag, trunks: p.trunks, vlanMode: p.vlanMode });

/** The program's body as it is written: its lines, the kinds it uses, and the variables naming each object. */
class Body {
  readonly lines: string[] = [];
  readonly used = new Set<string>(["Host"]);
  private readonly vars = new Names(identifier, "");
  private readonly names = new Map(KINDS.map((k) => [k, new Names(resourceName, "-")]));
  /** A namespace's or bridge's variable, by name. */
  readonly ns = new Map<string, string>();
  readonly bridge = new Map<string, string>();
  /** The expression naming a link (by namespace and name), a port's variable, an address's variable. */
  readonly link = new Map<string, string>();
  readonly port = new Map<string, string>();
  readonly address = new Map<string, string>();

  /** A namespace by its variable's `name` where the program declares it, else by its name. */
  nsName(ns: string | undefined): unknown {
    if (ns === undefined) return undefined;
    const v = this.ns.get(ns);
    return v ? new Code(`${v}.name`) : ns;
  }
  linkName(ns: string | undefined, name: string): unknown {
    const ref = this.link.get(linkKey(ns, name));
    return ref ? new Code(ref) : name;
  }
  variable(base: string): string {
    return this.vars.take(base);
  }
  /** A name for a resource of this kind (taken here when a helper declares it). */
  resource(kind: string, base: string): string {
    this.used.add(kind);
    return this.names.get(kind)!.take(base);
  }
  /** Declares a resource, as `const v = ...` when `v` is given. */
  declare(kind: string, base: string, fields: Record<string, unknown>, o: { v?: string; opts?: string } = {}): void {
    const text = declaration(kind, this.resource(kind, base), fields, o.opts);
    this.lines.push(o.v ? `const ${o.v} = ${text};` : `${text};`);
  }
  gap(): void {
    if (this.lines.length && this.lines[this.lines.length - 1] !== "") this.lines.push("");
  }
}

function bridgesAndNamespaces(b: Body, lab: Lab): void {
  for (const br of lab.bridges) {
    const v = b.variable(br.name);
    b.bridge.set(br.name, v);
    b.declare("OvsBridge", br.name, { name: br.name, datapathType: br.datapathType, failMode: br.failMode }, { v });
  }
  b.gap();
  for (const n of lab.namespaces) {
    const v = b.variable(n.name);
    b.ns.set(n.name, v);
    b.declare("Namespace", n.name, { name: n.name, loopbackUp: n.loopbackUp ? undefined : false }, { v });
  }
  b.gap();
}

/** The port a veth's host end is attached to, on a bridge the program declares: the helper's shape. */
const attachedPort = (lab: Lab, v: FoundVeth): FoundPort | undefined =>
  v.peerNamespace === undefined
    ? lab.ports.find(
        (p) => p.type === "system" && p.name === v.peerName && lab.bridges.some((x) => x.name === p.bridge),
      )
    : undefined;

function linksAndPorts(b: Body, lab: Lab): void {
  const shaped = lab.veths.filter((v) => attachedPort(lab, v) && b.ns.has(v.namespace));
  const helper = shaped.length >= 2;
  if (helper)
    b.lines.push(
      `/** A namespace's veth into a port on a bridge: the shape this lab repeats (${shaped.length} times). */`,
      ...HELPER,
    );
  for (const veth of lab.veths) {
    const port = attachedPort(lab, veth);
    if (helper && port && shaped.includes(veth)) {
      const v = b.variable(veth.peerName);
      b.resource("VethPair", veth.peerName);
      b.resource("OvsPort", port.name);
      const vlan = Object.values(vlanOf(port)).some((x) => x !== undefined) ? `, ${literal(vlanOf(port))}` : "";
      const args = [literal(veth.name), b.ns.get(veth.namespace), literal(veth.peerName), b.bridge.get(port.bridge)];
      b.lines.push(`const ${v} = vethPort(${args.join(", ")}${vlan});`);
      b.link.set(linkKey(veth.namespace, veth.name), `${v}.veth.name`);
      b.link.set(linkKey(undefined, veth.peerName), `${v}.veth.peerName`);
      b.port.set(port.name, `${v}.port`);
      continue;
    }
    const base = veth.peerNamespace ? `${veth.namespace}-${veth.name}` : veth.peerName;
    const v = b.variable(base);
    b.declare(
      "VethPair",
      base,
      {
        name: veth.name,
        namespace: b.nsName(veth.namespace),
        peerName: veth.peerName,
        peerNamespace: b.nsName(veth.peerNamespace),
        mtu: veth.mtu,
      },
      { v },
    );
    b.link.set(linkKey(veth.namespace, veth.name), `${v}.name`);
    b.link.set(linkKey(veth.peerNamespace, veth.peerName), `${v}.peerName`);
  }
  for (const p of lab.ports.filter((x) => !b.port.has(x.name))) {
    const v = b.variable(p.name);
    const bridge = b.bridge.get(p.bridge);
    b.declare(
      "OvsPort",
      p.name,
      {
        name: b.linkName(undefined, p.name),
        namespace: b.nsName(p.namespace),
        bridge: bridge ? new Code(`${bridge}.name`) : p.bridge,
        type: p.type === "system" ? undefined : p.type,
        ...vlanOf(p),
        peer: p.peer,
        remoteIp: p.remoteIp,
        key: p.key,
      },
      { v },
    );
    b.port.set(p.name, v);
    b.link.set(linkKey(p.namespace, p.name), `${v}.name`);
  }
  b.gap();
}

function addressing(b: Body, lab: Lab): void {
  for (const a of lab.addresses) {
    const v = b.variable(`${a.device}-address`);
    const fields = { namespace: b.nsName(a.namespace), device: b.linkName(a.namespace, a.device), cidr: a.cidr };
    b.declare("Address", `${a.namespace ?? "host"}-${a.device}`, fields, { v });
    b.address.set(linkKey(a.namespace, a.device), v);
  }
  for (const s of lab.sysctls)
    b.declare("Sysctl", `${s.namespace}-${s.key}`, { namespace: b.nsName(s.namespace), key: s.key, value: s.value });
  for (const r of lab.routes) {
    // A route through a gateway needs the address that puts the gateway on a link.
    const addresses = [...b.address].filter(([k]) => k.startsWith(`${r.namespace}\n`)).map(([, v]) => v);
    b.declare(
      "Route",
      `${r.namespace}-${r.destination}`,
      {
        namespace: b.nsName(r.namespace),
        destination: r.destination,
        via: r.via,
        device: r.device && b.linkName(r.namespace, r.device),
        metric: r.metric,
      },
      { opts: addresses.length ? `{ dependsOn: [${addresses.join(", ")}] }` : undefined },
    );
  }
  b.gap();
}

function dhcp(b: Body, lab: Lab): void {
  for (const s of lab.servers) {
    // On its address's device, as a person would write it: the server then waits for the address.
    const address = b.address.get(linkKey(s.namespace, s.device));
    const f = s.fields;
    b.declare(
      "DhcpServer",
      `${s.namespace}-${s.device}`,
      {
        namespace: b.nsName(s.namespace),
        device: address ? new Code(`${address}.device`) : b.linkName(s.namespace, s.device),
        subnet: f.subnet,
        rangeStart: f.rangeStart,
        rangeEnd: f.rangeEnd,
        leaseTime: f.leaseTime,
        gateway: f.gateway,
        dnsServers: f.dnsServers,
        domain: f.domain,
        staticHosts: f.staticHosts?.length ? f.staticHosts : undefined,
        extraOptions: f.extraOptions?.length ? f.extraOptions : undefined,
      },
      { opts: address ? `{ dependsOn: [${address}] }` : undefined },
    );
  }
  for (const c of lab.clients) {
    const veth = lab.veths.find((v) => v.namespace === c.namespace && v.name === c.device);
    const port = veth && b.port.get(veth.peerName);
    b.declare(
      "DhcpClient",
      `${c.namespace}-${c.device}`,
      { namespace: b.nsName(c.namespace), device: b.linkName(c.namespace, c.device) },
      { opts: port ? `{ dependsOn: [${port}] }` : undefined },
    );
  }
}

/** The comments on top: what the program is, and what it leaves out. */
function header(lab: Lab, o: ProjectOptions, empty: boolean): string[] {
  const list = (title: string, items: string[]) =>
    items.length ? ["//", `// ${title}`, ...items.map((l) => `// - ${l}`)] : [];
  return [
    `// ${o.project}: the lab discovered on ${o.source} by \`pulumi-netns discover\`. Every resource adopts the object`,
    '// already there: the first `up` takes them over in place (README, "Bringing an existing lab under management").',
    ...(empty ? [`// Nothing to manage was found on ${o.source}: this program declares the Host only.`] : []),
    ...list("Not managed (seen, but this program cannot say it):", lab.notManaged),
    ...list("Already managed by pulumi-netns (left out, so that nothing is adopted twice):", lab.owned),
  ];
}

/** The Host: on this machine, or over SSH with the key from the stack's secret config. */
function hostLines(lab: Lab, t: Target | undefined): string[] {
  const needs = [
    ...(lab.bridges.length || lab.ports.length ? ["openvswitch"] : []),
    ...(lab.servers.length ? ["dnsmasq"] : []),
    ...(lab.clients.length ? ["dhclient"] : []),
  ];
  const connection = t && {
    host: t.host,
    port: t.port,
    user: t.user,
    privateKey: new Code('cfg.requireSecret("privateKey")'),
    hostKey: t.hostKey,
  };
  return [
    ...(t
      ? [
          "// The private key is a secret in the stack's config: pulumi config set --secret privateKey < KEYFILE",
          "const cfg = new pulumi.Config();",
        ]
      : []),
    `const host = new Host("host", ${literal({ connection, needs })});`,
  ];
}

export function indexTs(lab: Lab, o: ProjectOptions): string {
  const b = new Body();
  bridgesAndNamespaces(b, lab);
  linksAndPorts(b, lab);
  addressing(b, lab);
  dhcp(b, lab);
  const empty = b.lines.every((l) => l === "");
  const helper = b.lines.includes(HELPER[0]);
  const imports = [...KINDS.filter((k) => b.used.has(k)), ...(helper ? ["type OvsPortArgs"] : [])];
  return [
    ...header(lab, o, empty),
    ...(o.target ? ['import * as pulumi from "@pulumi/pulumi";'] : []),
    `import { ${imports.sort((x, y) => x.replace("type ", "").localeCompare(y.replace("type ", ""))).join(", ")} } from "pulumi-netns";`,
    "",
    ...hostLines(lab, o.target),
    ...(empty
      ? []
      : [
          "/** Every resource runs on the host, and takes over the object already there. */",
          "const on = { host, adopt: true };",
          "",
          ...b.lines,
        ]),
  ]
    .join("\n")
    .replace(/\n*$/, "\n");
}

export function projectFiles(lab: Lab, o: ProjectOptions): Record<string, string> {
  return {
    "Pulumi.yaml": [
      `name: ${o.project}`,
      `description: The lab discovered on ${o.source}, every object adopted in place`,
      "runtime:",
      "  name: nodejs",
      "  options:",
      "    typescript: true",
      "main: index.ts",
      "",
    ].join("\n"),
    "package.json":
      JSON.stringify(
        {
          name: o.project,
          private: true,
          main: "index.ts",
          dependencies: { "@pulumi/pulumi": `^${o.versions.pulumi}`, "pulumi-netns": `^${o.versions.netns}` },
          devDependencies: { typescript: `^${o.versions.typescript}` },
        },
        null,
        2,
      ) + "\n",
    "index.ts": indexTs(lab, o),
  };
}
