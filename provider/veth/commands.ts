// VethPair commands (pure: inputs to argv, stdout to state).
import { randomBytes } from "node:crypto";
import { ip } from "../shell/netns";
import { VethInputs } from "./schema";

/** One `ip link add` that creates both ends directly in their namespaces, so no name passes through the host. */
export function add(v: VethInputs): string[] {
  const end = (mac?: string, ns?: string) => [
    ...(mac ? ["address", mac] : []),
    ...(v.mtu ? ["mtu", String(v.mtu)] : []),
    ...(ns ? ["netns", ns] : []),
  ];
  return [
    "ip",
    "link",
    "add",
    "name",
    v.name,
    ...end(v.macAddress, v.namespace),
    "type",
    "veth",
    "peer",
    "name",
    v.peerName,
    ...end(v.peerMacAddress, v.peerNamespace),
  ];
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
