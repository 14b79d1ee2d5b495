// A dnsmasq started by hand, read back as a DhcpServer: its command line (or conf file) as inputs, and its leases (pure).
import { inRange, netmaskToPrefix, networkOf } from "../addresses";
import { EXTRA_OPTIONS, ServerInputs } from "./schema";

/** Where Debian's dnsmasq keeps its leases when its command line names no file. */
export const DEFAULT_LEASE_FILE = "/var/lib/misc/dnsmasq.leases";

/** What a dnsmasq command line says, as far as a DhcpServer can say it. */
export interface HandServer {
  /** The interfaces it serves (none: every interface). */
  interfaces: string[];
  /** The inputs it implies; `subnet` only when the range names its netmask. */
  fields: Partial<ServerInputs>;
  /** Its range's netmask as a prefix length, when given. */
  prefix?: number;
  leaseFile: string;
  /** A configuration file it reads (`--conf-file`), whose lines are options too. */
  confFile?: string;
  /** Options a DhcpServer cannot express, as given. */
  unsupported: string[];
}

/** dnsmasq's short options that take a value, by their long names. */
const SHORT: Record<string, string> = {
  i: "interface",
  F: "dhcp-range",
  O: "dhcp-option",
  G: "dhcp-host",
  l: "dhcp-leasefile",
  x: "pid-file",
  C: "conf-file",
  p: "port",
  I: "except-interface",
};
/** Short flags without a value that change nothing a DhcpServer sets. */
const SHORT_FLAGS: Record<string, string> = {
  z: "bind-interfaces",
  R: "no-resolv",
  h: "no-hosts",
  K: "dhcp-authoritative",
  k: "keep-in-foreground",
  d: "no-daemon",
};
/** Options the library's own config sets its way, or that concern DNS, which a DhcpServer does not serve. */
const IGNORED = new Set([
  "bind-interfaces",
  "bind-dynamic",
  "no-resolv",
  "no-hosts",
  "no-poll",
  "dhcp-authoritative",
  "pid-file",
  "port",
  "except-interface",
  "keep-in-foreground",
  "no-daemon",
  "log-facility",
  "log-queries",
  "user",
  "group",
]);

/** The command line as (name, value) options, short options spelled long. */
export function dnsmasqOptions(argv: readonly string[]): Array<[string, string | undefined]> {
  const out: Array<[string, string | undefined]> = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      out.push(eq < 0 ? [a.slice(2), undefined] : [a.slice(2, eq), a.slice(eq + 1)]);
    } else if (a.startsWith("-") && a.length >= 2) {
      const long = SHORT[a[1]];
      if (long) out.push([long, a.length > 2 ? a.slice(2) : argv[++i]]);
      else out.push([SHORT_FLAGS[a[1]] ?? a, undefined]);
    } else out.push([a, undefined]);
  }
  return out;
}

/** A conf file's lines as options (the same names, without the dashes). */
export const confOptions = (text: string): Array<[string, string | undefined]> =>
  text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"))
    .map((l) => {
      const eq = l.indexOf("=");
      return eq < 0 ? [l, undefined] : [l.slice(0, eq), l.slice(eq + 1)];
    });

const isIpv4 = (s: string | undefined) => !!s && /^\d{1,3}(\.\d{1,3}){3}$/.test(s);

/** The DHCP option a `dhcp-option` value sets (by number or by name), and its values. */
function dhcpOption(value: string): { code: string; values: string[] } | undefined {
  const parts = value.split(",");
  const named: Record<string, string> = { "option:router": "3", "option:dns-server": "6", "option:domain-name": "15" };
  const code = named[parts[0]] ?? (/^\d+$/.test(parts[0]) ? parts[0] : undefined);
  return code ? { code, values: parts.slice(1) } : undefined;
}

/** Reads dnsmasq's options (its command line's, then its conf file's) as a DhcpServer. */
export function parseHandServer(options: Array<[string, string | undefined]>): HandServer {
  const s: HandServer = {
    interfaces: [],
    fields: { staticHosts: [], extraOptions: [] },
    leaseFile: DEFAULT_LEASE_FILE,
    unsupported: [],
  };
  const shown = (n: string, v: string | undefined) => (v === undefined ? `--${n}` : `--${n}=${v}`);
  for (const [name, value] of options) {
    if (name === "interface" && value) s.interfaces.push(...value.split(","));
    else if (name === "dhcp-leasefile" && value) s.leaseFile = value;
    else if (name === "conf-file" && value) s.confFile = value;
    else if (name === "dhcp-range" && value && isIpv4(value.split(",")[0]) && !s.fields.rangeStart) {
      const [start, end, ...rest] = value.split(",");
      const mask = rest.find(isIpv4);
      const lease = rest.find((r) => !isIpv4(r));
      Object.assign(s.fields, { rangeStart: start, rangeEnd: end }, lease && { leaseTime: lease });
      const prefix = mask ? netmaskToPrefix(mask) : undefined;
      if (prefix !== undefined) {
        s.prefix = prefix;
        s.fields.subnet = networkOf(start, prefix);
      }
      if (!isIpv4(end)) s.unsupported.push(shown(name, value));
    } else if (name === "dhcp-option" && value && dhcpOption(value)) {
      const { code, values } = dhcpOption(value)!;
      if (code === "3") s.fields.gateway = values[0];
      else if (code === "6") s.fields.dnsServers = values;
      else if (code === "15") s.fields.domain = values[0];
      else s.fields.extraOptions!.push({ name: "dhcp-option", value });
    } else if (name === "dhcp-host" && value && value.split(",").length <= 3 && isIpv4(value.split(",")[1])) {
      const [mac, ip, hostname] = value.split(",");
      s.fields.staticHosts!.push({ mac, ip, ...(hostname && { hostname }) });
    } else if ((EXTRA_OPTIONS as readonly string[]).includes(name))
      s.fields.extraOptions!.push({
        name: name as (typeof EXTRA_OPTIONS)[number],
        ...(value !== undefined && { value }),
      });
    else if (!IGNORED.has(name)) s.unsupported.push(shown(name, value));
  }
  return s;
}

/** A dnsmasq started by hand: its command line's options, then those of the conf file it names (`conf`, once read). */
export const handServer = (argv: readonly string[], conf?: string): HandServer =>
  parseHandServer([...dnsmasqOptions(argv), ...(conf ? confOptions(conf) : [])]);

/**
 * The lines of a dnsmasq lease file ("expiry mac ip name client-id") for addresses this server hands out (its range
 * and its fixed leases): a lease file shared by several servers started by hand carries only theirs over.
 */
export function leasesFor(text: string, s: Pick<ServerInputs, "rangeStart" | "rangeEnd" | "staticHosts">): string {
  const fixed = new Set(s.staticHosts.map((h) => h.ip));
  const lines = text.split("\n").filter((l) => {
    const ip = l.split(" ")[2];
    return isIpv4(ip) && (inRange(ip, s.rangeStart, s.rangeEnd) || fixed.has(ip));
  });
  return lines.length ? lines.join("\n") + "\n" : "";
}
