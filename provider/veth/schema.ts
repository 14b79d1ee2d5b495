// VethPair fields: the inputs, each with its doc and what a change to it means, and what create computes.
import { z } from "zod";
import { replaces, updates } from "../dynamic/fields";
import { withRules } from "../dynamic/rules";
import { ifName, mac, nsName } from "../validation";

export const vethFields = {
  /** The name of the first end (max 15 characters). */
  name: replaces(ifName()),
  /** The name of the other end (max 15 characters). */
  peerName: replaces(ifName()),
  /** The namespace of the first end. Defaults to the host namespace. */
  namespace: replaces(nsName().optional()),
  /** The namespace of the other end. Defaults to the host namespace. */
  peerNamespace: replaces(nsName().optional()),
  /** The MTU of both ends (68-65535). */
  mtu: updates(z.number().int().min(68).max(65535).optional()),
  /** The MAC address of the first end. Defaults to a random one. */
  macAddress: updates(mac().optional()),
  /** The MAC address of the other end. Defaults to a random one. */
  peerMacAddress: updates(mac().optional()),
  /** Set both ends up (the pair owns both link flags; an OvsPort on one end leaves its flag alone). Defaults to true. */
  up: updates(z.boolean().default(true)),
};

export const vethOutputs = {
  /** The first end's MAC address as the kernel reports it. */
  mac: z.string(),
  /** The other end's MAC address as the kernel reports it. */
  peerMac: z.string(),
};

export const vethSchema = withRules(z.object(vethFields), [
  {
    reads: ["name", "peerName", "namespace", "peerNamespace"],
    check(v, fail) {
      if (v.name === v.peerName && v.namespace === v.peerNamespace)
        fail(["peerName"], "must differ from name when both ends are in the same namespace");
    },
  },
]);

export type VethInputs = z.output<typeof vethSchema>;
