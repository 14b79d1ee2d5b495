// The LoadBalancer component: a qlbaas- namespace on a Network with a VIP, and HAProxy balancing its listeners.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { Address } from "../address/resource";
import { WithConnection } from "../host/placement";
import { Haproxy, HaproxyHealthCheck, HaproxyListener, HaproxyMember } from "../haproxy/resource";
import { Namespace } from "../namespace/resource";
import { OvsPort } from "../ovs-port/resource";
import { Route } from "../route/resource";
import { ipv4 } from "../validation";
import { PlainArgs, componentId, defaultId, deviceName, parseArgs, stableId } from "./ids";
import { fixedAddressProblem, placement, type Network } from "./network";

const loadBalancerFields = {
  /** The VIP: an address inside the network's subnet. */
  vip: ipv4(),
  /** The load balancer's id: it names the qlbaas- namespace. Defaults to a UUID stable for project, stack and name. */
  loadBalancerId: componentId().optional(),
};

export interface LoadBalancerArgs extends PlainArgs<typeof loadBalancerFields>, WithConnection {
  /** The network the VIP is on. */
  network: Network;
  /** The listeners: a protocol ("tcp" or "http") and a port each. */
  listeners: pulumi.Input<pulumi.Input<HaproxyListener>[]>;
  /** The pool: a name, an address (e.g. an Instance's `ip`) and a port each. Changes reload in place. */
  members: pulumi.Input<pulumi.Input<HaproxyMember>[]>;
  /** roundrobin (the default), leastconn, source or first. */
  balance?: pulumi.Input<"roundrobin" | "leastconn" | "source" | "first">;
  /** Health checks of the members. */
  healthCheck?: pulumi.Input<HaproxyHealthCheck>;
}

const plain = z.object(loadBalancerFields);

/**
 * Neutron's LBaaS layout: a qlbaas-<id> namespace on an internal port tagged with the network's VLAN, holding the
 * VIP, with a default route to the network's gateway (so a floating IP on the router reaches it), and HAProxy
 * balancing each listener over the members. A floating IP for the VIP is a Router `floatingIps` entry with
 * `fixedIp: lb.vip`.
 */
export class LoadBalancer extends pulumi.ComponentResource {
  /** The load balancer's id. */
  readonly loadBalancerId: string;
  /** Its namespace (qlbaas-<id>). */
  readonly namespace: pulumi.Output<string>;
  /** The VIP. */
  readonly vip: string;

  constructor(name: string, args: LoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("netns:index:LoadBalancer", name, {}, opts);
    const a = parseArgs(`LoadBalancer "${name}"`, plain, args);
    const net = args.network;
    const fixed = fixedAddressProblem(net, a.vip);
    if (fixed) throw new Error(`LoadBalancer "${name}": vip: ${fixed}`);
    this.loadBalancerId = a.loadBalancerId ?? defaultId("LoadBalancer", name);
    this.vip = a.vip;
    const where = placement(args, net);
    const child = { parent: this };

    const ns = new Namespace(name, { name: `qlbaas-${this.loadBalancerId}`, ...where }, child);
    const port = new OvsPort(
      name,
      {
        bridge: net.bridge,
        name: deviceName("tap", stableId(this.loadBalancerId, "vip")),
        type: "internal",
        tag: net.vlan,
        namespace: ns.name,
        mtu: net.mtu,
        ...where,
      },
      child,
    );
    const vip = new Address(
      name,
      { namespace: ns.name, device: port.name, cidr: `${a.vip}/${net.prefixLength}`, ...where },
      child,
    );
    new Route(
      name,
      { namespace: ns.name, destination: "default", via: net.gatewayIp, ...where },
      { ...child, dependsOn: [vip] },
    );
    new Haproxy(
      name,
      {
        namespace: ns.name,
        name: "lb",
        vip: a.vip,
        listeners: args.listeners,
        members: args.members,
        balance: args.balance,
        healthCheck: args.healthCheck,
        ...where,
      },
      { ...child, dependsOn: [vip] },
    );
    this.namespace = ns.name;
    this.registerOutputs({ loadBalancerId: this.loadBalancerId, namespace: this.namespace, vip: this.vip });
  }
}
