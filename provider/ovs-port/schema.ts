// OvsPort fields: the inputs, each with its doc and what a change to it means, their cross-field rules, and outputs.
import { z } from "zod";
import { replaces, updates } from "../dynamic/fields";
import { Rule, withRules } from "../dynamic/rules";
import { ifName, ipAddress, nsName, vlanTag } from "../validation";

const TUNNELS = ["vxlan", "gre", "geneve"];
/** Tunnels made as kernel devices attached as system ports (README, "Several hosts"): they work on either datapath. */
export const KERNEL_TUNNELS = ["vxlan", "geneve"];

export const portFields = {
  /** The bridge to add the port to (e.g. `bridge.name`). */
  bridge: replaces(ifName()),
  /** The port (and interface) name, max 15 characters (e.g. `veth.peerName`). */
  name: replaces(ifName()),
  /**
   * "system" for an existing interface such as a veth end (the default), "internal" for a port OVS creates,
   * "patch" (with peer), or a tunnel "vxlan"/"geneve" (a kernel device with `key` as its VNI and `remoteIp`, or
   * for vxlan `remoteIps`) or "gre" (OVS's own, kernel datapath only).
   */
  type: replaces(z.enum(["system", "internal", "patch", "vxlan", "gre", "geneve"]).default("system")),
  /** The peer patch port (type patch only). */
  peer: replaces(ifName().optional()),
  /** The tunnel's remote endpoint (tunnel types only; for vxlan, or `remoteIps`). */
  remoteIp: replaces(ipAddress().optional()),
  /**
   * Every remote endpoint of a vxlan port that reaches several hosts (a full mesh): the kernel device repeats
   * broadcasts to each and learns where unicast goes, and never forwards from one remote to another, so a mesh of
   * these has no loop. Changes update in place.
   */
  remoteIps: updates(
    z
      .array(z.ipv4({ message: "must be IPv4 addresses" }))
      .min(1)
      .max(1024)
      .optional(),
  ),
  /** The tunnel key: the VNI of a vxlan or geneve port (0-16777215), a number or "flow" for gre. */
  key: replaces(
    z
      .string()
      .regex(/^(flow|\d{1,10})$/, 'must be a number or "flow"')
      .optional(),
  ),
  /** The access VLAN (1-4094). */
  tag: updates(vlanTag().optional()),
  /** The VLANs a trunk port carries (each 1-4094). */
  trunks: updates(z.array(vlanTag()).optional()),
  /** The port's VLAN mode. */
  vlanMode: updates(z.enum(["access", "native-tagged", "native-untagged", "trunk"]).optional()),
  /**
   * Transmit checksum offload of the devices that send into this port (a veth's peer, an internal port's
   * interface). "auto" (the default) turns it off on a bridge with datapath netdev, whose userspace datapath
   * forwards such packets with their TCP/UDP checksums never filled in, and leaves it alone on the kernel datapath;
   * "off" turns it off on any bridge; "keep" never touches it.
   */
  checksumOffload: updates(z.enum(["auto", "keep", "off"]).default("auto")),
  /** Move the port's interface into this namespace after creating it (internal ports only). */
  namespace: replaces(nsName().optional()),
  /**
   * Whether the interface OVS creates for an internal port is up (unset: up). Internal ports only: the interface
   * of a system port belongs to the resource that made it (a VethPair's `up`), so the flag has one owner.
   */
  up: updates(z.boolean().optional()),
  /**
   * The MTU of the interface OVS creates for an internal port, e.g. an Overlay's `mtu` for a port on a VLAN that
   * crosses hosts (unset: left as the kernel made it). Internal ports only, like `up`. Changes update in place.
   */
  mtu: updates(z.number().int().min(68, "must be 68 to 65535").max(65535, "must be 68 to 65535").optional()),
};

export const portOutputs = {
  /** The input's value, or "on" after a refresh found a device that should have offload off with it on again. */
  checksumOffload: z.enum(["auto", "keep", "off", "on"]),
};

/** Inputs that belong to one port type only. */
const typeRules: Array<Rule<z.output<z.ZodObject<typeof portFields>>>> = [
  {
    reads: ["type", "peer"],
    check(p, fail) {
      if (p.type === "patch" && !p.peer) fail(["peer"], 'is required when type is "patch"');
      if (p.type !== "patch" && p.peer) fail(["peer"], 'is only for type "patch"');
    },
  },
  {
    reads: ["type", "remoteIp", "remoteIps", "key"],
    check(p, fail) {
      const tunnel = TUNNELS.includes(p.type);
      if (tunnel && !p.remoteIp && !p.remoteIps) fail(["remoteIp"], `is required when type is "${p.type}"`);
      if (p.remoteIp && p.remoteIps) fail(["remoteIps"], "is instead of remoteIp, not with it");
      if (p.remoteIps && p.type !== "vxlan") fail(["remoteIps"], 'is only for type "vxlan"');
      if (!tunnel && p.remoteIp) fail(["remoteIp"], "is only for tunnel types (vxlan, gre, geneve)");
      if (!tunnel && p.key) fail(["key"], "is only for tunnel types (vxlan, gre, geneve)");
      if (KERNEL_TUNNELS.includes(p.type) && !(p.key && /^\d+$/.test(p.key) && Number(p.key) <= 16777215))
        fail(["key"], `must be the VNI (0-16777215) when type is "${p.type}"`);
    },
  },
  {
    reads: ["type", "namespace", "up", "mtu"],
    check(p, fail) {
      if (p.namespace && p.type !== "internal")
        fail(["namespace"], 'is only for type "internal" (OVS creates that interface, so it can move it)');
      if (p.up !== undefined && p.type !== "internal")
        fail(
          ["up"],
          'is only for type "internal" (the interface of a system port is up or down by its own resource, e.g. VethPair.up)',
        );
      if (p.mtu !== undefined && p.type !== "internal")
        fail(
          ["mtu"],
          'is only for type "internal" (the interface of a system port has its own resource, e.g. VethPair.mtu)',
        );
    },
  },
];

export const portSchema = withRules(z.object(portFields), typeRules);

export type PortInputs = z.output<typeof portSchema>;

/** Port types that have a kernel interface (whose offload and namespace read looks at). */
export const hasDevice = (p: PortInputs) => p.type === "system" || p.type === "internal";

/** A vxlan or geneve port: a kernel device the port creates, attached as a system port. */
export const isKernelTunnel = (p: Pick<PortInputs, "type">) => KERNEL_TUNNELS.includes(p.type);
