// DhcpClient fields: the inputs, each with its doc and what a change to it means, and what create computes.
import { z } from "zod";
import { formerly, replaces, updates } from "../dynamic/fields";
import { ifName, nsName } from "../validation";

export const clientFields = {
  /** The namespace the client runs in (e.g. red). */
  namespace: replaces(nsName()),
  /** The interface to configure from DHCP (e.g. eth0-r). Its old name `interface` is still accepted. */
  device: formerly("interface", replaces(ifName())),
  /** Seconds to wait for a lease before create fails and cleans up (1-600). Defaults to 30. */
  timeout: updates(z.number().int().min(1).max(600).default(30)),
};

export const clientOutputs = {
  /** The leased address with its prefix, e.g. 10.50.50.37/24. */
  address: z.string(),
  /** The router offered, if any. */
  gateway: z.string().optional(),
  /** The DNS servers offered, if any. */
  dnsServers: z.array(z.string()).optional(),
  /** dhclient's lease file. */
  leaseFile: z.string(),
  /** The dhclient process id. */
  pid: z.number(),
};

export const clientSchema = z.object(clientFields);

export type ClientInputs = z.output<typeof clientSchema>;
