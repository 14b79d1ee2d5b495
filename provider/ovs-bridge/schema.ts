// OvsBridge inputs.
import { z } from "zod";
import { MARK_KEY, isReservedKey } from "../ovs/table";
import { ifName } from "../validation";

export const bridgeSchema = z.object({
  name: ifName().describe("The bridge name (it is also a kernel interface, so max 15 characters)."),
  datapathType: z
    .enum(["system", "netdev"])
    .default("system")
    .describe(
      '"system" (kernel datapath, OVS\'s default) or "netdev" (userspace; needed where the kernel has no openvswitch module).',
    ),
  failMode: z
    .enum(["standalone", "secure"])
    .optional()
    .describe('What the bridge does without a controller: "standalone" (act as a learning switch) or "secure".'),
  externalIds: z
    .record(
      z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, "keys must be 1-64 letters, digits, '_', '-' or '.'"),
      z.string().max(1024),
    )
    .default({})
    .refine(
      (m) => !Object.keys(m).some(isReservedKey),
      `keys starting with "${MARK_KEY}" are reserved for the library's ownership marks`,
    )
    .describe("Extra external_ids on the bridge record (string to string)."),
});

export type BridgeInputs = z.output<typeof bridgeSchema>;
