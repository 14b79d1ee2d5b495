// The VethPair Pulumi resource: two connected virtual Ethernet ends, each in a namespace of its choice.
import * as pulumi from "@pulumi/pulumi";
import { NetnsResource, WithConnection } from "../dynamic/resource";

export interface VethPairArgs extends WithConnection {
  /** The name of the first end (max 15 characters). Changing it replaces the pair. */
  name: pulumi.Input<string>;
  /** The name of the other end (max 15 characters). Changing it replaces the pair. */
  peerName: pulumi.Input<string>;
  /** The namespace of the first end. Defaults to the host namespace. */
  namespace?: pulumi.Input<string>;
  /** The namespace of the other end. Defaults to the host namespace. */
  peerNamespace?: pulumi.Input<string>;
  /** The MTU of both ends (68-65535). Updates in place. */
  mtu?: pulumi.Input<number>;
  /** The MAC address of the first end. Defaults to a random one. Updates in place. */
  macAddress?: pulumi.Input<string>;
  /** The MAC address of the other end. Defaults to a random one. Updates in place. */
  peerMacAddress?: pulumi.Input<string>;
  /** Set both ends up. Defaults to true. Updates in place. */
  up?: pulumi.Input<boolean>;
}

/** A veth pair; outputs carry both names and namespaces so ports and addresses can be wired to them. */
export class VethPair extends NetnsResource {
  declare readonly name: pulumi.Output<string>;
  declare readonly peerName: pulumi.Output<string>;
  declare readonly namespace: pulumi.Output<string | undefined>;
  declare readonly peerNamespace: pulumi.Output<string | undefined>;
  declare readonly mtu: pulumi.Output<number | undefined>;
  declare readonly up: pulumi.Output<boolean>;
  /** The first end's MAC address as the kernel reports it. */
  declare readonly mac: pulumi.Output<string>;
  /** The other end's MAC address as the kernel reports it. */
  declare readonly peerMac: pulumi.Output<string>;

  constructor(name: string, args: VethPairArgs, opts?: pulumi.CustomResourceOptions) {
    super("VethPair", name, args, ["up", "mac", "peerMac"], opts);
  }
}
