// DhcpClient commands (pure): dhclient with its own files and an interface-only script, and lease parsing.
import { runFileBase } from "../rundir";
import { ip, inNetns } from "../shell/netns";
import { netmaskToPrefix } from "../addresses";
import { ClientInputs } from "./schema";

export interface ClientPaths {
  pidFile: string;
  leaseFile: string;
  script: string;
}

export function clientPaths(c: Pick<ClientInputs, "namespace" | "device">): ClientPaths {
  const base = runFileBase("dhclient", c.namespace, c.device);
  return { pidFile: `${base}.pid`, leaseFile: `${base}.leases`, script: `${base}.sh` };
}

/**
 * Replaces dhclient-script: it configures only the interface (address and default route) and never
 * writes a file, so the host's /etc/resolv.conf stays untouched (the stock script rewrites it even
 * inside a namespace).
 */
export const SCRIPT = `#!/bin/sh
# Written by pulumi-netns: configures only the interface; never touches /etc.
case "$reason" in
  PREINIT) ip link set dev "$interface" up ;;
  BOUND|RENEW|REBIND|REBOOT)
    if [ -n "$old_ip_address" ] && [ "$old_ip_address" != "$new_ip_address" ]; then
      ip -4 addr del "$old_ip_address/$old_subnet_mask" dev "$interface" 2>/dev/null
    fi
    ip -4 addr replace "$new_ip_address/$new_subnet_mask" dev "$interface" valid_lft "\${new_dhcp_lease_time:-forever}" preferred_lft "\${new_dhcp_lease_time:-forever}"
    if [ -n "$new_routers" ]; then
      set -- $new_routers
      ip -4 route replace default via "$1" dev "$interface"
    fi ;;
  EXPIRE|FAIL|RELEASE|STOP)
    if [ -n "$old_ip_address" ]; then
      ip -4 addr del "$old_ip_address/$old_subnet_mask" dev "$interface" 2>/dev/null
    fi ;;
esac
exit 0
`;

/** dhclient for this interface, with this client's own pid, lease and script files. */
function dhclient(c: ClientInputs, flag: "-nw" | "-r"): string[] {
  const p = clientPaths(c);
  return inNetns(c.namespace, [
    "dhclient",
    "-4",
    flag,
    "-pf",
    p.pidFile,
    "-lf",
    p.leaseFile,
    "-sf",
    p.script,
    c.device,
  ]);
}

/** Starts dhclient in the background (-nw); create then waits for the lease itself. */
export const start = (c: ClientInputs) => dhclient(c, "-nw");

/** Sends DHCPRELEASE, removes the address (through the script) and stops the running client. */
export const release = (c: ClientInputs) => dhclient(c, "-r");

export interface Lease {
  address: string;
  gateway?: string;
  dnsServers?: string[];
}

/** The newest lease in a dhclient lease file. */
export function parseLease(text: string): Lease | undefined {
  const blocks = text.split(/^lease \{$/m).slice(1);
  const last = blocks[blocks.length - 1];
  if (!last) return undefined;
  const field = (re: RegExp) => re.exec(last)?.[1];
  const ip = field(/^\s*fixed-address ([\d.]+);/m);
  const mask = field(/^\s*option subnet-mask ([\d.]+);/m);
  if (!ip || !mask) return undefined;
  const routers = field(/^\s*option routers ([^;]+);/m);
  const dns = field(/^\s*option domain-name-servers ([^;]+);/m);
  return {
    address: `${ip}/${netmaskToPrefix(mask)}`,
    ...(routers ? { gateway: routers.split(",")[0].trim() } : {}),
    ...(dns ? { dnsServers: dns.split(",").map((s) => s.trim()) } : {}),
  };
}

/** The interface's flags and packet counters, read when no lease came: what the timeout error reports. */
export const linkStats = (c: Pick<ClientInputs, "namespace" | "device">) =>
  ip(c.namespace, "-s", "-j", "link", "show", "dev", c.device);

/** The one link `linkStats` shows; undefined for anything else (the link gone, or output that is no JSON). */
export function parseLinkStats(stdout: string): WaitSeen["link"] {
  try {
    return (JSON.parse(stdout) as Array<WaitSeen["link"]>)[0];
  } catch {
    return undefined;
  }
}

/** What the client saw while it waited, as far as the host can tell afterwards. */
export interface WaitSeen {
  /** dhclient's pid while it still runs; undefined once it has exited. */
  pid?: number;
  /** `ip -s -j link show` of the interface; undefined when it could not be read. */
  link?: { flags?: string[]; stats64?: { rx?: { packets?: number }; tx?: { packets?: number } } };
}

/**
 * Why no lease came, in the words a user debugging a segment needs: whether the client still asks, whether the link
 * can carry anything, and the link's packet counters (nothing received at all points at the bridge or its VLAN; the
 * counters count every packet, IPv6 neighbour discovery too, so packets received prove no DHCP answer).
 */
export function describeNoLease(c: ClientInputs, seen: WaitSeen): string {
  const parts = [seen.pid === undefined ? "dhclient has exited" : `dhclient (pid ${seen.pid}) is still asking`];
  const flags = seen.link?.flags;
  if (!flags) parts.push(`"${c.device}" could not be read`);
  else if (!flags.includes("UP")) parts.push(`"${c.device}" is down`);
  else if (!flags.includes("LOWER_UP")) parts.push(`"${c.device}" has no carrier (its veth peer is down or gone)`);
  const s = seen.link?.stats64;
  if (s) parts.push(`${s.tx?.packets ?? 0} packets sent, ${s.rx?.packets ?? 0} received on it, of any kind`);
  return (
    `no DHCP lease for "${c.device}" in namespace "${c.namespace}" within ${c.timeout} s (${parts.join("; ")}): ` +
    "is a DHCP server reachable on its segment (and VLAN)?"
  );
}
