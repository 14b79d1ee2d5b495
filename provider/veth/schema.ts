// VethPair inputs.
import { z } from "zod";
import { ifName, mac, nsName } from "../validation";

export const vethSchema = z
  .object({
    name: ifName().describe("The name of the first end (max 15 characters)."),
    peerName: ifName().describe("The name of the other end (max 15 characters)."),
    namespace: nsName().optional().describe("The namespace of the first end. Defaults to the host namespace."),
    peerNamespace: nsName().optional().describe("The namespace of the other end. Defaults to the host namespace."),
    mtu: z.number().int().min(68).max(65535).optional().describe("The MTU of both ends (68-65535)."),
    macAddress: mac().optional().describe("The MAC address of the first end. Defaults to a random one."),
    peerMacAddress: mac().optional().describe("The MAC address of the other end. Defaults to a random one."),
    up: z.boolean().default(true).describe("Set both ends up. Defaults to true."),
  })
  .refine((v) => v.name !== v.peerName || v.namespace !== v.peerNamespace, {
    message: "must differ from name when both ends are in the same namespace",
    path: ["peerName"],
  });

export type VethInputs = z.output<typeof vethSchema>;
