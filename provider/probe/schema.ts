// Probe fields: where a connectivity check starts, what it reaches for, what it must see, and what it saw.
import { z } from "zod";
import { replaces, updates } from "../dynamic/fields";
import { Rule, withRules } from "../dynamic/rules";
import { ipAddress, nsName } from "../validation";

/** What a probe can observe; "gone" is never observed: a probe whose namespace is gone reads as gone. */
export const OBSERVATIONS = ["reach", "blocked", "refused"] as const;

export const probeFields = {
  /** The namespace the probe starts from (e.g. `red.name`). */
  namespace: replaces(nsName()),
  /** The address it reaches for, IPv4 or IPv6 (e.g. a server's address, a floating IP, a VIP). */
  target: replaces(ipAddress()),
  /**
   * "icmp": an echo request answered; "tcp": a completed handshake with `port`; "udp": a datagram of at least one
   * byte back from `target`'s `port` after the probe sent one (a service that answers nothing reads as blocked).
   */
  protocol: replaces(z.enum(["icmp", "tcp", "udp"]).default("icmp")),
  /** The TCP or UDP port (1-65535); tcp and udp only. */
  port: replaces(z.number().int().min(1, "must be 1 to 65535").max(65535, "must be 1 to 65535").optional()),
  /**
   * What must be seen: "reach" (an answer), "blocked" (no answer at all within the timeout: a firewall that drops,
   * another VLAN, no route) or "refused" (the target or a router on the way said no: a TCP reset, an ICMP port or
   * host unreachable). A closed port is never taken for a firewall, nor the other way round.
   */
  expect: updates(z.enum(OBSERVATIONS).default("reach")),
  /** How long one attempt waits for an answer, in milliseconds (100-60000). */
  timeoutMs: updates(
    z.number().int().min(100, "must be 100 to 60000").max(60000, "must be 100 to 60000").default(1000),
  ),
  /**
   * Attempts before the observation counts (1-30): create, refresh and up retry while what they see differs from
   * `expect`, since daemons may still be starting. The default outlasts a neighbour entry that still names the MAC
   * of a device made again (a server's port replaced): Linux probes such an entry again after about 8 s.
   */
  attempts: updates(z.number().int().min(1, "must be 1 to 30").max(30, "must be 1 to 30").default(10)),
};

export const probeOutputs = {
  /** What the last probe saw: "reach", "blocked" or "refused". */
  observed: z.enum(OBSERVATIONS),
  /**
   * The round trip of the answer in milliseconds, when there was one ("reach"): ping's own figure for icmp; for tcp
   * and udp, from the attempt's start to the answer, the probe's own start inside the namespace included.
   */
  rttMs: z.number().optional(),
  /** The device the namespace's route to `target` leaves by (`ip route get`), when it has one. */
  device: z.string().optional(),
  /** The next hop of that route, when it is not `target` itself. */
  via: z.string().optional(),
};

const portRule: Rule<z.output<z.ZodObject<typeof probeFields>>> = {
  reads: ["protocol", "port"],
  check(p, fail) {
    if (p.protocol !== "icmp" && p.port === undefined) fail(["port"], `is required when protocol is "${p.protocol}"`);
    if (p.protocol === "icmp" && p.port !== undefined) fail(["port"], 'is only for protocol "tcp" or "udp"');
  },
};

export const probeSchema = withRules(z.object(probeFields), [portRule]);

export type ProbeInputs = z.output<typeof probeSchema>;
export type Observation = (typeof OBSERVATIONS)[number];
