// Runs async work over a dependency graph with bounded parallelism; a failure skips everything that depends on it.

export async function runDag<T>(
  items: readonly T[],
  key: (t: T) => string,
  deps: (t: T) => readonly string[],
  limit: number,
  work: (t: T) => Promise<void>,
): Promise<Map<string, Error>> {
  const byKey = new Map(items.map((t) => [key(t), t]));
  const pending = new Map<string, number>(); // unfinished dependencies per item
  const dependents = new Map<string, string[]>();
  for (const t of items) {
    const k = key(t);
    const own = [...new Set(deps(t))].filter((d) => d !== k && byKey.has(d));
    pending.set(k, own.length);
    for (const d of own) dependents.set(d, [...(dependents.get(d) ?? []), k]);
  }
  const ready = items.map(key).filter((k) => pending.get(k) === 0);
  const failed = new Map<string, Error>();
  let running = 0;

  return new Promise((resolve) => {
    const finish = (k: string, error?: Error) => {
      if (error) failed.set(k, error);
      for (const d of dependents.get(k) ?? []) {
        if (error) {
          if (!failed.has(d)) finish(d, new Error(`skipped: ${k} failed`));
        } else {
          const left = pending.get(d)! - 1;
          pending.set(d, left);
          if (left === 0 && !failed.has(d)) ready.push(d);
        }
      }
    };
    const pump = (): void => {
      while (running < limit && ready.length) {
        const k = ready.shift()!;
        running++;
        work(byKey.get(k)!).then(
          () => done(k),
          (e: Error) => done(k, e),
        );
      }
      if (running === 0) {
        // Whatever never became ready sits on a cycle.
        for (const k of byKey.keys())
          if (pending.get(k)! > 0 && !failed.has(k)) failed.set(k, new Error("skipped: dependency cycle"));
        resolve(failed);
      }
    };
    const done = (k: string, error?: Error) => {
      running--;
      finish(k, error);
      pump();
    };
    pump();
  });
}
