// The Nat Pulumi resource: a namespace's source NAT and floating IPs, as one nftables table the library owns.
import * as pulumi from "@pulumi/pulumi";
import { ArgsOf, OutputsOf } from "../dynamic/fields";
import { NetnsResource } from "../dynamic/resource";
import { WithConnection } from "../host/placement";
import { floatingIpFields, natFields, natOutputs, snatFields } from "./schema";

export interface NatArgs extends ArgsOf<typeof natFields>, WithConnection {}
/** One source NAT rule. */
export type SnatRule = ArgsOf<typeof snatFields>;
/** One floating IP. */
export type FloatingIp = ArgsOf<typeof floatingIpFields>;

// The outputs are declared by the fields (docs/ARCHITECTURE.md, "Fields"); Pulumi sets them at run time.
export interface Nat extends OutputsOf<typeof natFields, typeof natOutputs> {}

/**
 * The NAT of one namespace (IPv4): table ip pulumi_netns, written whole in one `nft -f` transaction, so a change
 * never leaves half a ruleset. Refresh reads it back with `nft -j`: a rule or the table deleted by hand is drift,
 * and the next up writes it again. Delete removes the table.
 */
export class Nat extends NetnsResource {
  constructor(name: string, args: NatArgs, opts?: pulumi.CustomResourceOptions) {
    super("Nat", natFields, natOutputs, name, args, opts);
  }
}
