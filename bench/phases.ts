// Where a verb's time went, by resource kind: when each kind's calls ran and how long one took (bench/run.ts prints it).
import type { Operation } from "../engine/engine";

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
