// The Route Pulumi resource: a route in a namespace's (or the host's) main table.
import * as pulumi from "@pulumi/pulumi";
import { ArgsOf, OutputsOf } from "../dynamic/fields";
import { NetnsResource } from "../dynamic/resource";
import { WithConnection } from "../host/placement";
import { routeFields, routeOutputs } from "./schema";

export interface RouteArgs extends ArgsOf<typeof routeFields>, WithConnection {}

// The outputs are declared by the fields (docs/ARCHITECTURE.md, "Fields"); Pulumi sets them at run time.
export interface Route extends OutputsOf<typeof routeFields, typeof routeOutputs> {}

/** A route (`ip route add`). Gateway and device change in place with `ip route replace`. */
export class Route extends NetnsResource {
  constructor(name: string, args: RouteArgs, opts?: pulumi.CustomResourceOptions) {
    super("Route", routeFields, routeOutputs, name, args, opts);
  }
}
