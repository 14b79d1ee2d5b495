// Resource operations: at most N at once, timed, and deletes in reverse dependency order.
import { runDag } from "./dag";
import type { Operation, Turn } from "./options";
import type { ResourceState } from "./state";

/** Bounds resource operations at once, and measures the time during which any was in flight. */
export class Operations {
  private running = 0;
  private queue: Array<() => void> = [];
  private since = 0;
  busyMs = 0;
  /** When the first call started and the last one ended (0 before any). */
  firstMs = 0;
  lastMs = 0;

  constructor(private readonly limit: number) {}

  private inFlight = 0;
  readonly done: Operation[] = [];

  /** A create, read, update or delete of a resource of `type`: at most `limit` at once. */
  async run<T>(type: string, f: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((r) => this.queue.push(r));
    this.running++;
    const startMs = Date.now();
    try {
      return await this.track(f);
    } finally {
      this.done.push({ type, startMs, endMs: Date.now() });
      this.running--;
      this.queue.shift()?.();
    }
  }

  /** Any provider call (Check and Diff too, which OneAtATime orders): counted in the busy time, not bounded here. */
  async track<T>(f: () => Promise<T>): Promise<T> {
    if (this.inFlight++ === 0) this.since = Date.now();
    this.firstMs ||= this.since;
    try {
      return await f();
    } finally {
      this.lastMs = Date.now();
      if (--this.inFlight === 0) this.busyMs += this.lastMs - this.since;
    }
  }
}

/**
 * Runs work one piece at a time, in the order it was asked for: the Go engine's step generator, which handles one
 * registration at a time, so that its Check and Diff calls never overlap (docs/ARCHITECTURE.md, "The engine harness").
 */
export class OneAtATime {
  private tail: Promise<unknown> = Promise.resolve();
  /** Each piece's turn, in the order they ended: while the chain is busy, the registrations behind it wait. */
  readonly turns: Turn[] = [];

  run<T>(f: () => Promise<T>): Promise<T> {
    const askedMs = performance.now();
    const result = this.tail.then(async () => {
      const startMs = performance.now();
      try {
        return await f();
      } finally {
        this.turns.push({ askedMs, startMs, endMs: performance.now() });
      }
    });
    // The next waits for this one to settle, whether it succeeded or not.
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/** Deletes in reverse dependency order: a resource goes only after everything that depends on it, children first. */
export async function inReverseOrder(
  targets: readonly ResourceState[],
  parallel: number,
  work: (r: ResourceState) => Promise<void>,
): Promise<Map<string, Error>> {
  const urns = new Set(targets.map((t) => t.urn));
  const dependents = new Map<string, string[]>();
  for (const t of targets)
    for (const d of [...t.dependencies, t.parent])
      if (urns.has(d)) dependents.set(d, [...(dependents.get(d) ?? []), t.urn]);
  return runDag(
    targets,
    (t) => t.urn,
    (t) => dependents.get(t.urn) ?? [],
    parallel,
    work,
  );
}
