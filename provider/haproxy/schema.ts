// Haproxy fields: listeners on a VIP, a pool of members, a balance algorithm and health checks; no free-form config.
import { z } from "zod";
import { replaces, updates } from "../dynamic/fields";
import { withRules } from "../dynamic/rules";
import { nsName, unicastIpv4 } from "../validation";

const port = () =>
  z.number().int().min(1, "must be a port from 1 to 65535").max(65535, "must be a port from 1 to 65535");

export const BALANCE = ["roundrobin", "leastconn", "source", "first"] as const;

/** One listener: a protocol and a port on the VIP. */
export const listenerFields = {
  /** "tcp" (the default) or "http". */
  protocol: z.enum(["tcp", "http"]).default("tcp"),
  /** The port on the VIP (1-65535). */
  port: port(),
};
// Typed by name, so declaration files keep the fields' doc comments where the Haproxy fields use them.
const listener: z.ZodObject<typeof listenerFields, z.core.$strict> = z.object(listenerFields).strict();

/** One pool member. */
export const memberFields = {
  /** The member's name in HAProxy's config and stats (letters, digits, '_', '-', '.'; up to 32). */
  name: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}$/, "must be 1-32 letters, digits, '_', '-' or '.'"),
  /** The member's address (e.g. an Instance's `ip`; the namespace's own loopback works too): a unicast address. */
  address: unicastIpv4(),
  /** The member's port (1-65535). */
  port: port(),
};
const member: z.ZodObject<typeof memberFields, z.core.$strict> = z.object(memberFields).strict();

/** Health checks of every member. */
export const healthCheckFields = {
  /** Milliseconds between checks (100-3600000). Defaults to 2000. */
  intervalMs: z.number().int().min(100).max(3_600_000).default(2000),
  /** Milliseconds a check may take (100-60000). Defaults to 1000. */
  timeoutMs: z.number().int().min(100).max(60_000).default(1000),
  /** Checks in a row that bring a member back (1-10). Defaults to 2. */
  rise: z.number().int().min(1).max(10).default(2),
  /** Checks in a row that take a member out (1-10). Defaults to 2. */
  fall: z.number().int().min(1).max(10).default(2),
};
const healthCheck: z.ZodObject<typeof healthCheckFields, z.core.$strict> = z.object(healthCheckFields).strict();

export const haproxyFields = {
  /** The namespace HAProxy runs in (e.g. a qlbaas- namespace). */
  namespace: replaces(nsName()),
  /** Names this HAProxy's files in the library's run directory (letters, digits, '_', '-', '.'; up to 32). */
  name: replaces(
    z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}$/, "must be 1-32 letters, digits, '_', '-' or '.'"),
  ),
  /** The address the listeners bind (the VIP); it must be on an interface in the namespace. */
  vip: updates(unicastIpv4()),
  /** The listeners: a protocol and a port each, at least one. */
  listeners: updates(z.array(listener).min(1).max(64)),
  /** The pool every listener balances over. */
  members: updates(z.array(member).max(256).default([])),
  /** How connections are spread: roundrobin (the default), leastconn, source or first. */
  balance: updates(z.enum(BALANCE, { message: `must be one of ${BALANCE.join(", ")}` }).default("roundrobin")),
  /** Health checks of the members. */
  healthCheck: updates(healthCheck.default({ intervalMs: 2000, timeoutMs: 1000, rise: 2, fall: 2 })),
};

export const haproxyOutputs = {
  /** The HAProxy process id. */
  pid: z.number(),
  /** The generated configuration file. */
  configPath: z.string(),
};

export const haproxySchema = withRules(z.object(haproxyFields), [
  {
    reads: ["listeners", "members"],
    check(h, fail) {
      h.listeners.forEach((l, i) => {
        if (h.listeners.findIndex((o) => o.port === l.port) !== i) fail(["listeners", i, "port"], "is listed twice");
      });
      h.members.forEach((m, i) => {
        if (h.members.findIndex((o) => o.name === m.name) !== i) fail(["members", i, "name"], "is listed twice");
      });
    },
  },
]);

export type HaproxyInputs = z.output<typeof haproxySchema>;
