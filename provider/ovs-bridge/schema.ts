// OvsBridge fields: the inputs, each with its doc and what a change to it means.
import { z } from "zod";
import { replaces, updates } from "../dynamic/fields";
import { MARK_KEY, isReservedKey } from "../ovs/table";
import { ifName } from "../validation";

export const bridgeFields = {
  /** The bridge name (it is also a kernel interface, so max 15 characters). */
  name: replaces(ifName()),
  /**
   * "system" (kernel datapath, OVS's default) or "netdev" (userspace; needed where the kernel has no openvswitch
   * module). A Host's `datapathType` output says which one works there.
   */
  datapathType: updates(z.enum(["system", "netdev"]).default("system")),
  /** What the bridge does without a controller: "standalone" (act as a learning switch) or "secure". */
  failMode: updates(z.enum(["standalone", "secure"]).optional()),
  /** Extra external_ids on the bridge record (string to string). */
  externalIds: updates(
    z
      .record(
        z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, "keys must be 1-64 letters, digits, '_', '-' or '.'"),
        z.string().max(1024),
      )
      .default({})
      .refine(
        (m) => !Object.keys(m).some(isReservedKey),
        `keys starting with "${MARK_KEY}" are reserved for the library's ownership marks`,
      ),
  ),
};

/** OvsBridge computes nothing beyond its inputs. */
export const bridgeOutputs = {};

export const bridgeSchema = z.object(bridgeFields);

export type BridgeInputs = z.output<typeof bridgeSchema>;
