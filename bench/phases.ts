// Where a verb's time went: by resource kind, when each kind's calls ran and how long one took; and how busy the step
// generator's one-at-a-time chain of Checks and Diffs was (bench/run.ts prints both).
import type { Operation, Turn } from "../engine/engine";

export interface Phase {
  /** The kind: the type token's last part (`Namespace` of `pulumi-nodejs:dynamic/netns:Namespace`). */
  kind: string;
  count: number;
  /** From the verb's first call's start to this kind's first start and last end, in seconds. */
  fromS: number;
  toS: number;
  medianMs: number;
  p90Ms: number;
  maxMs: number;
}

/** The value at or below which `share` of the (ascending) `sorted` values lie, by nearest rank. */
function rank(sorted: number[], share: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)];
}

/** One phase per kind, in the order the kinds first started. */
export function phases(operations: readonly Operation[]): Phase[] {
  const sorted = [...operations].sort((a, b) => a.startMs - b.startMs);
  const t0 = sorted[0]?.startMs ?? 0;
  const byKind = new Map<string, Operation[]>();
  for (const o of sorted) {
    const kind = o.type.slice(o.type.lastIndexOf(":") + 1);
    if (!byKind.has(kind)) byKind.set(kind, []);
    byKind.get(kind)!.push(o);
  }
  return [...byKind].map(([kind, os]) => {
    const took = os.map((o) => o.endMs - o.startMs).sort((a, b) => a - b);
    return {
      kind,
      count: os.length,
      fromS: (os[0].startMs - t0) / 1000,
      toS: (os.reduce((end, o) => Math.max(end, o.endMs), 0) - t0) / 1000,
      medianMs: rank(took, 0.5),
      p90Ms: rank(took, 0.9),
      maxMs: took[took.length - 1],
    };
  });
}

/** `Namespace 200 at 0.00-7.92 s (median 174, p90 644, max 2340 ms); ...` */
export function phasesText(operations: readonly Operation[]): string {
  return phases(operations)
    .map(
      (p) =>
        `${p.kind} ${p.count} at ${p.fromS.toFixed(2)}-${p.toS.toFixed(2)} s ` +
        `(median ${p.medianMs}, p90 ${p.p90Ms}, max ${p.maxMs} ms)`,
    )
    .join("; ");
}

/** The step generator's chain over a verb: how long it was busy, what one turn took, how long registrations waited. */
export interface Chain {
  turns: number;
  /** The turns' time added up, and the time from the first turn asked for to the last one ended, in seconds. */
  busyS: number;
  spanS: number;
  medianMs: number;
  p90Ms: number;
  /** How long a registration waited for its turn. */
  waitMedianMs: number;
  waitP90Ms: number;
}

/** The chain's figures; undefined for a verb that took no turn (destroy, refresh). */
export function chain(turns: readonly Turn[]): Chain | undefined {
  if (!turns.length) return undefined;
  const took = turns.map((t) => t.endMs - t.startMs).sort((a, b) => a - b);
  const waited = turns.map((t) => t.startMs - t.askedMs).sort((a, b) => a - b);
  const first = Math.min(...turns.map((t) => t.askedMs));
  const last = Math.max(...turns.map((t) => t.endMs));
  return {
    turns: turns.length,
    busyS: took.reduce((a, b) => a + b, 0) / 1000,
    spanS: (last - first) / 1000,
    medianMs: rank(took, 0.5),
    p90Ms: rank(took, 0.9),
    waitMedianMs: rank(waited, 0.5),
    waitP90Ms: rank(waited, 0.9),
  };
}

/** `801 turns, busy 3.10 of 4.00 s (78%), a turn median 2.10 ms (p90 6.00), waited for median 900 ms (p90 1800)` */
export function chainText(c: Chain): string {
  return (
    `${c.turns} turns, busy ${c.busyS.toFixed(2)} of ${c.spanS.toFixed(2)} s (${Math.round((100 * c.busyS) / c.spanS)}%), ` +
    `a turn median ${c.medianMs.toFixed(2)} ms (p90 ${c.p90Ms.toFixed(2)}), waited for median ` +
    `${c.waitMedianMs.toFixed(0)} ms (p90 ${c.waitP90Ms.toFixed(0)})`
  );
}
