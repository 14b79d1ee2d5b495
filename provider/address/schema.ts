// Address fields: the inputs, each with its doc and what a change to it means (every change replaces).
import { z } from "zod";
import { replaces } from "../dynamic/fields";
import { cidr, ifName, nsName } from "../validation";

export const addressFields = {
  /** The namespace of the device. Defaults to the host namespace. */
  namespace: replaces(nsName().optional()),
  /** The interface to put the address on. */
  device: replaces(ifName()),
  /** The address with its prefix length, IPv4 or IPv6 (e.g. 10.0.0.1/24, fd00::1/64). */
  cidr: replaces(cidr()),
  /** IPv6 only: skip duplicate address detection, so the address is usable at once. Defaults to false. */
  noDad: replaces(z.boolean().default(false)),
};

/** Address computes nothing beyond its inputs. */
export const addressOutputs = {};

export const addressSchema = z.object(addressFields);

export type AddressInputs = z.output<typeof addressSchema>;
