// The Overlay component: the bridges of several hosts joined by a full mesh of VXLAN tunnels, one VNI per VLAN.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { Host } from "../host/resource";
import { OvsPort } from "../ovs-port/resource";
import { ipv4, vlanTag } from "../validation";
import { PlainArgs, parseArgs } from "./ids";

/** VXLAN over IPv4 costs 50 bytes: outer Ethernet 14, IPv4 20, UDP 8, VXLAN 8. */
export const VXLAN_OVERHEAD = 50;

/** One host on the overlay. */
export interface OverlayMember {
  /** The host (its connection is used for its tunnel ports). */
  host: Host;
  /** Its name in the tunnel ports' resource names (letters, digits, '-'; e.g. "a"). */
  name: string;
  /** The OVS bridge on that host the VLANs live on (e.g. `bridge.name`). */
  bridge: pulumi.Input<string>;
  /** The host's address on the underlay, which the other hosts send its tunnels' packets to. */
  underlayIp: string;
}

const overlayFields = {
  /** The VLANs the overlay carries between the hosts' bridges (each 1-4094). */
  vlans: z.array(vlanTag()).min(1),
  /** Added to a VLAN to make its VNI (the VXLAN network identifier). Defaults to 0: VNI = VLAN. */
  vniBase: z.number().int().min(0).max(16_000_000).default(0),
  /** The MTU of the underlay network. Defaults to 1500. */
  underlayMtu: z.number().int().min(576).max(65535).default(1500),
  /** Prepended to the tunnel devices' names (vx<VLAN>), as the examples' name prefix. Defaults to "". */
  devicePrefix: z
    .string()
    .regex(/^[A-Za-z0-9_-]{0,8}$/, "must be up to 8 letters, digits, '_' or '-'")
    .default(""),
};

export interface OverlayArgs extends PlainArgs<typeof overlayFields> {
  /** The hosts, two or more. */
  members: OverlayMember[];
}

const plain = z
  .object({
    members: z
      .array(
        z.object({
          host: z.any(),
          name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,15}$/, "must be 1-16 lower-case letters, digits or '-'"),
          bridge: z.any(),
          underlayIp: ipv4(),
        }),
      )
      .min(2, "must list two hosts or more"),
    ...overlayFields,
  })
  .superRefine((a, ctx) => {
    a.members.forEach((m, i) => {
      if (a.members.findIndex((o) => o.name === m.name) !== i)
        ctx.addIssue({ code: "custom", path: ["members", i, "name"], message: "is listed twice" });
      if (a.members.findIndex((o) => o.underlayIp === m.underlayIp) !== i)
        ctx.addIssue({ code: "custom", path: ["members", i, "underlayIp"], message: "is listed twice" });
    });
    a.vlans.forEach((v, i) => {
      if (a.vlans.indexOf(v) !== i) ctx.addIssue({ code: "custom", path: ["vlans", i], message: "is listed twice" });
    });
  });

/**
 * On each host, one VXLAN port per VLAN (an access port on that VLAN, VNI = vniBase + VLAN) whose remotes are
 * every other host: broadcasts go to each of them, unicast where it was learned, and a host never forwards from
 * one remote to another, so the mesh has no loop. Ports attached to the overlay should use `mtu` (the underlay's
 * less the encapsulation), so that a packet too big for the tunnel fails at its sender with "message too long"
 * rather than disappearing in the underlay: a Network given this overlay does so for every port on it.
 */
export class Overlay extends pulumi.ComponentResource {
  /** The MTU of interfaces on the overlay: the underlay MTU less 50 bytes of VXLAN encapsulation. */
  readonly mtu: number;
  /** The VNI each VLAN travels with. */
  readonly vnis: Record<number, number>;
  /**
   * Each member's tunnel ports, by member name: a resource that needs the overlay between some hosts depends on
   * theirs only, so a host that is down holds up only what needs it.
   */
  readonly ports: Record<string, OvsPort[]>;

  constructor(name: string, args: OverlayArgs, opts?: pulumi.ComponentResourceOptions) {
    super("netns:index:Overlay", name, {}, opts);
    const a = parseArgs(`Overlay "${name}"`, plain, args);
    this.mtu = a.underlayMtu - VXLAN_OVERHEAD;
    this.vnis = Object.fromEntries(a.vlans.map((v) => [v, a.vniBase + v]));
    this.ports = {};
    args.members.forEach((m) => {
      const remoteIps = args.members.filter((o) => o !== m).map((o) => o.underlayIp);
      this.ports[m.name] = a.vlans.map(
        (vlan) =>
          new OvsPort(
            `${name}-${m.name}-${vlan}`,
            {
              bridge: m.bridge,
              name: `${a.devicePrefix}vx${vlan}`,
              type: "vxlan",
              key: String(this.vnis[vlan]),
              remoteIps,
              tag: vlan,
              host: m.host,
            },
            { parent: this },
          ),
      );
    });
    this.registerOutputs({ mtu: this.mtu, vnis: this.vnis });
  }
}
