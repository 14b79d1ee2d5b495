// The OvsPort Pulumi resource: a port on an Open vSwitch bridge, with VLAN settings and an optional namespace.
import * as pulumi from "@pulumi/pulumi";
import { NetnsResource, WithConnection } from "../dynamic/resource";

type PortType = "system" | "internal" | "patch" | "vxlan" | "gre" | "geneve";
type VlanMode = "access" | "native-tagged" | "native-untagged" | "trunk";

export interface OvsPortArgs extends WithConnection {
  /** The bridge to add the port to (e.g. `bridge.name`). */
  bridge: pulumi.Input<string>;
  /** The port and interface name, max 15 characters (e.g. `veth.peerName`). */
  name: pulumi.Input<string>;
  /** "system" for an existing interface such as a veth end (default), "internal", "patch", "vxlan", "gre" or "geneve". */
  type?: pulumi.Input<PortType>;
  /** The peer patch port (type "patch" only). */
  peer?: pulumi.Input<string>;
  /** The tunnel's remote endpoint (tunnel types only). */
  remoteIp?: pulumi.Input<string>;
  /** The tunnel key (VNI): a number or "flow" (tunnel types only). */
  key?: pulumi.Input<string>;
  /** The access VLAN, 1-4094. Updates in place. */
  tag?: pulumi.Input<number>;
  /** The VLANs a trunk port carries. Updates in place. */
  trunks?: pulumi.Input<pulumi.Input<number>[]>;
  /** The VLAN mode. Updates in place. */
  vlanMode?: pulumi.Input<VlanMode>;
  /** Move the interface into this namespace after creating it (internal ports only). */
  namespace?: pulumi.Input<string>;
  /** Set the port's kernel interface up (system and internal ports). Defaults to true. Updates in place. */
  up?: pulumi.Input<boolean>;
  /**
   * Transmit checksum offload of the devices that send into this port (a veth's peer, an internal port's
   * interface). "auto" (the default) turns it off on a bridge with datapath netdev, whose userspace datapath would
   * forward their TCP and UDP packets with checksums never filled in, and leaves it alone on the kernel datapath;
   * "off" turns it off on any bridge; "keep" never touches it. Updates in place.
   */
  checksumOffload?: pulumi.Input<"auto" | "keep" | "off">;
}

/** A port on an OVS bridge. Read and delete only ever touch a port that carries this library's mark. */
export class OvsPort extends NetnsResource {
  declare readonly bridge: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly type: pulumi.Output<PortType>;
  declare readonly tag: pulumi.Output<number | undefined>;
  declare readonly trunks: pulumi.Output<number[] | undefined>;
  declare readonly vlanMode: pulumi.Output<VlanMode | undefined>;
  declare readonly namespace: pulumi.Output<string | undefined>;
  declare readonly up: pulumi.Output<boolean>;
  /** The input's value, or "on" after a refresh found a device that should have offload off with it on again. */
  declare readonly checksumOffload: pulumi.Output<"auto" | "keep" | "off" | "on">;

  constructor(name: string, args: OvsPortArgs, opts?: pulumi.CustomResourceOptions) {
    super("OvsPort", name, args, ["type", "up", "checksumOffload"], opts);
  }
}
