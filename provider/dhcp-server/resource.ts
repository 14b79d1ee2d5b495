// The DhcpServer Pulumi resource: dnsmasq serving DHCP on one interface inside a namespace.
import * as pulumi from "@pulumi/pulumi";
import { ArgsOf, FormerInterfaceArg, FormerInterfaceOutput, OutputsOf, RenamedArgs } from "../dynamic/fields";
import { NetnsResource } from "../dynamic/resource";
import { WithConnection } from "../host/placement";
import { extraOptionFields, serverFields, serverOutputs, staticHostFields } from "./schema";

/** The args: `device` may still be given as `interface`, its old name. */
export type DhcpServerArgs = RenamedArgs<ArgsOf<typeof serverFields>, "device", FormerInterfaceArg> & WithConnection;

/** A fixed lease. */
export type StaticHost = ArgsOf<typeof staticHostFields>;
/** One more dnsmasq option. */
export type ExtraOption = ArgsOf<typeof extraOptionFields>;

// The outputs are declared by the fields (docs/ARCHITECTURE.md, "Fields"); Pulumi sets them at run time.
export interface DhcpServer extends OutputsOf<typeof serverFields, typeof serverOutputs>, FormerInterfaceOutput {}

/**
 * dnsmasq, DHCP only, bound to one interface in one namespace, with its config, pid and lease files under
 * /run/pulumi-netns/dnsmasq/. Every setting but the namespace and interface changes in place (restart,
 * leases kept).
 */
export class DhcpServer extends NetnsResource {
  constructor(name: string, args: DhcpServerArgs, opts?: pulumi.CustomResourceOptions) {
    super("DhcpServer", serverFields, serverOutputs, name, args, opts);
  }
}
