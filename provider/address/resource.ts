// The Address Pulumi resource: an IPv4 or IPv6 address on an interface.
import * as pulumi from "@pulumi/pulumi";
import { ArgsOf, OutputsOf } from "../dynamic/fields";
import { NetnsResource } from "../dynamic/resource";
import { WithConnection } from "../host/placement";
import { addressFields, addressOutputs } from "./schema";

export interface AddressArgs extends ArgsOf<typeof addressFields>, WithConnection {}

// The outputs are declared by the fields (docs/ARCHITECTURE.md, "Fields"); Pulumi sets them at run time.
export interface Address extends OutputsOf<typeof addressFields, typeof addressOutputs> {}

/** An address on an interface (`ip addr add`). Every change replaces it. */
export class Address extends NetnsResource {
  constructor(name: string, args: AddressArgs, opts?: pulumi.CustomResourceOptions) {
    super("Address", addressFields, addressOutputs, name, args, opts);
  }
}
