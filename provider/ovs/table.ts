// Open vSwitch helpers shared by bridge and port: our ownership marks, value quoting, and OVSDB atom decoding.
import { Marks, markedByOther, ownerMark } from "../ownership/marks";

/** The external_ids key that marks a bridge or port as created by pulumi-netns... */
export const MARK_KEY = "pulumi-netns";
export const MARK_VALUE = "managed";
/** ...the one that names the resource that created it... */
export const OWNER_KEY = "pulumi-netns-owner";
/** ...and the one that names which create of that resource made it (ownership/marks.ts). */
export const GENERATION_KEY = "pulumi-netns-generation";

/** OVSDB string syntax is JSON's; quoting makes any value (spaces, quotes, '=') one atom. */
export const ovsString = (s: string) => JSON.stringify(s);

/** The external_ids that mark a record as ours, and as this resource's (and create's) when known. */
export function markPairs(m: Marks): Array<[string, string]> {
  return [
    [MARK_KEY, MARK_VALUE],
    ...(m.owner ? [[OWNER_KEY, ownerMark(m.owner)] as [string, string]] : []),
    ...(m.generation ? [[GENERATION_KEY, m.generation] as [string, string]] : []),
  ];
}

/** The marks as ovs-vsctl settings; a value is quoted only where it needs to be (the owner's URN). */
export const markSettings = (m: Marks): string[] =>
  markPairs(m).map(([k, v]) => `external_ids:${k}=${k === OWNER_KEY ? ovsString(v) : v}`);

/** True for a record pulumi-netns made, and made for this owner when one is given. */
export const isOurs = (externalIds: Record<string, string>, owner: string | undefined) =>
  externalIds[MARK_KEY] === MARK_VALUE && !markedByOther(externalIds[OWNER_KEY], owner);

/** True for a record whose owner mark names exactly this owner (an unmarked one is nobody's in particular). */
export const markedFor = (externalIds: Record<string, string>, owner: string) =>
  externalIds[MARK_KEY] === MARK_VALUE && externalIds[OWNER_KEY] === ownerMark(owner);

/** external_ids keys the program may not set: they carry the marks. */
export const isReservedKey = (key: string) => key.startsWith(MARK_KEY);

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
