// Address inputs.
import { z } from "zod";
import { cidr, ifName, nsName } from "../validation";

export const addressSchema = z.object({
  namespace: nsName().optional().describe("The namespace of the device. Defaults to the host namespace."),
  device: ifName().describe("The interface to put the address on."),
  cidr: cidr().describe("The address with its prefix length, IPv4 or IPv6 (e.g. 10.0.0.1/24, fd00::1/64)."),
  noDad: z
    .boolean()
    .default(false)
    .describe("IPv6 only: skip duplicate address detection, so the address is usable at once. Defaults to false."),
});

export type AddressInputs = z.output<typeof addressSchema>;
