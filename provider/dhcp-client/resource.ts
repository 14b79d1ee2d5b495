// The DhcpClient Pulumi resource: dhclient on one interface in a namespace, never touching the host's files.
import * as pulumi from "@pulumi/pulumi";
import { ArgsOf, FormerInterfaceArg, FormerInterfaceOutput, OutputsOf, RenamedArgs } from "../dynamic/fields";
import { NetnsResource } from "../dynamic/resource";
import { WithConnection } from "../host/placement";
import { clientFields, clientOutputs } from "./schema";

/** The args: `device` may still be given as `interface`, its old name. */
export type DhcpClientArgs = RenamedArgs<ArgsOf<typeof clientFields>, "device", FormerInterfaceArg> & WithConnection;

// The outputs are declared by the fields (docs/ARCHITECTURE.md, "Fields"); Pulumi sets them at run time.
export interface DhcpClient extends OutputsOf<typeof clientFields, typeof clientOutputs>, FormerInterfaceOutput {}

/**
 * dhclient with its own pid and lease files under /run/pulumi-netns/dhclient/ and its own script that
 * only sets the interface's address and default route: the host's /etc/resolv.conf is never rewritten.
 * Create returns once a lease is bound; update asks again; delete releases the lease.
 */
export class DhcpClient extends NetnsResource {
  constructor(name: string, args: DhcpClientArgs, opts?: pulumi.CustomResourceOptions) {
    super("DhcpClient", clientFields, clientOutputs, name, args, opts);
  }
}
