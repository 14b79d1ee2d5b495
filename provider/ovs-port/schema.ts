// OvsPort inputs.
import { z } from "zod";
import { Rule, withRules } from "../dynamic/rules";
import { ifName, ipAddress, nsName, vlanTag } from "../validation";

const TUNNELS = ["vxlan", "gre", "geneve"];

const portFields = z.object({
  bridge: ifName().describe("The bridge to add the port to."),
  name: ifName().describe("The port (and interface) name, max 15 characters."),
  type: z
    .enum(["system", "internal", "patch", "vxlan", "gre", "geneve"])
    .default("system")
    .describe(
      '"system" for an existing interface such as a veth end (the default), "internal" for a port OVS creates, "patch" (with peer), or a tunnel "vxlan"/"gre"/"geneve" (with remoteIp).',
    ),
  peer: ifName().optional().describe("The peer patch port (type patch only)."),
  remoteIp: ipAddress().optional().describe("The tunnel's remote endpoint (tunnel types only)."),
  key: z
    .string()
    .regex(/^(flow|\d{1,10})$/, 'must be a number or "flow"')
    .optional()
    .describe('The tunnel key (VNI): a number or "flow" (tunnel types only).'),
  tag: vlanTag().optional().describe("The access VLAN (1-4094). Updates in place."),
  trunks: z.array(vlanTag()).optional().describe("The VLANs a trunk port carries (each 1-4094). Updates in place."),
  vlanMode: z
    .enum(["access", "native-tagged", "native-untagged", "trunk"])
    .optional()
    .describe("The port's VLAN mode. Updates in place."),
  checksumOffload: z
    .enum(["auto", "keep", "off"])
    .default("auto")
    .describe(
      'Transmit checksum offload of the devices that send into this port (a veth\'s peer, an internal port\'s interface). "auto" (the default) turns it off on a bridge with datapath netdev, whose userspace datapath forwards such packets with their TCP/UDP checksums never filled in, and leaves it alone on the kernel datapath; "off" turns it off on any bridge; "keep" never touches it. Updates in place.',
    ),
  namespace: nsName()
    .optional()
    .describe("Move the port's interface into this namespace after creating it (internal ports only)."),
  up: z
    .boolean()
    .default(true)
    .describe("Set the port's kernel interface up (system and internal ports). Defaults to true."),
});

/** Inputs that belong to one port type only. */
const typeRules: Array<Rule<z.output<typeof portFields>>> = [
  {
    reads: ["type", "peer"],
    check(p, fail) {
      if (p.type === "patch" && !p.peer) fail(["peer"], 'is required when type is "patch"');
      if (p.type !== "patch" && p.peer) fail(["peer"], 'is only for type "patch"');
    },
  },
  {
    reads: ["type", "remoteIp", "key"],
    check(p, fail) {
      const tunnel = TUNNELS.includes(p.type);
      if (tunnel && !p.remoteIp) fail(["remoteIp"], `is required when type is "${p.type}"`);
      if (!tunnel && p.remoteIp) fail(["remoteIp"], "is only for tunnel types (vxlan, gre, geneve)");
      if (!tunnel && p.key) fail(["key"], "is only for tunnel types (vxlan, gre, geneve)");
    },
  },
  {
    reads: ["type", "namespace"],
    check(p, fail) {
      if (p.namespace && p.type !== "internal")
        fail(["namespace"], 'is only for type "internal" (OVS creates that interface, so it can move it)');
    },
  },
];

export const portSchema = withRules(portFields, typeRules);

export type PortInputs = z.output<typeof portSchema>;

/** Port types that have a kernel interface of their own to set up or down. */
export const hasDevice = (p: PortInputs) => p.type === "system" || p.type === "internal";
