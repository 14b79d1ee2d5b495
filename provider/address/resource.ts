// The Address Pulumi resource: an IPv4 or IPv6 address on an interface.
import * as pulumi from "@pulumi/pulumi";
import { NetnsResource, WithConnection } from "../dynamic/resource";

export interface AddressArgs extends WithConnection {
  /** The namespace of the device. Defaults to the host namespace. */
  namespace?: pulumi.Input<string>;
  /** The interface to put the address on. */
  device: pulumi.Input<string>;
  /** The address with its prefix length, IPv4 or IPv6 (e.g. 10.0.0.1/24, fd00::1/64). Changing it replaces. */
  cidr: pulumi.Input<string>;
  /** IPv6 only: skip duplicate address detection so the address is usable at once. Defaults to false. */
  noDad?: pulumi.Input<boolean>;
}

/** An address on an interface (`ip addr add`). Every change replaces it. */
export class Address extends NetnsResource {
  declare readonly namespace: pulumi.Output<string | undefined>;
  declare readonly device: pulumi.Output<string>;
  declare readonly cidr: pulumi.Output<string>;

  constructor(name: string, args: AddressArgs, opts?: pulumi.CustomResourceOptions) {
    super("Address", name, args, ["noDad"], opts);
  }
}
