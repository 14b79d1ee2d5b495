// The benchmark's ideal provider (bench/noop-program with `burst`): one start of the script, and an up that cannot end
// before it does. Runs the no-op program through the engine harness; touches no host, needs no lab.
import { strict as assert } from "node:assert";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runEngine, EngineOptions } from "../../engine/engine";
import { REPO } from "../../lab/harness";

describe("bench ideal provider: the no-op program with a burst script", function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "pn-ideal-test-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs up with the script as the burst (2 hosts: 9 resources), then destroy; the up's summary. */
  async function upWith(script: string) {
    const burst = join(dir, "burst.sh");
    writeFileSync(burst, script);
    const o: EngineOptions = {
      projectDir: join(REPO, "bench", "noop-program"),
      stack: "ideal",
      statePath: join(dir, "state.json"),
      config: { hosts: "2", namePrefix: "pnideal-", burst },
      secretConfig: [],
      log: () => undefined,
    };
    const up = await runEngine("up", o);
    const destroy = await runEngine("destroy", o);
    assert.deepEqual(destroy.errors, []);
    return up;
  }

  it("starts the script once, at the first create, and the up returns only after the script has ended", async () => {
    // The script outlasts the nine no-op creates by far: were the last create not waiting, "done" would be missing.
    const started = join(dir, "started");
    const done = join(dir, "done");
    const up = await upWith(`echo x >> ${started}; sleep 2; echo x > ${done}`);
    assert.deepEqual(up.errors, []);
    assert.equal(up.counts.create, 9);
    assert.equal(existsSync(done), true, "the script had ended when the up returned");
    assert.equal(readFileSync(started, "utf8"), "x\n", "one start for the whole up");
  });

  it("fails the up on the last create when the script fails, naming the script and its exit", async () => {
    const up = await upWith("exit 3");
    assert.equal(up.errors.length, 1, up.errors.join("\n"));
    assert.match(up.errors[0], /burst\.sh: exit 3/);
    // Every other create went through: only the one that waits hears of the failure.
    assert.equal(up.counts.create, 8);
  });
});
