// Reads of host state that many resources share: links and addresses per namespace, and the OVS tables.
import { Coalescer } from "./coalesce";
import { quote, quoteArgv } from "./shell/quote";
import { CommandError, Runner } from "./transport/runner";
import { Row } from "./ovs/table";

/** One entry of `ip -d -json addr show`: the link and its addresses. */
export interface Link {
  ifname: string;
  flags: string[];
  mtu: number;
  address?: string;
  /** The link alias: pulumi-netns marks links with their owner's URN here. */
  ifalias?: string;
  linkinfo?: { info_kind?: string };
  addr_info?: Array<{ family: string; local: string; prefixlen: number; scope?: string }>;
}

const MARK = "@@pulumi-netns@@";

/** One round trip for every namespace asked about together ("" is the host namespace). */
function linksScript(namespaces: string[]): string {
  const list = namespaces.map((n) => quote(n === "" ? "-" : n)).join(" ");
  return (
    `for ns in ${list}; do printf '${MARK} %s\\n' "$ns"; ` +
    `if [ "$ns" = - ]; then ip -d -json addr show; else ip -n "$ns" -d -json addr show 2>&1; fi; echo; done`
  );
}

/** Splits the script's output into each namespace's links; undefined for a namespace that does not exist. */
export function parseLinksOutput(stdout: string): Map<string, Link[] | undefined> {
  const out = new Map<string, Link[] | undefined>();
  for (const section of stdout.split(`${MARK} `).slice(1)) {
    const nl = section.indexOf("\n");
    const name = section.slice(0, nl) === "-" ? "" : section.slice(0, nl);
    const body = section.slice(nl + 1).trim();
    if (body.startsWith("[")) out.set(name, JSON.parse(body) as Link[]);
    else if (/Cannot open network namespace|No such file or directory/.test(body)) out.set(name, undefined);
    else throw new Error(`reading links in namespace "${name}": ${body}`);
  }
  return out;
}

const linkReaders = new WeakMap<Runner, Coalescer<string, Link[] | undefined>>();

/** The links (with addresses) of a namespace, or undefined when it does not exist. Reads arriving together share one round trip. */
export function linksIn(runner: Runner, namespace: string | undefined): Promise<Link[] | undefined> {
  let reader = linkReaders.get(runner);
  if (!reader) {
    reader = new Coalescer(async (namespaces) => {
      const script = linksScript(namespaces);
      const r = await runner.script(script);
      if (r.code !== 0) throw new CommandError(`sh -c ${quote(script)}`, r);
      return parseLinksOutput(r.stdout);
    });
    linkReaders.set(runner, reader);
  }
  return reader.get(namespace ?? "");
}

export const findLink = (links: Link[] | undefined, name: string) => links?.find((l) => l.ifname === name);
export const isUp = (link: Link) => link.flags.includes("UP");

/** The OVS tables the resources read, fetched in one ovsdb-client transaction. */
export interface OvsTables {
  bridges: Row[];
  ports: Row[];
  interfaces: Row[];
}

const SELECTS = [
  {
    op: "select",
    table: "Bridge",
    where: [],
    columns: ["_uuid", "name", "datapath_type", "fail_mode", "external_ids", "ports"],
  },
  { op: "select", table: "Port", where: [], columns: ["_uuid", "name", "tag", "trunks", "vlan_mode", "external_ids"] },
  { op: "select", table: "Interface", where: [], columns: ["name", "type", "options"] },
];
export const ovsTablesArgv = ["ovsdb-client", "transact", JSON.stringify(["Open_vSwitch", ...SELECTS])];

export function parseOvsTables(stdout: string): OvsTables {
  const [bridges, ports, interfaces] = (JSON.parse(stdout) as Array<{ rows: Row[] }>).map((r) => r.rows);
  return { bridges, ports, interfaces };
}

const ovsReaders = new WeakMap<Runner, Coalescer<"all", OvsTables>>();

/** OVS's bridges, ports and interfaces; reads arriving together share one transaction. */
export function ovsTables(runner: Runner): Promise<OvsTables> {
  let reader = ovsReaders.get(runner);
  if (!reader) {
    reader = new Coalescer(async () => {
      const r = await runner.run(ovsTablesArgv);
      if (r.code !== 0) throw new CommandError(quoteArgv(ovsTablesArgv), r);
      return new Map([["all" as const, parseOvsTables(r.stdout)]]);
    });
    ovsReaders.set(runner, reader);
  }
  return reader.get("all");
}
