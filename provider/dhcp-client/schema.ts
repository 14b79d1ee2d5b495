// DhcpClient inputs.
import { z } from "zod";
import { ifName, nsName } from "../validation";

export const clientSchema = z.object({
  namespace: nsName().describe("The namespace the client runs in (e.g. red)."),
  interface: ifName().describe("The interface to configure from DHCP (e.g. eth0-r)."),
  timeout: z
    .number()
    .int()
    .min(1)
    .max(600)
    .default(30)
    .describe("Seconds to wait for a lease before create fails and cleans up. Defaults to 30."),
});

export type ClientInputs = z.output<typeof clientSchema>;
