// The one way into a network namespace: every command that runs inside one is built here.
import { quoteArgv } from "./quote";

/** `ip` with its own namespace switch (`ip -n NS ...`), which avoids an extra exec. */
export function ip(namespace: string | undefined, ...args: string[]): string[] {
  return namespace ? ["ip", "-n", namespace, ...args] : ["ip", ...args];
}

/** A link's up/down flag, shared by every resource that owns a link (VethPair, an internal OvsPort). */
export const setLinkUp = (namespace: string | undefined, name: string, up: boolean) =>
  ip(namespace, "link", "set", "dev", name, up ? "up" : "down");
/** A link's MTU, shared like setLinkUp. */
export const setLinkMtu = (namespace: string | undefined, name: string, mtu: number) =>
  ip(namespace, "link", "set", "dev", name, "mtu", String(mtu));

/** Any other program run inside `namespace` (the host namespace when undefined). */
export function inNetns(namespace: string | undefined, argv: readonly string[]): string[] {
  return namespace ? ["ip", "netns", "exec", namespace, ...argv] : [...argv];
}

/** Where `ip netns add` mounts named namespaces: one file per namespace. */
export const NETNS_DIR = "/run/netns";

/** `ip -n` for a namespace named by a shell variable, for scripts that loop over NETNS_DIR. */
export function ipInVar(variable: string, ...args: string[]): string {
  return `ip -n "$${variable}" ${quoteArgv(args)}`;
}
