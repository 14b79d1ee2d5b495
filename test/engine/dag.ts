// Runs async work over a dependency graph with bounded parallelism; a failure skips everything that depends on it.

export async function runDag<T>(
  items: readonly T[],
  key: (t: T) => string,
  deps: (t: T) => readonly string[],
  limit: number,
  work: (t: T) => Promise<void>,
): Promise<Map<string, Error>> {
  const keys = new Set(items.map(key));
  const waiting = new Map(items.map((t) => [key(t), new Set(deps(t).filter((d) => keys.has(d) && d !== key(t)))]));
  const byKey = new Map(items.map((t) => [key(t), t]));
  const failed = new Map<string, Error>();
  const done = new Set<string>();
  let running = 0;

  return new Promise((resolve) => {
    const pump = (): void => {
      let progressed = false;
      for (const [k, blockers] of waiting) {
        if (running >= limit) break;
        const failedDep = [...blockers].find((b) => failed.has(b));
        if (failedDep) {
          waiting.delete(k);
          failed.set(k, new Error(`skipped: ${failedDep} failed`));
          done.add(k);
          progressed = true;
          continue;
        }
        if ([...blockers].some((b) => !done.has(b))) continue;
        waiting.delete(k);
        running++;
        progressed = true;
        work(byKey.get(k)!)
          .catch((e: Error) => failed.set(k, e))
          .finally(() => {
            running--;
            done.add(k);
            pump();
          });
      }
      if (running > 0) return;
      if (waiting.size === 0) return resolve(failed);
      if (progressed) return pump();
      for (const k of waiting.keys()) failed.set(k, new Error("skipped: dependency cycle"));
      resolve(failed);
    };
    pump();
  });
}
