// check: validates inputs with zod, names each failing property and rule, applies defaults, tolerates preview unknowns.
import type { z } from "zod";
import { connectionSchema } from "../connection";
import { AnyDefinition } from "./definition";
import { containsUnknown } from "./unknown";

export interface CheckFailure {
  property: string;
  reason: string;
}

function failures(issues: readonly z.core.$ZodIssue[], prefix: string[] = []): CheckFailure[] {
  return issues.map((i) => ({
    property: [...prefix, ...i.path].map(String).join(".") || "(inputs)",
    reason: i.message,
  }));
}

/** Returns the checked inputs (defaults applied) and any failures. Never touches the host. */
export function checkInputs(
  def: AnyDefinition,
  news: Record<string, unknown>,
): { inputs: Record<string, unknown>; failures: CheckFailure[] } {
  const out: Record<string, unknown> = {};
  const problems: CheckFailure[] = [];
  const shape = def.schema.shape;

  for (const key of Object.keys(news)) {
    if (key !== "__provider" && key !== "connection" && !(key in shape)) {
      problems.push({ property: key, reason: `unknown property; ${def.kind} takes ${Object.keys(shape).join(", ")}` });
    }
  }

  if (news.connection !== undefined) {
    if (containsUnknown(news.connection)) {
      out.connection = news.connection;
    } else {
      const parsed = connectionSchema.safeParse(news.connection);
      if (parsed.success) out.connection = parsed.data;
      else problems.push(...failures(parsed.error.issues, ["connection"]));
    }
  }

  // Field by field, so that one unknown value does not hide the others' defaults and errors.
  let unknowns = false;
  for (const [key, schema] of Object.entries(shape)) {
    const value = news[key];
    if (containsUnknown(value)) {
      unknowns = true;
      out[key] = value;
      continue;
    }
    const parsed = (schema as z.ZodType).safeParse(value);
    if (parsed.success) {
      if (parsed.data !== undefined) out[key] = parsed.data;
    } else {
      problems.push(...failures(parsed.error.issues, [key]));
    }
  }

  // Cross-field rules need every value, so they wait until none is unknown.
  if (!unknowns && problems.length === 0) {
    const whole = def.schema.safeParse(out);
    if (!whole.success) problems.push(...failures(whole.error.issues));
  }
  return { inputs: out, failures: problems };
}
