// Neutron-style naming for components: UUID-shaped ids stable per project, stack and name, and 15-byte device names.
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";

/** A UUID-shaped id from the hash of its parts (Neutron's ids are UUIDs; ours are stable across runs). */
export function stableId(...parts: string[]): string {
  const h = createHash("sha256").update(parts.join("\n")).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** A component's id when the user gives none: stable for this project, stack, component kind and name. */
export const defaultId = (kind: string, name: string) => stableId(pulumi.getProject(), pulumi.getStack(), kind, name);

/** A device name as Neutron makes them: a prefix and the first 11 characters of the port's id (15 bytes at most). */
export const deviceName = (prefix: "tap" | "qr-" | "qg-", portId: string) => `${prefix}${portId.slice(0, 11)}`;

/** A component id: it names namespaces (qdhcp-<id>, qrouter-<id>), so it is a namespace name's tail. */
export const componentId = () =>
  z
    .string()
    .regex(
      /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,55}$/,
      "must be 1-56 letters, digits, '_', '-' or '.', not starting with '-' or '.'",
    );

/**
 * A component's plain arguments as their zod fields declare them, once (the fields' doc comments carry into the
 * type, as a kind's do into its args); arguments that are resources or Pulumi inputs stay in the args interface.
 */
export type PlainArgs<S extends z.ZodRawShape> = {
  [K in keyof z.input<z.ZodObject<S>>]: z.input<z.ZodObject<S>>[K];
};

/** Parses a component's plain arguments, failing with every property and rule named, before anything is made. */
export function parseArgs<S extends z.ZodType>(what: string, schema: S, args: unknown): z.output<S> {
  const r = schema.safeParse(args);
  if (r.success) return r.data;
  const problems = r.error.issues.map((i) => `${i.path.map(String).join(".") || "(args)"}: ${i.message}`);
  throw new Error(`${what}: ${problems.join("; ")}`);
}
