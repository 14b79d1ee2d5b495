// VethPair commands (pure: inputs to argv, stdout to state).
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

export const del = (ns: string | undefined, name: string) => ip(ns, "link", "del", "dev", name);
/** One `ip link set` for an end after creation: the owner's mark as the link alias, and up. */
export const finish = (ns: string | undefined, name: string, mark: string | undefined, up: boolean) =>
  ip(ns, "link", "set", "dev", name, ...(mark ? ["alias", mark] : []), ...(up ? ["up"] : []));
export const setAlias = (ns: string | undefined, name: string, mark: string) =>
  ip(ns, "link", "set", "dev", name, "alias", mark);
export { setLinkUp as setUp, setLinkMtu as setMtu } from "../shell/netns";
export const setMac = (ns: string | undefined, name: string, mac: string) =>
  ip(ns, "link", "set", "dev", name, "address", mac);
