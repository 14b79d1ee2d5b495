// A resource's fields, declared once: a shape of zod schemas whose doc comments document the inputs and outputs, each
// marked with what a change to it means. Args, outputs, the registered names and the diff table derive from it.
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";

/** How a changed input is applied: in place, or by replacing the object. */
export type Change = "update" | "replace";

/** A shape of inputs or outputs: field name to zod schema, each property carrying its doc comment. */
export type Shape = z.ZodRawShape;

/** Marks an input whose change replaces the object (outermost call, so nothing wraps the mark away). */
export const replaces = <T extends z.ZodType>(schema: T): T => schema.meta({ change: "replace" });

/** Marks an input whose change is applied in place. */
export const updates = <T extends z.ZodType>(schema: T): T => schema.meta({ change: "update" });

/**
 * Marks an input that had another name before: a program may still give it under `old`, and the resource keeps an
 * output of that name with the same value (docs/ARCHITECTURE.md, "Renamed inputs"). Wraps the change mark.
 */
export const formerly = <T extends z.ZodType>(old: string, schema: T): T =>
  schema.meta({ ...z.globalRegistry.get(schema), formerly: old });

const renames = new WeakMap<Shape, Readonly<Record<string, string>>>();

/** A shape's renamed inputs: old name to current name. Made once per shape, as every check and read asks for it. */
export function oldNames(shape: Shape): Readonly<Record<string, string>> {
  const known = renames.get(shape);
  if (known) return known;
  const names: Record<string, string> = {};
  for (const [key, schema] of Object.entries(shape)) {
    const old = z.globalRegistry.get(schema)?.formerly;
    if (typeof old === "string") names[old] = key;
  }
  renames.set(shape, Object.freeze(names));
  return names;
}

/** The renamed inputs given under both names, as [old, current] pairs: an error, wherever it is found. */
export const givenTwice = (shape: Shape, props: Record<string, unknown>): [string, string][] =>
  Object.entries(oldNames(shape)).filter(([was, now]) => props[was] !== undefined && props[now] !== undefined);

/**
 * Props with every old name moved to its current one (state written before a rename, or inputs of a program that
 * still uses the old name); a value under the current name wins. Returns a copy.
 */
export function currentNames(shape: Shape, props: Record<string, unknown>): Record<string, unknown> {
  const out = { ...props };
  for (const [old, now] of Object.entries(oldNames(shape))) {
    if (out[now] === undefined && out[old] !== undefined) out[now] = out[old];
    delete out[old];
  }
  return out;
}

/** Outputs with each old name carrying the value of its current one, as programs written before a rename read them. */
export function withOldNames(shape: Shape, outs: Record<string, unknown>): Record<string, unknown> {
  const out = { ...outs };
  for (const [old, now] of Object.entries(oldNames(shape))) out[old] = out[now];
  return out;
}

const tables = new WeakMap<Shape, Record<string, Change>>();

/**
 * The diff table of a shape: every field must be marked, or the kind is refused when it is defined. Made once per
 * shape, as every diff asks for it.
 */
export function diffTable(shape: Shape): Record<string, Change> {
  const known = tables.get(shape);
  if (known) return known;
  const table: Record<string, Change> = {};
  for (const [key, schema] of Object.entries(shape)) {
    const change = z.globalRegistry.get(schema)?.change;
    if (change !== "update" && change !== "replace")
      throw new Error(`field "${key}" is not marked with replaces() or updates()`);
    table[key] = change;
  }
  tables.set(shape, table);
  return table;
}

/**
 * A value as a program may pass it: the value, a promise or an output, down to each array element and object
 * field. Not distributive, so an Output<boolean> is a valid boolean input.
 */
export type InputOf<T> = [T] extends [readonly (infer E)[]]
  ? pulumi.Input<InputOf<E>[]>
  : [T] extends [Record<string, unknown>]
    ? pulumi.Input<{ [K in keyof T]: InputOf<Exclude<T[K], undefined>> }>
    : pulumi.Input<T>;

/** The args of a resource: its input fields as Pulumi inputs, optional where the schema is (mapped, so docs carry). */
export type ArgsOf<S extends Shape> = {
  [K in keyof z.input<z.ZodObject<S>>]: InputOf<Exclude<z.input<z.ZodObject<S>>[K], undefined>>;
};

type Values<S extends Shape> = z.output<z.ZodObject<S>>;

/**
 * The outputs of a resource: every input as checked (defaults applied; `undefined` only where the input is optional
 * and has no default), then what create computes, which wins where a name is in both.
 */
export type OutputsOf<S extends Shape, C extends Shape> = {
  readonly [K in keyof Values<S> as K extends keyof C ? never : K]-?: pulumi.Output<Values<S>[K]>;
} & { readonly [K in keyof Values<C>]-?: pulumi.Output<Values<C>[K]> };

/**
 * Args with one input under its current name or its old one (`Old`: an interface of that one key, whose doc says it
 * is the old name); giving both is refused when the resource is made.
 */
export type RenamedArgs<A, Now extends keyof A, Old> = Omit<A, Now> & (Pick<A, Now> | Old);

/** The input `device` under its old name (DhcpServer, DhcpClient). */
export interface FormerInterfaceArg {
  /**
   * The old name of `device`, still accepted: give `device` instead (not both).
   * @deprecated
   */
  interface: pulumi.Input<string>;
}

/** The output `device` under its old name, for programs written before the rename. */
export interface FormerInterfaceOutput {
  /**
   * The old name of `device`: the same value.
   * @deprecated
   */
  readonly interface: pulumi.Output<string>;
}

/** The names a resource registers as outputs: Pulumi exposes only the names it was registered with. */
export const outputNames = (fields: Shape, computed: Shape): string[] => [
  ...new Set([...Object.keys(fields), ...Object.keys(oldNames(fields)), ...Object.keys(computed)]),
];

/** Whether ignoreChanges may keep an old value of input `key` (the whole input, a part of it, or everything). */
const mayKeepOld = (key: string, ignoreChanges: string[] = []) =>
  ignoreChanges.some((p) => p === "*" || p === key || p.startsWith(`${key}.`) || p.startsWith(`${key}[`));

/** What a field's schema makes of an input left unset (its default, or undefined), once per schema. */
const whenUnset = new WeakMap<z.ZodType, { ok: boolean; value: unknown }>();
function unsetValue(schema: z.ZodType): { ok: boolean; value: unknown } {
  let known = whenUnset.get(schema);
  if (!known) {
    const parsed = schema.safeParse(undefined);
    known = { ok: parsed.success, value: parsed.success ? parsed.data : undefined };
    whenUnset.set(schema, known);
  }
  return known;
}

/**
 * The inputs the program left unset whose value every up knows beforehand, with that value: the field's default, or
 * undefined where it has none; not computed by create, not kept by ignoreChanges. The resource gives each as a value
 * derived from its URN rather than registering it as an output: the SDK resolves a registered output that the state
 * lacks as unknown in every preview, so a resource passed an unset one would show as changed in each one, and every
 * registered output costs the program four promises (docs/ARCHITECTURE.md, "Layers").
 */
export function staysKnown(
  fields: Shape,
  computed: Shape,
  args: Record<string, unknown>,
  ignoreChanges?: string[],
): Map<string, unknown> {
  const known = new Map<string, unknown>();
  for (const [key, schema] of Object.entries(fields)) {
    if (args[key] !== undefined || key in computed || mayKeepOld(key, ignoreChanges)) continue;
    const unset = unsetValue(schema as z.ZodType);
    if (unset.ok) known.set(key, unset.value);
  }
  return known;
}
