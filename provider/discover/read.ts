// Reads a host for discover, in two round trips: its namespaces, links, routes, settings, Open vSwitch and processes.
import { Link, showLinks } from "../reads/links";
import { ovsTablesArgv, OvsTables, parseOvsTables } from "../reads/ovs-tables";
import { NsProcess, parseProcesses, processesScript } from "../daemons/hand-started";
import { RUN_DIR } from "../rundir";
import { framedScript, parseFrames } from "../shell/frames";
import { ip, inNetOnly } from "../shell/netns";
import { quote, quoteArgv } from "../shell/quote";
import { Runner } from "../transport/runner";

/** Settings a lab commonly changes in a namespace; discover declares those that differ from a new namespace's. */
export const SYSCTLS = [
  "net.ipv4.ip_forward",
  "net.ipv6.conf.all.forwarding",
  "net.ipv4.conf.all.rp_filter",
  "net.ipv4.conf.default.rp_filter",
  "net.ipv4.conf.all.proxy_arp",
  "net.ipv4.conf.all.arp_ignore",
  "net.ipv4.conf.all.arp_announce",
  "net.ipv4.conf.all.accept_redirects",
  "net.ipv4.conf.all.send_redirects",
  "net.ipv4.ip_nonlocal_bind",
  "net.ipv6.conf.all.disable_ipv6",
];

/** One route as `ip -j route show` prints it. */
export interface RouteJson {
  dst: string;
  gateway?: string;
  dev?: string;
  protocol?: string;
  scope?: string;
  metric?: number;
  type?: string;
}

/** Everything discover looked at on one host. */
export interface HostView {
  /** The named namespaces (`ip netns list`). */
  namespaces: string[];
  /** Links with their addresses, by namespace ("" for the host's). */
  links: Record<string, Link[]>;
  /** IPv4 and IPv6 routes of the main table, by namespace. */
  routes: Record<string, RouteJson[]>;
  /** SYSCTLS' values, by namespace; `fresh` holds a new namespace's. */
  sysctls: Record<string, Record<string, string>>;
  fresh: Record<string, string>;
  /** Open vSwitch's tables; undefined when it is not installed or not running. */
  ovs?: OvsTables;
  processes: NsProcess[];
  /** The library's ownership records: kind/id to the owner's URN. */
  records: Record<string, string>;
}

const sysctlScript = (ns: string | undefined) =>
  SYSCTLS.map(
    (k) =>
      `printf '%s=%s\\n' ${k} "$(${quoteArgv(inNetOnly(ns, ["cat", `/proc/sys/${k.replace(/\./g, "/")}`]))} 2>/dev/null)"`,
  ).join("; ");

const parseSysctls = (out: string) =>
  Object.fromEntries(
    out
      .split("\n")
      .filter((l) => l.includes("="))
      .map((l) => [
        l.slice(0, l.indexOf("=")),
        l
          .slice(l.indexOf("=") + 1)
          .replace(/\s+/g, " ")
          .trim(),
      ]),
  );

/** The ownership records as "<kind>/<escaped id>\t<owner>" lines. */
const recordsScript = `cd ${quote(`${RUN_DIR}/owners`)} 2>/dev/null && for f in */*; do [ -s "$f" ] && printf '%s\\t%s\\n' "$f" "$(head -n 1 "$f")"; done; true`;

const json = <T>(text: string, fallback: T): T => {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
};

export async function readHost(runner: Runner, only?: { namespaces?: string[] }): Promise<HostView> {
  const first = parseFrames(
    await runner.script(
      framedScript(
        [
          { label: "netns", script: "ip -j netns list" },
          { label: "host", script: quoteArgv(showLinks(undefined)) },
          { label: "ovs", script: quoteArgv(ovsTablesArgv) },
          { label: "processes", script: processesScript() },
          { label: "records", script: recordsScript },
          // A namespace made for the reading alone, gone when the command ends: the settings a new one has.
          { label: "fresh", script: `unshare -n sh -c ${quote(sysctlScript(undefined))}` },
        ],
        { separateStderr: true },
      ),
    ),
  );
  const part = (label: string) => first.find((f) => f.label === label);
  const listed = json<Array<{ name: string }>>(part("netns")?.stdout || "[]", []).map((n) => n.name);
  const namespaces = only?.namespaces ? listed.filter((n) => only.namespaces!.includes(n)) : listed;
  const ovs = part("ovs")?.code === 0 ? parseOvsTables(part("ovs")!.stdout) : undefined;
  const view: HostView = {
    namespaces,
    links: { "": json<Link[]>(part("host")?.stdout ?? "[]", []) },
    routes: {},
    sysctls: {},
    fresh: parseSysctls(part("fresh")?.stdout ?? ""),
    ovs,
    processes: parseProcesses(part("processes")?.stdout ?? "").filter((p) => namespaces.includes(p.namespace)),
    records: Object.fromEntries(
      (part("records")?.stdout ?? "")
        .split("\n")
        .filter((l) => l.includes("\t"))
        .map((l) => [decodeURIComponent(l.slice(0, l.indexOf("\t"))), l.slice(l.indexOf("\t") + 1)]),
    ),
  };
  if (!namespaces.length) return view;
  const each = parseFrames(
    await runner.script(
      framedScript(
        namespaces.flatMap((ns) => [
          { label: `links ${ns}`, script: quoteArgv(showLinks(ns)) },
          {
            label: `routes ${ns}`,
            script: `${quoteArgv(ip(ns, "-j", "route", "show"))}; echo; ${quoteArgv(ip(ns, "-6", "-j", "route", "show"))}`,
          },
          { label: `sysctls ${ns}`, script: sysctlScript(ns) },
        ]),
        { separateStderr: true },
      ),
    ),
  );
  for (const f of each) {
    const [what, ns] = [f.label.slice(0, f.label.indexOf(" ")), f.label.slice(f.label.indexOf(" ") + 1)];
    if (what === "links") view.links[ns] = json<Link[]>(f.stdout, []);
    if (what === "routes")
      view.routes[ns] = f.stdout
        .split("\n")
        .filter((l) => l.startsWith("["))
        .flatMap((l) => json<RouteJson[]>(l, []));
    if (what === "sysctls") view.sysctls[ns] = parseSysctls(f.stdout);
  }
  return view;
}
