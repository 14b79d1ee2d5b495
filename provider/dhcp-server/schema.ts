// DhcpServer inputs, with the cross-field rules (range inside the subnet, start before end).
import { z } from "zod";
import { withRules } from "../dynamic/rules";
import { inSubnet, ipv4, ipv4ToInt, isIpv4Network, ifName, mac, nsName } from "../validation";

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

const serverFields = z.object({
  namespace: nsName().describe("The namespace dnsmasq runs in (e.g. dhcp-r)."),
  interface: ifName().describe(
    "The interface to serve (e.g. the internal port tap-r). It must hold an address in `subnet`.",
  ),
  subnet: z
    .string()
    .refine(isIpv4Network, "must be an IPv4 network such as 10.50.50.0/24 (no host bits set)")
    .describe("The IPv4 subnet served, e.g. 10.50.50.0/24; it gives the netmask handed out."),
  rangeStart: ipv4().describe("The first address handed out."),
  rangeEnd: ipv4().describe("The last address handed out."),
  leaseTime: z
    .string()
    .regex(/^(infinite|\d+[smhdw]?)$/, 'must be seconds or a number with s/m/h/d/w (e.g. "12h"), or "infinite"')
    .refine((s) => s === "infinite" || seconds(s) >= 120, "must be at least 2 minutes (dnsmasq's minimum)")
    .default("1h")
    .describe('How long leases last, e.g. "12h" or "infinite". Defaults to "1h".'),
  gateway: ipv4().optional().describe("The router option handed out. Unset: no router is offered."),
  dnsServers: z.array(ipv4()).optional().describe("The DNS servers handed out."),
  domain: z
    .string()
    .regex(
      /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/,
      "must be a DNS domain name like lab.example",
    )
    .optional()
    .describe("The domain name handed out."),
  staticHosts: z
    .array(
      z.object({
        mac: mac().describe("The client's MAC address."),
        ip: ipv4().describe("The address it always gets."),
        hostname: z
          .string()
          .regex(/^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/, "must be a host name (letters, digits, '-')")
          .optional()
          .describe("The host name it gets."),
      }),
    )
    .default([])
    .describe("Fixed leases: MAC address to IP address (and host name)."),
  extraOptions: z
    .array(
      z.object({
        name: z
          .enum(EXTRA_OPTIONS, { message: `must be one of the allowed dnsmasq options: ${EXTRA_OPTIONS.join(", ")}` })
          .describe("A dnsmasq option name."),
        value: oneLine.optional().describe("Its value (omit for flags such as log-dhcp)."),
      }),
    )
    .default([])
    .describe("More dnsmasq options, from an allow-list of DHCP options."),
});
export const serverSchema = withRules(serverFields, [
  {
    reads: ["subnet", "rangeStart", "rangeEnd", "gateway"],
    check(s, fail) {
      for (const key of ["rangeStart", "rangeEnd", "gateway"] as const) {
        const v = s[key];
        if (v && !inSubnet(v, s.subnet)) fail([key], `must lie inside subnet ${s.subnet}`);
      }
      if ((ipv4ToInt(s.rangeStart) ?? 0) > (ipv4ToInt(s.rangeEnd) ?? 0))
        fail(["rangeStart"], "must not come after rangeEnd");
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
