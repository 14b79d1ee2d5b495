// Route fields: the inputs, each with its doc and what a change to it means, and their cross-field rules.
import { isIP } from "node:net";
import { z } from "zod";
import { replaces, updates } from "../dynamic/fields";
import { withRules } from "../dynamic/rules";
import { ifName, ipAddress, nsName } from "../validation";
import { isIpv4Network, parseCidr } from "../addresses";

/** A destination network with no host bits set (ip refuses 10.0.0.1/24 as a route). */
const isNetwork = (s: string) => parseCidr(s)?.family === 6 || isIpv4Network(s);

export const routeFields = {
  /** The namespace whose routing table gets the route. Defaults to the host namespace. */
  namespace: replaces(nsName().optional()),
  /** The destination network, or "default". */
  destination: replaces(
    z
      .string()
      .refine(
        (s) => s === "default" || isNetwork(s),
        'must be "default" or a network such as 10.1.0.0/16 or fd00:1::/64 (no host bits set)',
      ),
  ),
  /** The gateway address. */
  via: updates(ipAddress().optional()),
  /** The outgoing interface. */
  device: updates(ifName().optional()),
  /** The route metric (priority); lower wins. */
  metric: replaces(z.number().int().min(0).max(4294967295).optional()),
  /** Use the IPv6 table. Needed only for a "default" route without an IPv6 `via`; otherwise inferred. */
  ipv6: replaces(z.boolean().optional()),
};

/** Route computes nothing beyond its inputs. */
export const routeOutputs = {};

export const routeSchema = withRules(z.object(routeFields), [
  {
    reads: ["via", "device"],
    check(r, fail) {
      if (!r.via && !r.device) fail(["via"], "via or device is required");
    },
  },
  {
    reads: ["destination", "via"],
    check(r, fail) {
      const destFamily = r.destination === "default" ? undefined : parseCidr(r.destination)?.family;
      const viaFamily = r.via ? isIP(r.via) : undefined;
      if (destFamily && viaFamily && destFamily !== viaFamily)
        fail(["via"], `must be an IPv${destFamily} address like the destination`);
    },
  },
]);

export type RouteInputs = z.output<typeof routeSchema>;

export function routeFamily(r: RouteInputs): 4 | 6 {
  if (r.ipv6) return 6;
  if (r.destination !== "default") return parseCidr(r.destination)?.family ?? 4;
  return r.via && isIP(r.via) === 6 ? 6 : 4;
}
