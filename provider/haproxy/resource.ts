// The Haproxy Pulumi resource: HAProxy load-balancing a VIP's listeners over a pool of members, inside a namespace.
import * as pulumi from "@pulumi/pulumi";
import { ArgsOf, OutputsOf } from "../dynamic/fields";
import { NetnsResource } from "../dynamic/resource";
import { WithConnection } from "../host/placement";
import { haproxyFields, haproxyOutputs, healthCheckFields, listenerFields, memberFields } from "./schema";

export interface HaproxyArgs extends ArgsOf<typeof haproxyFields>, WithConnection {}
/** One listener. */
export type HaproxyListener = ArgsOf<typeof listenerFields>;
/** One pool member. */
export type HaproxyMember = ArgsOf<typeof memberFields>;
/** Health check settings. */
export type HaproxyHealthCheck = ArgsOf<typeof healthCheckFields>;

// The outputs are declared by the fields (docs/ARCHITECTURE.md, "Fields"); Pulumi sets them at run time.
export interface Haproxy extends OutputsOf<typeof haproxyFields, typeof haproxyOutputs> {}

/**
 * HAProxy (Debian's haproxy) in a namespace, with its generated config, pid file and socket under
 * /run/pulumi-netns/haproxy/; the host's HAProxy and /etc/haproxy are never touched. Refresh reports a dead
 * process (gone) or a config changed by hand (the fields it changed); every change reloads in place, the new
 * process taking over the listening sockets while the old one finishes its connections.
 */
export class Haproxy extends NetnsResource {
  constructor(name: string, args: HaproxyArgs, opts?: pulumi.CustomResourceOptions) {
    super("Haproxy", haproxyFields, haproxyOutputs, name, args, opts);
  }
}
