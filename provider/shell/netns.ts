// The one way into a network namespace: every command that runs inside one is built here.
import { quoteArgv } from "./quote";

/** Where `ip netns add` mounts named namespaces: one file per namespace. */
export const NETNS_DIR = "/run/netns";

/**
 * A program that needs only the namespace's network (netlink, and ioctls such as ethtool's): nsenter joins that
 * namespace alone. `ip -n` and `ip netns exec` also make a mount namespace and mount /sys again, a cost that grows
 * with the host's mounts, one per named namespace: twice nsenter's at a thousand namespaces (docs/ARCHITECTURE.md).
 */
export function inNetOnly(namespace: string | undefined, argv: readonly string[]): string[] {
  return namespace ? ["nsenter", `--net=${NETNS_DIR}/${namespace}`, ...argv] : [...argv];
}

/** `ip` inside a namespace (the host namespace when undefined). */
export function ip(namespace: string | undefined, ...args: string[]): string[] {
  return inNetOnly(namespace, ["ip", ...args]);
}

/** A link's up/down flag, shared by every resource that owns a link (VethPair, an internal OvsPort). */
export const setLinkUp = (namespace: string | undefined, name: string, up: boolean) =>
  ip(namespace, "link", "set", "dev", name, up ? "up" : "down");
/** A link's MTU, shared like setLinkUp. */
export const setLinkMtu = (namespace: string | undefined, name: string, mtu: number) =>
  ip(namespace, "link", "set", "dev", name, "mtu", String(mtu));

/**
 * Any other program run inside `namespace` (the host namespace when undefined), seeing the namespace's /sys and its
 * /etc/netns/<name> files as `ip netns exec` arranges them (daemons, DHCP clients).
 */
export function inNetns(namespace: string | undefined, argv: readonly string[]): string[] {
  return namespace ? ["ip", "netns", "exec", namespace, ...argv] : [...argv];
}

/** `ip` in a namespace named by a shell variable, for scripts that loop over NETNS_DIR (as inNetOnly enters it). */
export function ipInVar(variable: string, ...args: string[]): string {
  return `nsenter --net="${NETNS_DIR}/$${variable}" ip ${quoteArgv(args)}`;
}
