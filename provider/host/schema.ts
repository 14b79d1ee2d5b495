// Host fields: what the host must have, whether to install it, and what the host was found (or made) to have.
import { z } from "zod";
import { connectionSchema } from "../connection";
import { updates } from "../dynamic/fields";

/** What a program can need of a host, each a set of tools (commands.ts says which, from which Debian package). */
export const NEEDS = ["openvswitch", "dnsmasq", "dhclient", "nftables", "haproxy", "ping"] as const;
export type Need = (typeof NEEDS)[number];

export const hostFields = {
  /**
   * What the program uses on this host, beyond iproute2 (always needed): "openvswitch" (OvsBridge, OvsPort; also
   * a running Open vSwitch), "dnsmasq" (DhcpServer), "dhclient" (DhcpClient), "nftables" (Nat), "haproxy"
   * (Haproxy, LoadBalancer), "ping" (Probe with protocol icmp; minimal Debian images lack it). Defaults to the first
   * three.
   */
  needs: updates(
    z
      .array(z.enum(NEEDS))
      .default(["openvswitch", "dnsmasq", "dhclient"])
      .refine((a) => new Set(a).size === a.length, "lists an entry twice"),
  ),
  /**
   * Install missing Debian/Ubuntu packages (apt-get) and start Open vSwitch when it is not running (its systemd
   * service where systemd runs, else ovs-ctl). Without it, anything missing is one error naming the packages and
   * the commands that fix it. Delete never removes packages; it stops Open vSwitch only if this Host started it
   * and no bridge is left on it. Defaults to false.
   */
  install: updates(z.boolean().default(false)),
};

export const hostOutputs = {
  /** The OVS datapath that works here: "system" with the kernel's openvswitch module loaded, else "netdev". */
  datapathType: z.enum(["system", "netdev"]),
  /** The versions of the tools found, by command (ip, ovs-vsctl, dnsmasq, dhclient, nft, ethtool, ping). */
  versions: z.record(z.string(), z.string()),
  /** The Debian packages this Host installed (delete leaves them installed). */
  installed: z.array(z.string()),
  /** Whether this Host started Open vSwitch (and so may stop it on delete). */
  startedOpenvswitch: z.boolean(),
  /** How to reach the host, for other resources (kept secret); unset for this machine. Pass the Host as `host`. */
  connection: connectionSchema.optional(),
};

export const hostSchema = z.object(hostFields);

export type HostInputs = z.output<typeof hostSchema>;
