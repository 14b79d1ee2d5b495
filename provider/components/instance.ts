// The Instance component: a namespace on a Network's VLAN through a veth, addressed by DHCP or given a fixed address.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { Address } from "../address/resource";
import { DhcpClient } from "../dhcp-client/resource";
import { WithConnection } from "../host/placement";
import { Namespace } from "../namespace/resource";
import { OvsPort } from "../ovs-port/resource";
import { Route } from "../route/resource";
import { VethPair } from "../veth/resource";
import { cidr, ipv4, nsName } from "../validation";
import { parseCidr } from "../addresses";
import { PlainArgs, componentId, defaultId, deviceName, parseArgs, stableId } from "./ids";
import { fixedAddressProblem, placement, type Network } from "./network";

const instanceFields = {
  /** The instance's namespace. Defaults to the Pulumi name. */
  namespace: nsName().optional(),
  /** A fixed address with its prefix (e.g. 203.0.113.1/24) inside the network's subnet. Unset: DHCP. */
  address: cidr().optional(),
  /**
   * With a fixed address: the default route's gateway, or false for none. Defaults to the network's gateway address
   * (none when that is the instance's own address).
   */
  gateway: z.union([ipv4(), z.literal(false)]).optional(),
  /** The instance's port id: the host end of its veth is tap<first 11 characters>. Defaults to a stable UUID. */
  portId: componentId().optional(),
  /**
   * The MTU of the instance's veth (both ends). Defaults to the network's `mtu` (e.g. an Overlay's), else the
   * kernel's default (1500).
   */
  mtu: z.number().int().min(68, "must be 68 to 65535").max(65535, "must be 68 to 65535").optional(),
};

export interface InstanceArgs extends PlainArgs<typeof instanceFields>, WithConnection {
  /** The network the instance is attached to (its VLAN, its DHCP). */
  network: Network;
}

const plain = z.object(instanceFields);

/**
 * A namespace standing for a VM: eth0 inside, its veth peer tap<port id> on the network's bridge as an access port
 * on the network's VLAN, and a DHCP client (or a fixed address and default route). The seed's red and green.
 */
export class Instance extends pulumi.ComponentResource {
  /** The instance's namespace. */
  readonly namespace: pulumi.Output<string>;
  /** Its address with the prefix length (from DHCP, or the fixed one). */
  readonly address: pulumi.Output<string>;
  /** Its address alone, e.g. for a floating IP or a load balancer member. */
  readonly ip: pulumi.Output<string>;
  /** The host end of its veth, on the network's bridge. */
  readonly portName: string;

  constructor(name: string, args: InstanceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("netns:index:Instance", name, {}, opts);
    const a = parseArgs(`Instance "${name}"`, plain, args);
    const net = args.network;
    const fixed = a.address && fixedAddressProblem(net, parseCidr(a.address)!.address);
    if (fixed) throw new Error(`Instance "${name}": address: ${fixed}`);
    if (!a.address && !net.dhcpNamespace)
      throw new Error(`Instance "${name}": address: is required on a network without DHCP`);
    const where = placement(args, net);
    const child = { parent: this };
    this.portName = deviceName("tap", a.portId ?? stableId(defaultId("Instance", name), "port"));

    const ns = new Namespace(name, { name: a.namespace ?? name, ...where }, child);
    const veth = new VethPair(
      name,
      { name: "eth0", namespace: ns.name, peerName: this.portName, mtu: a.mtu ?? net.mtu, ...where },
      child,
    );
    const port = new OvsPort(name, { bridge: net.bridge, name: veth.peerName, tag: net.vlan, ...where }, child);
    if (a.address) {
      const address = new Address(name, { namespace: ns.name, device: veth.name, cidr: a.address, ...where }, child);
      const own = parseCidr(a.address)!.address;
      const gateway = a.gateway ?? (net.gatewayIp === own ? false : net.gatewayIp);
      if (gateway)
        new Route(
          name,
          { namespace: ns.name, destination: "default", via: gateway, ...where },
          { ...child, dependsOn: [address] },
        );
      this.address = address.cidr;
    } else {
      // After the port (the lease crosses the bridge) and the network's DHCP server (a component: all its children).
      const client = new DhcpClient(
        name,
        { namespace: ns.name, device: veth.name, ...where },
        { ...child, dependsOn: [port, net] },
      );
      this.address = client.address;
    }
    this.namespace = ns.name;
    this.ip = this.address.apply((c) => c.split("/")[0]);
    this.registerOutputs({ namespace: this.namespace, address: this.address, ip: this.ip, portName: this.portName });
  }
}
