// The VethPair Pulumi resource: two connected virtual Ethernet ends, each in a namespace of its choice.
import * as pulumi from "@pulumi/pulumi";
import { ArgsOf, OutputsOf } from "../dynamic/fields";
import { NetnsResource } from "../dynamic/resource";
import { WithConnection } from "../host/placement";
import { vethFields, vethOutputs } from "./schema";

export interface VethPairArgs extends ArgsOf<typeof vethFields>, WithConnection {}

// The outputs are declared by the fields (docs/ARCHITECTURE.md, "Fields"); Pulumi sets them at run time.
export interface VethPair extends OutputsOf<typeof vethFields, typeof vethOutputs> {}

/** A veth pair; outputs carry both names and namespaces so ports and addresses can be wired to them. */
export class VethPair extends NetnsResource {
  constructor(name: string, args: VethPairArgs, opts?: pulumi.CustomResourceOptions) {
    super("VethPair", vethFields, vethOutputs, name, args, opts);
  }
}
