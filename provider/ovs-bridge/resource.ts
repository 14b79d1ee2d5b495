// The OvsBridge Pulumi resource: an Open vSwitch bridge, marked as ours in its external_ids.
import * as pulumi from "@pulumi/pulumi";
import { NetnsResource, WithConnection } from "../dynamic/resource";

export interface OvsBridgeArgs extends WithConnection {
  /** The bridge name (also a kernel interface, so max 15 characters). Changing it replaces the bridge. */
  name: pulumi.Input<string>;
  /** "system" (kernel datapath, OVS's default) or "netdev" (userspace, for kernels without the openvswitch module). */
  datapathType?: pulumi.Input<"system" | "netdev">;
  /** What the bridge does without a controller: "standalone" (a learning switch) or "secure". Updates in place. */
  failMode?: pulumi.Input<"standalone" | "secure">;
  /** Extra external_ids on the bridge record. Updates in place. */
  externalIds?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** An OVS bridge. Read and delete only ever touch a bridge that carries this library's mark. */
export class OvsBridge extends NetnsResource {
  declare readonly name: pulumi.Output<string>;
  declare readonly datapathType: pulumi.Output<"system" | "netdev">;
  declare readonly failMode: pulumi.Output<"standalone" | "secure" | undefined>;
  declare readonly externalIds: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: OvsBridgeArgs, opts?: pulumi.CustomResourceOptions) {
    super("OvsBridge", name, args, ["datapathType", "externalIds"], opts);
  }
}
