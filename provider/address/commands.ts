// Address commands (pure: inputs to argv, stdout to state).
import { BlockList } from "node:net";
import type { Link } from "../reads/links";
import { ip } from "../shell/netns";
import { parseCidr } from "../addresses";
import { AddressInputs } from "./schema";

export function add(a: AddressInputs): string[] {
  const v6 = parseCidr(a.cidr)?.family === 6;
  return ip(a.namespace, "addr", "add", a.cidr, "dev", a.device, ...(v6 && a.noDad ? ["nodad"] : []));
}

export const del = (a: AddressInputs) => ip(a.namespace, "addr", "del", a.cidr, "dev", a.device);

/** True when the link holds this address (compared as addresses, not as text). */
export function hasAddress(link: Link | undefined, wanted: string): boolean {
  const want = parseCidr(wanted);
  if (!link || !want) return false;
  const family = want.family === 4 ? "ipv4" : "ipv6";
  const same = new BlockList();
  same.addAddress(want.address, family);
  return (link.addr_info ?? []).some(
    (i) =>
      i.family === (want.family === 4 ? "inet" : "inet6") && i.prefixlen === want.prefix && same.check(i.local, family),
  );
}
