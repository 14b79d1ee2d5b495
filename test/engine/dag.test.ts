// runDag: dependency order, the parallelism bound, skipping dependents of a failure, cycles.
import { strict as assert } from "node:assert";
import { runDag } from "../../engine/dag";

type Node = { k: string; deps: string[] };
const nodes = (spec: Record<string, string[]>): Node[] => Object.entries(spec).map(([k, deps]) => ({ k, deps }));

describe("engine/dag", () => {
  it("runs each item after its dependencies, never above the limit", async () => {
    const started: string[] = [];
    const done = new Set<string>();
    let running = 0;
    let peak = 0;
    const graph = nodes({ a: [], b: ["a"], c: ["a"], d: ["b", "c"], e: [], f: [], g: [] });
    const failed = await runDag(
      graph,
      (n) => n.k,
      (n) => n.deps,
      2,
      async (n) => {
        for (const d of n.deps) assert.ok(done.has(d), `${n.k} after ${d}`);
        started.push(n.k);
        peak = Math.max(peak, ++running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        done.add(n.k);
      },
    );
    assert.equal(failed.size, 0);
    assert.equal(started.length, 7);
    assert.equal(peak, 2);
  });

  it("skips what depends on a failure and runs the rest", async () => {
    const ran: string[] = [];
    const failed = await runDag(
      nodes({ a: [], b: ["a"], c: ["b"], d: [] }),
      (n) => n.k,
      (n) => n.deps,
      4,
      async (n) => {
        ran.push(n.k);
        if (n.k === "a") throw new Error("boom");
      },
    );
    assert.deepEqual(ran.sort(), ["a", "d"]);
    assert.equal(failed.get("a")?.message, "boom");
    assert.match(failed.get("b")!.message, /skipped: a failed/);
    assert.match(failed.get("c")!.message, /skipped: b failed/);
  });

  it("reports a cycle instead of hanging", async () => {
    const failed = await runDag(
      nodes({ a: ["b"], b: ["a"], c: [] }),
      (n) => n.k,
      (n) => n.deps,
      4,
      async () => undefined,
    );
    assert.deepEqual([...failed.keys()].sort(), ["a", "b"]);
  });
});
