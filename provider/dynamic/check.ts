// check: validates inputs with zod, names each failing property and rule, applies defaults, tolerates preview unknowns.
import { z } from "zod";
import { connectionSchema } from "../connection";
import { ownerSchema } from "../ownership/marks";
import { AnyDefinition } from "./definition";
import { knownRules } from "./rules";
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

/** Inputs outside a kind's schema that every kind accepts. */
const COMMON = ["__provider", "connection", "owner", "adopt"];

/** The `adopt` input (resource.ts, WithConnection). */
const adoptSchema = z.boolean({ message: "must be true or false" });

/** Returns the checked inputs (defaults applied) and any failures. Never touches the host. */
export function checkInputs(
  def: AnyDefinition,
  news: Record<string, unknown>,
): { inputs: Record<string, unknown>; failures: CheckFailure[] } {
  const out: Record<string, unknown> = {};
  const problems: CheckFailure[] = [];
  const shape = def.schema.shape;

  for (const key of Object.keys(news)) {
    if (!COMMON.includes(key) && !(key in shape)) {
      problems.push({ property: key, reason: `unknown property; ${def.kind} takes ${Object.keys(shape).join(", ")}` });
    }
  }

  // Inputs every kind takes, checked the same way for all.
  for (const [key, schema] of [
    ["connection", connectionSchema],
    ["owner", ownerSchema],
    ["adopt", adoptSchema],
  ] as const) {
    // A Host on this machine has no connection: its output arrives as null.
    if (news[key] === undefined || news[key] === null) continue;
    if (containsUnknown(news[key])) {
      out[key] = news[key];
      continue;
    }
    const parsed = schema.safeParse(news[key]);
    if (parsed.success) out[key] = parsed.data;
    else problems.push(...failures(parsed.error.issues, [key]));
  }

  // Field by field, so that one unknown value does not hide the others' defaults and errors.
  const unsure = new Set<string>();
  for (const [key, schema] of Object.entries(shape)) {
    const value = news[key];
    if (containsUnknown(value)) {
      unsure.add(key);
      out[key] = value;
      continue;
    }
    const parsed = (schema as z.ZodType).safeParse(value);
    if (parsed.success) {
      if (parsed.data !== undefined) out[key] = parsed.data;
    } else {
      unsure.add(key);
      problems.push(...failures(parsed.error.issues, [key]));
    }
  }

  // Cross-field rules, each once its fields are known and valid: all of them when every field is (the fields were
  // parsed one by one above, so parsing the whole object again would only repeat that work; rules.ts).
  for (const f of knownRules(def.schema, out, (k) => !unsure.has(k)))
    problems.push({ property: f.path.map(String).join("."), reason: f.message });
  return { inputs: out, failures: problems };
}
