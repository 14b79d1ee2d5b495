// VethPair commands (pure: inputs to argv, stdout to state).
import { randomBytes } from "node:crypto";
import { ip } from "../shell/netns";
import { quote } from "../shell/quote";
import { VethInputs } from "./schema";

/** One end of a pair: its namespace (undefined for the host's), name and MAC address. */
export interface End {
  namespace?: string;
  name: string;
  mac?: string;
}

/**
 * The pair's ends. `near` carries the owner's mark, and the delete reads and deletes the pair through it: the end in
 * the host's namespace when the pair has one, where `ip` needs no nsenter (docs/ARCHITECTURE.md); the other end
 * (`peerName`) when both or neither are there. `far` needs nothing after the `ip link add` that sets it up.
 */
export function sides(
  v: Pick<VethInputs, "name" | "peerName" | "namespace" | "peerNamespace" | "macAddress" | "peerMacAddress">,
): { near: End; far: End } {
  const first = { namespace: v.namespace, name: v.name, mac: v.macAddress };
  const other = { namespace: v.peerNamespace, name: v.peerName, mac: v.peerMacAddress };
  return nearIsPeer(v) ? { near: other, far: first } : { near: first, far: other };
}

/** True when the near end (see `sides`) is the one named `peerName`: unless only the first end is on the host. */
export const nearIsPeer = (v: Pick<VethInputs, "namespace" | "peerNamespace">) => !(v.peerNamespace && !v.namespace);

/**
 * One `ip link add` that creates both ends directly in their namespaces, so no name passes through the host, and
 * sets the far end up when `up` says so: the kernel configures the end given after `peer` before the two are joined
 * and refuses to set that one up, so the far end comes first.
 */
export function add(far: End, near: End, mtu: number | undefined, up: boolean): string[] {
  const end = (e: End, upNow: boolean) => [
    "name",
    e.name,
    ...(e.mac ? ["address", e.mac] : []),
    ...(mtu ? ["mtu", String(mtu)] : []),
    ...(upNow ? ["up"] : []),
    ...(e.namespace ? ["netns", e.namespace] : []),
  ];
  return ["ip", "link", "add", ...end(far, up), "type", "veth", "peer", ...end(near, false)];
}

/**
 * A random locally administered unicast MAC, as the kernel would pick for an end given none: chosen here, the create
 * knows both ends' MACs without reading them back (two `ip` processes fewer per pair).
 */
export function randomMac(): string {
  const b = randomBytes(6);
  b[0] = (b[0] & 0xfe) | 0x02;
  return [...b].map((x) => x.toString(16).padStart(2, "0")).join(":");
}

export const del = (ns: string | undefined, name: string) => ip(ns, "link", "del", "dev", name);
/** One `ip link set` for an end after creation: the owner's mark as the link alias, and up. */
export const finish = (ns: string | undefined, name: string, mark: string | undefined, up: boolean) =>
  ip(ns, "link", "set", "dev", name, ...(mark ? ["alias", mark] : []), ...(up ? ["up"] : []));
export const setAlias = (ns: string | undefined, name: string, mark: string) =>
  ip(ns, "link", "set", "dev", name, "alias", mark);
export { setLinkUp as setUp, setLinkMtu as setMtu } from "../shell/netns";
export const setMac = (ns: string | undefined, name: string, mac: string) =>
  ip(ns, "link", "set", "dev", name, "address", mac);

/**
 * Prints the namespaces holding a link of this name, one per line: "/" (no namespace's name) for the host's. Read when
 * adopting a pair whose end is not where the program says, to name where it is.
 */
export const whereIsScript = (name: string) =>
  `ip link show dev ${quote(name)} >/dev/null 2>&1 && echo /; ` +
  `for n in $(ip netns list | cut -d' ' -f1); do ip -n "$n" link show dev ${quote(name)} >/dev/null 2>&1 && echo "$n"; done; true`;

/** The first namespace whereIsScript printed ("" for the host's), or undefined when no namespace holds the link. */
export function parseWhereIs(out: string): string | undefined {
  const first = out.trim().split("\n")[0];
  return first === "/" ? "" : first || undefined;
}

/** True for a link alias that is an owner's mark (a URN, or the hash of a long one), not one a person set. */
export const isMark = (alias: string | undefined) => !!alias && /^(urn:pulumi:|sha256:)/.test(alias);
