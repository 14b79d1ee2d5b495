// Open vSwitch helpers shared by bridge and port: our ownership mark, value quoting, and OVSDB atom decoding.

/** The external_ids key that marks a bridge or port as created by pulumi-netns. */
export const MARK_KEY = "pulumi-netns";
export const MARK_VALUE = "managed";
export const MARK = `external_ids:${MARK_KEY}=${MARK_VALUE}`;

/** OVSDB string syntax is JSON's; quoting makes any value (spaces, quotes, '=') one atom. */
export const ovsString = (s: string) => JSON.stringify(s);

export type Row = Record<string, unknown>;

/** An OVSDB map value (["map", [[k, v], ...]]) as an object. */
export function ovsMap(v: unknown): Record<string, string> {
  const pairs = Array.isArray(v) && v[0] === "map" ? (v[1] as Array<[string, string]>) : [];
  return Object.fromEntries(pairs);
}

/** An OVSDB set or scalar as a list: ["set", [...]] or a single atom. */
export function ovsSet<T>(v: unknown): T[] {
  if (Array.isArray(v) && v[0] === "set") return v[1] as T[];
  return v === undefined ? [] : [v as T];
}

/** An optional scalar column (an empty set means unset). */
export function ovsOptional<T>(v: unknown): T | undefined {
  return ovsSet<T>(v)[0];
}
