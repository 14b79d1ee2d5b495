// Cross-field rules that say which fields they read, so check can run each one as soon as those fields are known.
import { z } from "zod";

type Fail = (path: ReadonlyArray<string | number>, message: string) => void;

export interface Rule<T> {
  /** The fields the rule reads; during preview it runs once none of them is unknown. */
  reads: ReadonlyArray<keyof T & string>;
  check(value: T, fail: Fail): void;
}

const attached = new WeakMap<object, ReadonlyArray<Rule<never>>>();

/** The schema with its rules as one refinement (a whole parse runs them all); the rules stay readable by check. */
export function withRules<S extends z.ZodObject<z.ZodRawShape>>(schema: S, rules: ReadonlyArray<Rule<z.output<S>>>): S {
  const refined = schema.superRefine((value, ctx) => {
    for (const r of rules)
      r.check(value, (path, message) => ctx.addIssue({ code: "custom", path: [...path], message }));
  }) as S;
  attached.set(refined, rules as ReadonlyArray<Rule<never>>);
  return refined;
}

/**
 * Refuses a kind's schema that checks more than its fields and its rules (an object-level refine outside withRules):
 * check runs the rules itself rather than parsing the whole object again, so such a check would never run.
 */
export function assertRulesOnly(kind: string, schema: z.ZodObject<z.ZodRawShape>): void {
  const checks = schema._zod.def.checks?.length ?? 0;
  if (checks !== (attached.has(schema) ? 1 : 0))
    throw new Error(`${kind}: cross-field checks must be rules given to withRules (provider/dynamic/rules.ts)`);
}

/** Runs the rules whose fields are all known (and valid) on the parsed values; returns their failures. */
export function knownRules(
  schema: object,
  value: Record<string, unknown>,
  known: (key: string) => boolean,
): Array<{ path: Array<string | number>; message: string }> {
  const out: Array<{ path: Array<string | number>; message: string }> = [];
  for (const r of attached.get(schema) ?? []) {
    if (!r.reads.every(known)) continue;
    (r as Rule<Record<string, unknown>>).check(value, (path, message) => out.push({ path: [...path], message }));
  }
  return out;
}
