// The OvsPort Pulumi resource: a port on an Open vSwitch bridge, with VLAN settings and an optional namespace.
import * as pulumi from "@pulumi/pulumi";
import { ArgsOf, OutputsOf } from "../dynamic/fields";
import { NetnsResource } from "../dynamic/resource";
import { WithConnection } from "../host/placement";
import { portFields, portOutputs } from "./schema";

export interface OvsPortArgs extends ArgsOf<typeof portFields>, WithConnection {}

// The outputs are declared by the fields (docs/ARCHITECTURE.md, "Fields"); Pulumi sets them at run time.
export interface OvsPort extends OutputsOf<typeof portFields, typeof portOutputs> {}

/**
 * A port on an OVS bridge. Read and delete only ever touch a port that carries this library's mark. A system port's
 * create checks that its device is there and returns once Open vSwitch has recorded the port, not after the switch has
 * opened it: it forwards a moment later (docs/ARCHITECTURE.md, "Host commands and what they cost").
 */
export class OvsPort extends NetnsResource {
  constructor(name: string, args: OvsPortArgs, opts?: pulumi.CustomResourceOptions) {
    super("OvsPort", portFields, portOutputs, name, args, opts);
  }
}
