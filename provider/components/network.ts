// The Network component: a VLAN on an OVS bridge with one IPv4 subnet and, unless disabled, DHCP from a qdhcp- namespace.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { Address } from "../address/resource";
import { DhcpServer } from "../dhcp-server/resource";
import { WithConnection } from "../host/placement";
import { Namespace } from "../namespace/resource";
import { OvsPort } from "../ovs-port/resource";
import { ipv4, vlanTag } from "../validation";
import { addressAt, inRange, inSubnet, ipv4After, isIpv4Network, parseCidr } from "../addresses";
import type { Overlay } from "./overlay";
import { PlainArgs, componentId, defaultId, deviceName, parseArgs, stableId } from "./ids";

const networkFields = {
  /** The network's VLAN (1-4094): every port on the network is an access port on it. */
  vlan: vlanTag(),
  /** The IPv4 subnet, e.g. 10.50.50.0/24 (prefix /8 to /29). */
  subnet: z
    .string()
    .refine(isIpv4Network, "must be an IPv4 network such as 10.50.50.0/24 (no host bits set)")
    .refine((s) => (parseCidr(s)?.prefix ?? 0) >= 8 && (parseCidr(s)?.prefix ?? 32) <= 29, "must be a /8 to /29"),
  /** The subnet's gateway address, which a Router attached to the network holds. Defaults to the first address. */
  gatewayIp: ipv4().optional(),
  /** Serve DHCP from a qdhcp-<networkId> namespace. Defaults to true. */
  dhcp: z.boolean().default(true),
  /** The DHCP port's address. Defaults to the second address of the subnet. */
  dhcpAddress: ipv4().optional(),
  /**
   * The first address DHCP hands out. Defaults to the tenth address of the subnet. Fixed addresses on the network
   * (the gateway, the DHCP port, instances' fixed addresses, VIPs) must lie outside the range.
   */
  allocationStart: ipv4().optional(),
  /** The last address DHCP hands out. Defaults to the last address before the broadcast address. */
  allocationEnd: ipv4().optional(),
  /** DNS servers DHCP hands out. */
  dnsServers: z.array(ipv4()).optional(),
  /** The network's id: it names the qdhcp- namespace. Defaults to a UUID stable for project, stack and name. */
  networkId: componentId().optional(),
  /**
   * The MTU of every interface on the network: its DHCP port, routers' and load balancers' ports on it, and
   * instances' (an Instance's own `mtu` wins). Defaults to the overlay's; without one, the kernel's (1500).
   */
  mtu: z.number().int().min(68, "must be 68 to 65535").max(65535, "must be 68 to 65535").optional(),
};

export interface NetworkArgs extends PlainArgs<typeof networkFields>, WithConnection {
  /** The OVS bridge the network's VLAN lives on (e.g. `bridge.name`). */
  bridge: pulumi.Input<string>;
  /**
   * The Overlay that carries the network's VLAN between hosts, when the network spans hosts: its `mtu` (the
   * underlay's less the encapsulation) becomes the network's unless `mtu` is set. The VLAN must be one it carries.
   */
  overlay?: Overlay;
}

const plain = z
  .object({
    ...networkFields,
    overlay: z.object({ mtu: z.number(), vnis: z.record(z.string(), z.number()) }).optional(),
  })
  .superRefine((a, ctx) => {
    if (a.overlay && !(String(a.vlan) in a.overlay.vnis))
      ctx.addIssue({
        code: "custom",
        path: ["overlay"],
        message: `does not carry VLAN ${a.vlan} (it carries ${Object.keys(a.overlay.vnis).join(", ")})`,
      });
    for (const key of ["gatewayIp", "dhcpAddress", "allocationStart", "allocationEnd"] as const) {
      const v = a[key];
      if (v && isIpv4Network(a.subnet) && !inSubnet(v, a.subnet))
        ctx.addIssue({ code: "custom", path: [key], message: `must lie inside subnet ${a.subnet}` });
    }
  });

/**
 * A tenant network as Neutron lays one out: a VLAN on an OVS bridge and a subnet; with DHCP, a qdhcp-<id>
 * namespace on an internal port tagged with the VLAN, running dnsmasq that hands out the subnet with the gateway
 * address as router. Instances and Routers attach to it.
 */
/**
 * Where a component attached to `network` runs: its own host or connection if given, else the network's; and
 * whether its resources adopt what is already there (its own `adopt`, else the network's).
 */
export function placement(args: WithConnection, network: { where: WithConnection } | undefined): WithConnection {
  const where =
    args.host || args.connection !== undefined ? { host: args.host, connection: args.connection } : network?.where;
  const adopt = args.adopt ?? network?.where.adopt;
  return { ...where, ...(adopt !== undefined && { adopt }) };
}

export class Network extends pulumi.ComponentResource {
  /** The network's id (it names the qdhcp- namespace). */
  readonly networkId: string;
  /** The bridge the network lives on. */
  readonly bridge: pulumi.Output<string>;
  /** The network's VLAN. */
  readonly vlan: number;
  /** The IPv4 subnet. */
  readonly subnet: string;
  /** The subnet's prefix length. */
  readonly prefixLength: number;
  /** The gateway address a Router attached to the network holds. */
  readonly gatewayIp: string;
  /** The addresses DHCP hands out, when the network serves DHCP: no fixed address may lie among them. */
  readonly dhcpRange?: { start: string; end: string };
  /** The DHCP namespace (qdhcp-<id>), when the network serves DHCP. */
  readonly dhcpNamespace?: pulumi.Output<string>;
  /** Where the network's objects live; Instances and Routers attached to it default to the same. */
  readonly where: WithConnection;
  /** The MTU of interfaces on the network, when set (by `mtu` or an overlay). */
  readonly mtu?: number;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("netns:index:Network", name, {}, opts);
    const a = parseArgs(`Network "${name}"`, plain, args);
    this.networkId = a.networkId ?? defaultId("Network", name);
    this.bridge = pulumi.output(args.bridge);
    this.vlan = a.vlan;
    this.subnet = a.subnet;
    this.prefixLength = parseCidr(a.subnet)!.prefix;
    this.gatewayIp = a.gatewayIp ?? addressAt(a.subnet, 1);
    this.where = {
      host: args.host,
      connection: args.connection,
      ...(args.adopt !== undefined && { adopt: args.adopt }),
    };
    this.mtu = a.mtu ?? a.overlay?.mtu;
    const child = { parent: this };
    const dhcpAddress = a.dhcpAddress ?? addressAt(a.subnet, 2);
    if (a.dhcp) {
      this.dhcpRange = {
        start: a.allocationStart ?? addressAt(a.subnet, Math.min(10, 2 ** (32 - this.prefixLength) - 3)),
        end: a.allocationEnd ?? addressAt(a.subnet, -2),
      };
      const { start, end } = this.dhcpRange;
      const fail = (property: string, rule: string) => {
        throw new Error(`Network "${name}": ${property}: ${rule}`);
      };
      if (ipv4After(start, end)) {
        if (a.allocationEnd) fail("allocationEnd", `must not come before allocationStart (${start})`);
        fail("allocationStart", `must not come after the range's default end (${end})`);
      }
      if (inRange(this.gatewayIp, start, end)) fail("gatewayIp", outsideRule(this.dhcpRange));
      if (inRange(dhcpAddress, start, end)) fail("dhcpAddress", outsideRule(this.dhcpRange));

      const ns = new Namespace(`${name}-dhcp`, { name: `qdhcp-${this.networkId}`, ...this.where }, child);
      const tap = new OvsPort(
        `${name}-dhcp`,
        {
          bridge: this.bridge,
          name: deviceName("tap", stableId(this.networkId, "dhcp")),
          type: "internal",
          tag: a.vlan,
          namespace: ns.name,
          mtu: this.mtu,
          ...this.where,
        },
        child,
      );
      const address = new Address(
        `${name}-dhcp`,
        {
          namespace: ns.name,
          device: tap.name,
          cidr: `${dhcpAddress}/${this.prefixLength}`,
          ...this.where,
        },
        child,
      );
      new DhcpServer(
        `${name}-dhcp`,
        {
          namespace: ns.name,
          device: tap.name,
          subnet: a.subnet,
          rangeStart: this.dhcpRange!.start,
          rangeEnd: this.dhcpRange!.end,
          gateway: this.gatewayIp,
          dnsServers: a.dnsServers,
          ...this.where,
        },
        { ...child, dependsOn: [address] },
      );
      this.dhcpNamespace = ns.name;
    }
    this.registerOutputs({
      networkId: this.networkId,
      bridge: this.bridge,
      vlan: this.vlan,
      subnet: this.subnet,
      gatewayIp: this.gatewayIp,
      dhcpNamespace: this.dhcpNamespace,
    });
  }
}

const outsideRule = (r: { start: string; end: string }) =>
  `must lie outside the addresses the network's DHCP hands out (${r.start} to ${r.end}: set allocationStart or ` +
  "allocationEnd to leave room)";

/**
 * Why a fixed address (an Instance's, a VIP, a router's gateway address) cannot be used on `network`, or undefined
 * when it can: it must lie inside the subnet and outside the DHCP range, which dnsmasq would also lease to a client.
 */
export function fixedAddressProblem(
  network: Pick<Network, "subnet" | "dhcpRange">,
  address: string,
): string | undefined {
  if (!inSubnet(address, network.subnet)) return `must lie inside the network's subnet ${network.subnet}`;
  const r = network.dhcpRange;
  return r && inRange(address, r.start, r.end) ? outsideRule(r) : undefined;
}
