// The Route Pulumi resource: a route in a namespace's (or the host's) main table.
import * as pulumi from "@pulumi/pulumi";
import { NetnsResource, WithConnection } from "../dynamic/resource";

export interface RouteArgs extends WithConnection {
  /** The namespace whose routing table gets the route. Defaults to the host namespace. */
  namespace?: pulumi.Input<string>;
  /** The destination network (e.g. 10.1.0.0/16, fd00:1::/64) or "default". Changing it replaces the route. */
  destination: pulumi.Input<string>;
  /** The gateway address. Updates in place. */
  via?: pulumi.Input<string>;
  /** The outgoing interface. Updates in place. */
  device?: pulumi.Input<string>;
  /** The route metric; lower wins. Changing it replaces the route. */
  metric?: pulumi.Input<number>;
  /** Use the IPv6 table; needed only for a "default" route without an IPv6 `via`. */
  ipv6?: pulumi.Input<boolean>;
}

/** A route (`ip route add`). Gateway and device change in place with `ip route replace`. */
export class Route extends NetnsResource {
  declare readonly namespace: pulumi.Output<string | undefined>;
  declare readonly destination: pulumi.Output<string>;
  declare readonly via: pulumi.Output<string | undefined>;
  declare readonly device: pulumi.Output<string | undefined>;
  declare readonly metric: pulumi.Output<number | undefined>;

  constructor(name: string, args: RouteArgs, opts?: pulumi.CustomResourceOptions) {
    super("Route", name, args, [], opts);
  }
}
