// diff: compares old state with new inputs through the kind's per-field table; pure, no host access.
import { isDeepStrictEqual } from "node:util";
import { AnyDefinition } from "./definition";
import { diffTable } from "./fields";

export interface DiffResult {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
}

/** Connection fields that point at another machine: the object there is a different object. */
const CONNECTION_IDENTITY = ["host", "port"] as const;

function connectionReplaces(olds: unknown, news: unknown): boolean {
  const o = (olds ?? {}) as Record<string, unknown>;
  const n = (news ?? {}) as Record<string, unknown>;
  if ((olds == null) !== (news == null)) return true;
  return CONNECTION_IDENTITY.some((k) => !isDeepStrictEqual(o[k], n[k]));
}

export function diffInputs(
  def: AnyDefinition,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): DiffResult {
  const replaces: string[] = [];
  let changes = false;
  for (const [key, change] of Object.entries(diffTable(def.schema.shape))) {
    if (isDeepStrictEqual(olds[key], news[key])) continue;
    changes = true;
    if (change === "replace") replaces.push(key);
  }
  // A new owner (the resource was renamed or moved under another parent) is re-marked in place.
  if (olds.owner !== news.owner) changes = true;
  // What a read found undone beneath the object (definition.ts, State.drift) is put back in place by the next up.
  if (Array.isArray(olds.drift) && olds.drift.length) changes = true;
  if (!isDeepStrictEqual(olds.connection, news.connection)) {
    changes = true;
    if (connectionReplaces(olds.connection, news.connection)) replaces.push("connection");
  }
  return { changes, replaces, deleteBeforeReplace: replaces.length > 0 && def.deleteBeforeReplace };
}
