// Nat fields: a namespace's source NAT rules and floating IPs, as Neutron's routers pair them; no free-form rule text.
import { z } from "zod";
import { replaces, updates } from "../dynamic/fields";
import { withRules } from "../dynamic/rules";
import { ifName, ipv4, nsName } from "../validation";
import { isIpv4Network } from "../addresses";

/** One source NAT rule. */
export const snatFields = {
  /** The source network translated, e.g. 10.0.0.0/24 (no host bits set). */
  source: z.string().refine(isIpv4Network, "must be an IPv4 network such as 10.0.0.0/24 (no host bits set)"),
  /** Only packets leaving through this interface (e.g. the router's gateway port). Unset: any interface. */
  outInterface: ifName().optional(),
  /** The address to translate to. Unset: masquerade (the outgoing interface's own address). */
  to: ipv4().optional(),
};
// Typed by name, so declaration files keep the fields' doc comments where the Nat's fields use them.
const snat: z.ZodObject<typeof snatFields, z.core.$strict> = z.object(snatFields).strict();

/** One floating IP: traffic to the floating address goes to the fixed one, and the fixed one leaves as the floating. */
export const floatingIpFields = {
  /** The public (floating) address, e.g. on the router's gateway port. */
  floatingIp: ipv4(),
  /** The instance's own (fixed) address behind the router. */
  fixedIp: ipv4(),
  /**
   * Only packets leaving through this interface (the gateway port) take the floating address, so traffic between
   * the router's inside networks keeps its own addresses. Unset: any interface.
   */
  outInterface: ifName().optional(),
};
const floatingIp: z.ZodObject<typeof floatingIpFields, z.core.$strict> = z.object(floatingIpFields).strict();

export const natFields = {
  /** The namespace whose NAT this is (e.g. a qrouter- namespace). Its table is the library's own: pulumi_netns. */
  namespace: replaces(nsName()),
  /** Source NAT rules, in order; a packet takes the first that matches. */
  snat: updates(z.array(snat).max(1000).default([])),
  /** Floating IPs: DNAT of the floating address to the fixed one, SNAT of the fixed one back (before `snat`). */
  floatingIps: updates(z.array(floatingIp).max(1000).default([])),
};

/** Nat computes nothing beyond its inputs. */
export const natOutputs = {};

export const natSchema = withRules(z.object(natFields), [
  {
    reads: ["floatingIps"],
    check(n, fail) {
      n.floatingIps.forEach((f, i) => {
        if (n.floatingIps.findIndex((o) => o.floatingIp === f.floatingIp) !== i)
          fail(["floatingIps", i, "floatingIp"], "is listed twice");
        if (n.floatingIps.findIndex((o) => o.fixedIp === f.fixedIp) !== i)
          fail(["floatingIps", i, "fixedIp"], "already has a floating IP (its replies could leave as only one)");
      });
    },
  },
]);

export type NatInputs = z.output<typeof natSchema>;
export type Snat = NatInputs["snat"][number];
export type FloatingIp = NatInputs["floatingIps"][number];
