// Unit tests for engine/operations.ts OneAtATime: the step generator's order, one piece of work at a time.
import { strict as assert } from "node:assert";
import { OneAtATime } from "../../engine/operations";

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("engine OneAtATime", () => {
  it("runs each piece only after the one asked for before it has ended, in the order asked", async () => {
    const q = new OneAtATime();
    const log: string[] = [];
    const piece = (name: string, ms: number) =>
      q.run(async () => {
        log.push(`${name} start`);
        await tick(ms);
        log.push(`${name} end`);
        return name;
      });
    // The first takes longest: were they run at once, the others would end first.
    assert.deepEqual(await Promise.all([piece("a", 30), piece("b", 1), piece("c", 10)]), ["a", "b", "c"]);
    assert.deepEqual(log, ["a start", "a end", "b start", "b end", "c start", "c end"]);
    // Each turn timed: asked for at once, each begun only once the one before it had ended.
    assert.equal(q.turns.length, 3);
    const [a, b, c] = q.turns;
    assert.ok(a.endMs - a.startMs >= 25, `a's turn took ${a.endMs - a.startMs} ms`);
    assert.ok(b.startMs >= a.endMs && c.startMs >= b.endMs);
    assert.ok(c.startMs - c.askedMs >= 30, `c waited ${c.startMs - c.askedMs} ms for its turn`);
  });

  it("gives a failure to its own caller and goes on with the next", async () => {
    const q = new OneAtATime();
    const failed = q.run(async () => {
      await tick(5);
      throw new Error("check failed");
    });
    const next = q.run(async () => "next ran");
    await assert.rejects(failed, /check failed/);
    assert.equal(await next, "next ran");
    // A failed turn is timed too.
    assert.equal(q.turns.length, 2);
  });
});
