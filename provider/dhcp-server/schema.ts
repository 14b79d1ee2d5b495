// DhcpServer fields (each input with its doc and what a change to it means), outputs, and cross-field rules.
import { z } from "zod";
import { formerly, replaces, updates } from "../dynamic/fields";
import { withRules } from "../dynamic/rules";
import { ipv4, ifName, mac, nsName } from "../validation";
import { inSubnet, ipv4After, isIpv4Network } from "../addresses";

/** dnsmasq options a program may add. Anything that runs programs, reads other files or changes our paths is left out. */
export const EXTRA_OPTIONS = [
  "dhcp-option",
  "dhcp-option-force",
  "dhcp-boot",
  "dhcp-match",
  "dhcp-vendorclass",
  "dhcp-userclass",
  "dhcp-mac",
  "dhcp-circuitid",
  "dhcp-remoteid",
  "dhcp-subscrid",
  "dhcp-ignore",
  "dhcp-ignore-names",
  "dhcp-broadcast",
  "dhcp-generate-names",
  "dhcp-lease-max",
  "dhcp-rapid-commit",
  "dhcp-sequential-ip",
  "dhcp-no-override",
  "dhcp-reply-delay",
  "dhcp-name-match",
  "tag-if",
  "bootp-dynamic",
  "no-ping",
  "log-dhcp",
  "quiet-dhcp",
] as const;

const oneLine = z.string().regex(/^[^\n\r\0]*$/, "must be one line (no newline or NUL)");

/** A fixed lease. */
export const staticHostFields = {
  /** The client's MAC address. */
  mac: mac(),
  /** The address it always gets. */
  ip: ipv4(),
  /** The host name it gets. */
  hostname: z
    .string()
    .regex(/^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/, "must be a host name (letters, digits, '-')")
    .optional(),
};
// Typed by name, so declaration files keep the fields' doc comments where the server's fields use them.
const staticHost: z.ZodObject<typeof staticHostFields> = z.object(staticHostFields);

/** One more dnsmasq option. */
export const extraOptionFields = {
  /** A dnsmasq option from the allow-list (dhcp-option, dhcp-boot, dhcp-lease-max, log-dhcp, ...). */
  name: z.enum(EXTRA_OPTIONS, { message: `must be one of the allowed dnsmasq options: ${EXTRA_OPTIONS.join(", ")}` }),
  /** Its value; omit for flags such as log-dhcp. One line. */
  value: oneLine.optional(),
};
const extraOption: z.ZodObject<typeof extraOptionFields> = z.object(extraOptionFields);

export const serverFields = {
  /** The namespace dnsmasq runs in (e.g. dhcp-r). */
  namespace: replaces(nsName()),
  /**
   * The interface to serve (e.g. the internal port tap-r). It must hold an address in `subnet`. Its old name
   * `interface` is still accepted.
   */
  device: formerly("interface", replaces(ifName())),
  /** The IPv4 subnet served, e.g. 10.50.50.0/24; it gives the netmask handed out. */
  subnet: updates(z.string().refine(isIpv4Network, "must be an IPv4 network such as 10.50.50.0/24 (no host bits set)")),
  /** The first address handed out. */
  rangeStart: updates(ipv4()),
  /** The last address handed out. */
  rangeEnd: updates(ipv4()),
  /** How long leases last, e.g. "12h" or "infinite" (at least 2 minutes). Defaults to "1h". */
  leaseTime: updates(
    z
      .string()
      .regex(/^(infinite|\d+[smhdw]?)$/, 'must be seconds or a number with s/m/h/d/w (e.g. "12h"), or "infinite"')
      .refine((s) => s === "infinite" || seconds(s) >= 120, "must be at least 2 minutes (dnsmasq's minimum)")
      .default("1h"),
  ),
  /** The router option handed out. Unset: no router is offered. */
  gateway: updates(ipv4().optional()),
  /** The DNS servers handed out. */
  dnsServers: updates(z.array(ipv4()).optional()),
  /** The domain name handed out. */
  domain: updates(
    z
      .string()
      .regex(
        /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/,
        "must be a DNS domain name like lab.example",
      )
      .optional(),
  ),
  /** Fixed leases: MAC address to IP address (and host name). */
  staticHosts: updates(z.array(staticHost).default([])),
  /** More dnsmasq options, from an allow-list of DHCP options. */
  extraOptions: updates(z.array(extraOption).default([])),
};

export const serverOutputs = {
  /** The dnsmasq process id. */
  pid: z.number(),
  /** The generated dnsmasq configuration file. */
  configPath: z.string(),
  /** dnsmasq's lease file. */
  leaseFile: z.string(),
};

export const serverSchema = withRules(z.object(serverFields), [
  {
    reads: ["subnet", "rangeStart", "rangeEnd", "gateway"],
    check(s, fail) {
      for (const key of ["rangeStart", "rangeEnd", "gateway"] as const) {
        const v = s[key];
        if (v && !inSubnet(v, s.subnet)) fail([key], `must lie inside subnet ${s.subnet}`);
      }
      if (ipv4After(s.rangeStart, s.rangeEnd)) fail(["rangeStart"], "must not come after rangeEnd");
    },
  },
  {
    reads: ["subnet", "staticHosts"],
    check(s, fail) {
      s.staticHosts.forEach((h, i) => {
        if (!inSubnet(h.ip, s.subnet)) fail(["staticHosts", i, "ip"], `must lie inside subnet ${s.subnet}`);
        if (s.staticHosts.findIndex((o) => o.mac === h.mac) !== i) fail(["staticHosts", i, "mac"], "is listed twice");
      });
    },
  },
]);

export type ServerInputs = z.output<typeof serverSchema>;

export function seconds(lease: string): number {
  const unit = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 }[lease.slice(-1)];
  return unit ? Number(lease.slice(0, -1)) * unit : Number(lease);
}
