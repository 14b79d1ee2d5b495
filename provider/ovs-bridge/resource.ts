// The OvsBridge Pulumi resource: an Open vSwitch bridge, marked as ours in its external_ids.
import * as pulumi from "@pulumi/pulumi";
import { ArgsOf, OutputsOf } from "../dynamic/fields";
import { NetnsResource } from "../dynamic/resource";
import { WithConnection } from "../host/placement";
import { bridgeFields, bridgeOutputs } from "./schema";

export interface OvsBridgeArgs extends ArgsOf<typeof bridgeFields>, WithConnection {}

// The outputs are declared by the fields (docs/ARCHITECTURE.md, "Fields"); Pulumi sets them at run time.
export interface OvsBridge extends OutputsOf<typeof bridgeFields, typeof bridgeOutputs> {}

/** An OVS bridge. Read and delete only ever touch a bridge that carries this library's mark. */
export class OvsBridge extends NetnsResource {
  constructor(name: string, args: OvsBridgeArgs, opts?: pulumi.CustomResourceOptions) {
    super("OvsBridge", bridgeFields, bridgeOutputs, name, args, opts);
  }
}
