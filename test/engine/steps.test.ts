// The harness decides one registration's steps at a time, as the Go engine's step generator does: Check and Diff calls
// never overlap, while the creates they lead to run side by side up to --parallel. Touches no host, needs no lab.
import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runEngine, EngineOptions } from "../../engine/engine";

describe("engine harness: one registration's steps at a time", function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "pn-steps-test-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("never overlaps Check or Diff calls, and runs the creates side by side up to the parallelism", async () => {
    const report = join(dir, "counts.json");
    const o: EngineOptions = {
      projectDir: join(__dirname, "programs", "serial-steps"),
      stack: "steps",
      statePath: join(dir, "state.json"),
      config: { count: "12", report },
      secretConfig: [],
      parallel: 4,
      log: () => undefined,
    };
    const counts = () => JSON.parse(readFileSync(report, "utf8")) as Record<string, number>;
    try {
      // Twelve resources that depend on nothing register together: each Check waits 20 ms, each create 150 ms.
      const up = await runEngine("up", o);
      assert.deepEqual(up.errors, []);
      assert.equal(up.counts.create, 12);
      const created = counts();
      assert.equal(created.maxSteps, 1, "Check calls overlapped");
      assert.ok(created.maxCreates > 1 && created.maxCreates <= 4, `creates at once: ${created.maxCreates}`);
      // A preview against the state: Check and Diff for each, still one at a time.
      rmSync(report);
      const preview = await runEngine("preview", o);
      assert.deepEqual(preview.errors, []);
      assert.equal(preview.counts.same, 12);
      assert.equal(counts().maxSteps, 1, "Check or Diff calls overlapped");
    } finally {
      await runEngine("destroy", o);
    }
  });
});
