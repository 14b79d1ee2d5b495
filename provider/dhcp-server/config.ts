// The dnsmasq configuration a DhcpServer runs with: rendered from inputs, and parsed back to report drift.
import { runFileBase } from "../rundir";
import { netmaskToPrefix, networkOf, parseCidr, prefixToNetmask } from "../addresses";
import { ServerInputs } from "./schema";

export interface ServerPaths {
  configPath: string;
  pidFile: string;
  leaseFile: string;
}

export function serverPaths(s: Pick<ServerInputs, "namespace" | "device">): ServerPaths {
  const base = runFileBase("dnsmasq", s.namespace, s.device);
  return { configPath: `${base}.conf`, pidFile: `${base}.pid`, leaseFile: `${base}.leases` };
}

const HEADER = "# Written by pulumi-netns. Edits are reported as drift and undone by the next update.";

/** Only DHCP, only on this interface, nothing from the host's dnsmasq, hosts or resolv.conf. */
export function renderConfig(s: ServerInputs): string {
  const p = serverPaths(s);
  const netmask = prefixToNetmask(parseCidr(s.subnet)!.prefix);
  const lines = [
    HEADER,
    "port=0",
    `interface=${s.device}`,
    "bind-interfaces",
    "except-interface=lo",
    "no-resolv",
    "no-hosts",
    "no-poll",
    "dhcp-authoritative",
    `pid-file=${p.pidFile}`,
    `dhcp-leasefile=${p.leaseFile}`,
    `dhcp-range=${s.rangeStart},${s.rangeEnd},${netmask},${s.leaseTime}`,
    // Without a gateway, send an empty router option: dnsmasq would otherwise offer itself.
    `dhcp-option=option:router${s.gateway ? `,${s.gateway}` : ""}`,
    ...(s.dnsServers?.length ? [`dhcp-option=option:dns-server,${s.dnsServers.join(",")}`] : []),
    ...(s.domain ? [`dhcp-option=option:domain-name,${s.domain}`] : []),
    ...s.staticHosts.map((h) => `dhcp-host=${h.mac},${h.ip}${h.hostname ? `,${h.hostname}` : ""}`),
    ...s.extraOptions.map((o) => (o.value === undefined ? o.name : `${o.name}=${o.value}`)),
  ];
  return lines.join("\n") + "\n";
}

/** The inputs a config file on disk says, for the fields renderConfig writes. */
export function parseConfig(text: string): Partial<ServerInputs> {
  const out: Partial<ServerInputs> = { staticHosts: [], extraOptions: [] };
  const fixed = new Set([
    "port",
    "interface",
    "bind-interfaces",
    "except-interface",
    "no-resolv",
    "no-hosts",
    "no-poll",
    "dhcp-authoritative",
    "pid-file",
    "dhcp-leasefile",
  ]);
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    const [name, value] = eq < 0 ? [line, undefined] : [line.slice(0, eq), line.slice(eq + 1)];
    if (fixed.has(name)) continue;
    if (name === "dhcp-range" && value) {
      const [start, end, mask, lease] = value.split(",");
      const prefix = netmaskToPrefix(mask);
      Object.assign(out, { rangeStart: start, rangeEnd: end, leaseTime: lease });
      if (prefix !== undefined) out.subnet = networkOf(start, prefix);
    } else if (name === "dhcp-option" && value?.startsWith("option:router")) {
      out.gateway = value.split(",")[1];
    } else if (name === "dhcp-option" && value?.startsWith("option:dns-server,")) {
      out.dnsServers = value.split(",").slice(1);
    } else if (name === "dhcp-option" && value?.startsWith("option:domain-name,")) {
      out.domain = value.split(",")[1];
    } else if (name === "dhcp-host" && value) {
      const [m, ip, hostname] = value.split(",");
      out.staticHosts!.push({ mac: m, ip, ...(hostname ? { hostname } : {}) });
    } else {
      out.extraOptions!.push({
        name: name as ServerInputs["extraOptions"][number]["name"],
        ...(value !== undefined ? { value } : {}),
      });
    }
  }
  return out;
}
