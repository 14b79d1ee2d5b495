// The Pulumi TypeScript project discover writes for a lab (pure): Pulumi.yaml, package.json and index.ts.
import type { FoundPort, FoundVeth, Lab } from "./model";

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

/** A value as TypeScript source: strings, numbers, booleans, arrays, and objects with identifier keys. */
export function literal(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(literal).join(", ")}]`;
  if (v && typeof v === "object") {
    const fields = Object.entries(v).filter(([, x]) => x !== undefined);
    if (!fields.length) return "{}";
    return `{ ${fields.map(([k, x]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${literal(x)}`).join(", ")} }`;
  }
  return JSON.stringify(v);
}

const RESERVED = new Set(
  "break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await host on cfg pulumi".split(
    " ",
  ),
);

/** Names unique within a scope: JavaScript identifiers, or Pulumi resource names of one type. */
class Names {
  private readonly taken = new Set<string>();
  constructor(
    private readonly shape: (s: string) => string,
    private readonly separator: string,
  ) {}
  take(base: string): string {
    const first = this.shape(base);
    let name = first;
    for (let i = 2; this.taken.has(name); i++) name = `${first}${this.separator}${i}`;
    this.taken.add(name);
    return name;
  }
  /** The variable an expression such as "red.name" reads. */
  of(expression: string | undefined): string | undefined {
    return expression?.replace(/\.name$/, "");
  }
}

/** A camelCase identifier from an object's name: dhcp-r gives dhcpR, OVS1 gives ovs1. */
export function identifier(name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const camel = words.map((w, i) => (i === 0 ? w.toLowerCase() : w[0].toUpperCase() + w.slice(1))).join("") || "x";
  const id = /^\d/.test(camel) ? `n${camel}` : camel;
  return RESERVED.has(id) ? `${id}_` : id;
}
const resourceName = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, "-");

/** The kinds a program imports, in the order they are declared. */
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

/** The order fields are written in: what the object is, where it is, then how it is set (others after). */
const FIELD_ORDER = [
  "name",
  "namespace",
  "bridge",
  "device",
  "interface",
  "peerName",
  "peerNamespace",
  "type",
  "cidr",
  "destination",
  "via",
  "key",
  "value",
];

/** Whether a veth's host end is a system port on a bridge the program declares: the shape a helper makes. */
const portOf = (lab: Lab, v: FoundVeth): FoundPort | undefined =>
  v.peerNamespace === undefined
    ? lab.ports.find(
        (p) => p.type === "system" && p.name === v.peerName && lab.bridges.some((b) => b.name === p.bridge),
      )
    : undefined;

const vlanOf = (p: FoundPort) => ({ tag: p.tag, trunks: p.trunks, vlanMode: p.vlanMode });

export function indexTs(lab: Lab, o: ProjectOptions): string {
  const vars = new Names(identifier, "");
  const names: Record<string, Names> = Object.fromEntries(KINDS.map((k) => [k, new Names(resourceName, "-")]));
  const body: string[] = [];
  const used = new Set<string>(["Host"]);
  const declare = (
    kind: string,
    base: string,
    args: Record<string, unknown>,
    raw: Record<string, string> = {},
    opts?: string,
  ) => {
    used.add(kind);
    const code: Record<string, string> = { ...raw };
    for (const [k, v] of Object.entries(args)) if (v !== undefined) code[k] = literal(v);
    const order = (k: string) => (FIELD_ORDER.indexOf(k) + FIELD_ORDER.length + 1) % (FIELD_ORDER.length + 1);
    const fields = [
      ...Object.keys(code)
        .sort((a, b) => order(a) - order(b))
        .map((k) => `${k}: ${code[k]}`),
      "...on",
    ];
    const name = JSON.stringify(names[kind].take(base));
    const line = `new ${kind}(${name}, { ${fields.join(", ")} }${opts ? `, ${opts}` : ""})`;
    // One field a line once the call grows long, as a formatter would lay it out.
    if (line.length <= 100) return line;
    return `new ${kind}(${name}, {\n${fields.map((f) => `  ${f},`).join("\n")}\n}${opts ? `, ${opts}` : ""})`;
  };
  const refs = {
    ns: new Map<string, string>(),
    bridge: new Map<string, string>(),
    /** A link (namespace, then name) to the expression that names it. */
    link: new Map<string, string>(),
    port: new Map<string, string>(),
    address: new Map<string, string>(),
  };
  const linkKey = (ns: string | undefined, name: string) => `${ns ?? ""}\n${name}`;
  const nsRef = (ns: string | undefined) => (ns === undefined ? undefined : (refs.ns.get(ns) ?? JSON.stringify(ns)));
  const nameOr = (ref: string | undefined, value: string | undefined) => (ref ? { raw: ref } : { value });

  for (const b of lab.bridges) {
    const v = vars.take(b.name);
    refs.bridge.set(b.name, `${v}.name`);
    body.push(
      `const ${v} = ${declare("OvsBridge", b.name, { name: b.name, datapathType: b.datapathType, failMode: b.failMode })};`,
    );
  }
  if (lab.bridges.length) body.push("");
  for (const n of lab.namespaces) {
    const v = vars.take(n.name);
    refs.ns.set(n.name, `${v}.name`);
    body.push(
      `const ${v} = ${declare("Namespace", n.name, { name: n.name, loopbackUp: n.loopbackUp ? undefined : false })};`,
    );
  }
  if (lab.namespaces.length) body.push("");

  // The shape that repeats in a hand-built lab: a namespace's veth into a port on a bridge.
  const attached = lab.veths.filter((v) => portOf(lab, v));
  const helper = attached.length >= 2;
  if (helper) {
    used.add("VethPair").add("OvsPort");
    body.push(
      `/** A namespace's veth into a port on a bridge: the shape this lab repeats (${attached.length} times). */`,
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
    );
  }
  for (const veth of lab.veths) {
    const port = portOf(lab, veth);
    const nsVar = vars.of(refs.ns.get(veth.namespace));
    if (helper && port && nsVar) {
      const v = vars.take(veth.peerName);
      names.VethPair.take(veth.peerName);
      names.OvsPort.take(port.name);
      const vlan = Object.values(vlanOf(port)).some((x) => x !== undefined) ? `, ${literal(vlanOf(port))}` : "";
      const bridgeVar = vars.of(refs.bridge.get(port.bridge));
      body.push(
        `const ${v} = vethPort(${literal(veth.name)}, ${nsVar}, ${literal(veth.peerName)}, ${bridgeVar}${vlan});`,
      );
      refs.link.set(linkKey(veth.namespace, veth.name), `${v}.veth.name`);
      refs.link.set(linkKey(undefined, veth.peerName), `${v}.veth.peerName`);
      refs.port.set(port.name, `${v}.port`);
      continue;
    }
    const v = vars.take(veth.peerNamespace ? `${veth.namespace}-${veth.name}` : veth.peerName);
    const raw: Record<string, string> = {};
    const args: Record<string, unknown> = { name: veth.name };
    const ns = nameOr(refs.ns.get(veth.namespace), veth.namespace);
    if (ns.raw) raw.namespace = ns.raw;
    else args.namespace = ns.value;
    args.peerName = veth.peerName;
    const peer = nameOr(nsRef(veth.peerNamespace), veth.peerNamespace);
    if (peer.raw) raw.peerNamespace = peer.raw;
    args.mtu = veth.mtu;
    body.push(
      `const ${v} = ${declare("VethPair", veth.peerNamespace ? `${veth.namespace}-${veth.name}` : veth.peerName, args, raw)};`,
    );
    refs.link.set(linkKey(veth.namespace, veth.name), `${v}.name`);
    refs.link.set(linkKey(veth.peerNamespace, veth.peerName), `${v}.peerName`);
  }
  for (const p of lab.ports.filter((x) => !refs.port.has(x.name))) {
    const v = vars.take(p.name);
    const raw: Record<string, string> = { bridge: refs.bridge.get(p.bridge) ?? literal(p.bridge) };
    const device = refs.link.get(linkKey(undefined, p.name));
    if (device) raw.name = device;
    if (p.namespace) raw.namespace = nsRef(p.namespace)!;
    const args = {
      ...(device ? {} : { name: p.name }),
      ...(p.type !== "system" && { type: p.type }),
      ...vlanOf(p),
      peer: p.peer,
      remoteIp: p.remoteIp,
      key: p.key,
    };
    body.push(`const ${v} = ${declare("OvsPort", p.name, args, raw)};`);
    refs.port.set(p.name, v);
    refs.link.set(linkKey(p.namespace, p.name), `${v}.name`);
  }
  if (lab.veths.length || lab.ports.length) body.push("");

  for (const a of lab.addresses) {
    const v = vars.take(`${a.device}-address`);
    const raw: Record<string, string> = {};
    if (a.namespace) raw.namespace = nsRef(a.namespace)!;
    const dev = refs.link.get(linkKey(a.namespace, a.device));
    if (dev) raw.device = dev;
    body.push(
      `const ${v} = ${declare("Address", `${a.namespace ?? "host"}-${a.device}`, { ...(dev ? {} : { device: a.device }), cidr: a.cidr }, raw)};`,
    );
    refs.address.set(linkKey(a.namespace, a.device), v);
  }
  for (const s of lab.sysctls)
    body.push(
      `${declare("Sysctl", `${s.namespace}-${s.key}`, { key: s.key, value: s.value }, { namespace: nsRef(s.namespace)! })};`,
    );
  for (const r of lab.routes) {
    const onDevice = [...refs.address.entries()].filter(([k]) => k.startsWith(`${r.namespace}\n`)).map(([, v]) => v);
    const dev = r.device && refs.link.get(linkKey(r.namespace, r.device));
    body.push(
      `${declare(
        "Route",
        `${r.namespace}-${r.destination}`,
        { destination: r.destination, via: r.via, ...(dev ? {} : { device: r.device }), metric: r.metric },
        { namespace: nsRef(r.namespace)!, ...(dev && { device: dev }) },
        onDevice.length ? `{ dependsOn: [${onDevice.join(", ")}] }` : undefined,
      )};`,
    );
  }
  if (lab.addresses.length || lab.sysctls.length || lab.routes.length) body.push("");

  for (const s of lab.servers) {
    const address = refs.address.get(linkKey(s.namespace, s.interface));
    const iface = address
      ? `${address}.device`
      : (refs.link.get(linkKey(s.namespace, s.interface)) ?? literal(s.interface));
    const f = s.fields;
    body.push(
      `${declare(
        "DhcpServer",
        `${s.namespace}-${s.interface}`,
        {
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
        { namespace: nsRef(s.namespace)!, interface: iface },
        address ? `{ dependsOn: [${address}] }` : undefined,
      )};`,
    );
  }
  for (const c of lab.clients) {
    const veth = lab.veths.find((v) => v.namespace === c.namespace && v.name === c.interface);
    const port = veth && refs.port.get(veth.peerName);
    body.push(
      `${declare(
        "DhcpClient",
        `${c.namespace}-${c.interface}`,
        {},
        {
          namespace: nsRef(c.namespace)!,
          interface: refs.link.get(linkKey(c.namespace, c.interface)) ?? literal(c.interface),
        },
        port ? `{ dependsOn: [${port}] }` : undefined,
      )};`,
    );
  }

  const needs = [
    ...(lab.bridges.length || lab.ports.length ? ["openvswitch"] : []),
    ...(lab.servers.length ? ["dnsmasq"] : []),
    ...(lab.clients.length ? ["dhclient"] : []),
  ];
  const t = o.target;
  const connection = t && {
    host: t.host,
    port: t.port,
    user: t.user,
    privateKey: 'cfg.requireSecret("privateKey")',
    ...(t.hostKey && { hostKey: t.hostKey }),
  };
  const empty = body.every((l) => l === "");
  const header = [
    `// ${o.project}: the lab discovered on ${o.source} by \`pulumi-netns discover\`. Every resource adopts the object`,
    '// already there: the first `up` takes them over in place (README, "Bringing an existing lab under management").',
    ...(empty ? [`// Nothing to manage was found on ${o.source}: this program declares the Host only.`] : []),
    ...(lab.notManaged.length
      ? ["//", "// Not managed (seen, but this program cannot say it):", ...lab.notManaged.map((l) => `// - ${l}`)]
      : []),
    ...(lab.owned.length
      ? [
          "//",
          "// Already managed by pulumi-netns (left out, so that nothing is adopted twice):",
          ...lab.owned.map((l) => `// - ${l}`),
        ]
      : []),
  ];
  const imports = KINDS.filter((k) => used.has(k));
  return [
    ...header,
    ...(t ? ['import * as pulumi from "@pulumi/pulumi";'] : []),
    `import { ${[...imports, ...(helper ? ["OvsPortArgs"] : [])]
      .sort()
      .map((k) => (k === "OvsPortArgs" ? "type OvsPortArgs" : k))
      .join(", ")} } from "pulumi-netns";`,
    "",
    ...(t
      ? [
          "// The private key is a secret in the stack's config: pulumi config set --secret privateKey < KEYFILE",
          "const cfg = new pulumi.Config();",
        ]
      : []),
    `const host = new Host("host", { ${[
      ...(connection
        ? [
            `connection: { ${Object.entries(connection)
              .map(([k, v]) => `${k}: ${k === "privateKey" ? v : literal(v)}`)
              .join(", ")} }`,
          ]
        : []),
      `needs: ${literal(needs)}`,
    ].join(", ")} });`,
    ...(empty
      ? []
      : [
          "/** Every resource runs on the host, and takes over the object already there. */",
          "const on = { host, adopt: true };",
          "",
          ...body,
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
