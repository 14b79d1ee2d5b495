// The Router component: a qrouter- namespace routing between Networks, with a gateway port, SNAT and floating IPs.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { Address } from "../address/resource";
import { WithConnection } from "../host/placement";
import { Namespace } from "../namespace/resource";
import { Nat } from "../nat/resource";
import { OvsPort } from "../ovs-port/resource";
import { Route } from "../route/resource";
import { Sysctl } from "../sysctl/resource";
import { ipv4 } from "../validation";
import { PlainArgs, componentId, defaultId, deviceName, parseArgs, stableId } from "./ids";
import { fixedAddressProblem, placement, type Network } from "./network";

/** The router's side on the external network. */
export interface RouterGateway {
  /** The external network (e.g. a Network without DHCP standing for the provider network). */
  network: Network;
  /** The router's address on it (the SNAT address), inside the external network's subnet. */
  address: string;
  /** Translate the attached networks' traffic leaving through the gateway port to `address`. Defaults to true. */
  snat?: boolean;
}

/** A floating IP: an address on the external network that reaches one instance's fixed address. */
export interface RouterFloatingIp {
  /** The floating address, inside the external network's subnet. */
  floatingIp: string;
  /** The instance's fixed address (e.g. `instance.ip`). */
  fixedIp: pulumi.Input<string>;
}

const routerFields = {
  /** The router's id: it names the qrouter- namespace. Defaults to a UUID stable for project, stack and name. */
  routerId: componentId().optional(),
};

export interface RouterArgs extends PlainArgs<typeof routerFields>, WithConnection {
  /** The tenant networks it routes between: a qr- port on each, holding the network's gateway address. */
  networks: Network[];
  /** The gateway port (qg-) on an external network: default route to that network's gateway, SNAT. */
  gateway?: RouterGateway;
  /** Floating IPs on the gateway port: each address on qg- and its DNAT/SNAT pair. Needs `gateway`. */
  floatingIps?: RouterFloatingIp[];
}

const plain = z.object({
  gateway: z
    .object({ address: ipv4(), snat: z.boolean().default(true) })
    .passthrough()
    .optional(),
  floatingIps: z.array(z.object({ floatingIp: ipv4() }).passthrough()).default([]),
  ...routerFields,
});

/**
 * A Neutron-style router: a qrouter-<id> namespace with forwarding on, a qr-<port> internal port on each attached
 * network (tagged with its VLAN, holding its gateway address), and optionally a qg-<port> gateway port on an
 * external network with a default route, SNAT of every attached subnet to the gateway address, and floating IPs.
 * Attaching or detaching a network, or adding or removing a floating IP, leaves the namespace in place and updates
 * the NAT table in place.
 */
export class Router extends pulumi.ComponentResource {
  /** The router's id. */
  readonly routerId: string;
  /** The router's namespace (qrouter-<id>). */
  readonly namespace: pulumi.Output<string>;
  /** The gateway port's device name (qg-...), when there is a gateway. */
  readonly gatewayPort?: string;

  constructor(name: string, args: RouterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("netns:index:Router", name, {}, opts);
    const a = parseArgs(`Router "${name}"`, plain, args);
    const g = args.gateway;
    const fail = (property: string, rule: string) => {
      throw new Error(`Router "${name}": ${property}: ${rule}`);
    };
    const fixed = g && fixedAddressProblem(g.network, g.address);
    if (fixed) fail("gateway.address", fixed);
    if (a.floatingIps.length && !g) fail("floatingIps", "need a gateway");
    a.floatingIps.forEach((f, i) => {
      const problem = g && fixedAddressProblem(g.network, f.floatingIp);
      if (problem) fail(`floatingIps.${i}.floatingIp`, problem);
    });
    const ids = args.networks.map((n) => n.networkId);
    ids.forEach((id, i) => ids.indexOf(id) !== i && fail(`networks.${i}`, "is attached twice"));

    this.routerId = a.routerId ?? defaultId("Router", name);
    const where = placement(args, args.networks[0] ?? g?.network);
    const child = { parent: this };
    const port = (role: string) => stableId(this.routerId, role);

    const ns = new Namespace(name, { name: `qrouter-${this.routerId}`, ...where }, child);
    this.namespace = ns.name;
    const forwarding = new Sysctl(
      name,
      { namespace: ns.name, key: "net.ipv4.ip_forward", value: "1", ...where },
      child,
    );
    for (const n of args.networks) {
      // Named after the network, so attaching or detaching one leaves the others' resources as they are.
      const qr = new OvsPort(
        `${name}-${n.networkId}`,
        {
          bridge: n.bridge,
          name: deviceName("qr-", port(n.networkId)),
          type: "internal",
          tag: n.vlan,
          namespace: ns.name,
          mtu: n.mtu,
          ...where,
        },
        child,
      );
      new Address(
        `${name}-${n.networkId}`,
        { namespace: ns.name, device: qr.name, cidr: `${n.gatewayIp}/${n.prefixLength}`, ...where },
        child,
      );
    }
    if (g) {
      this.gatewayPort = deviceName("qg-", port(`gateway ${g.network.networkId}`));
      const qg = new OvsPort(
        `${name}-gateway`,
        {
          bridge: g.network.bridge,
          name: this.gatewayPort,
          type: "internal",
          tag: g.network.vlan,
          namespace: ns.name,
          mtu: g.network.mtu,
          ...where,
        },
        child,
      );
      const own = new Address(
        `${name}-gateway`,
        { namespace: ns.name, device: qg.name, cidr: `${g.address}/${g.network.prefixLength}`, ...where },
        child,
      );
      if (g.network.gatewayIp !== g.address)
        new Route(
          `${name}-gateway`,
          { namespace: ns.name, destination: "default", via: g.network.gatewayIp, device: qg.name, ...where },
          { ...child, dependsOn: [own] },
        );
      const floating = (args.floatingIps ?? []).map((f) => {
        new Address(
          `${name}-fip-${f.floatingIp}`,
          { namespace: ns.name, device: qg.name, cidr: `${f.floatingIp}/32`, ...where },
          child,
        );
        return { floatingIp: f.floatingIp, fixedIp: f.fixedIp, outInterface: this.gatewayPort! };
      });
      new Nat(
        name,
        {
          namespace: ns.name,
          snat:
            a.gateway?.snat === false
              ? []
              : args.networks.map((n) => ({ source: n.subnet, outInterface: this.gatewayPort!, to: g.address })),
          floatingIps: floating,
          ...where,
        },
        { ...child, dependsOn: [forwarding, qg] },
      );
    }
    this.registerOutputs({ routerId: this.routerId, namespace: this.namespace, gatewayPort: this.gatewayPort });
  }
}
