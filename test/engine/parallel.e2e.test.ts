// 200 resources at parallelism 64 against sshd's defaults (MaxSessions 10, MaxStartups 10:30:100): no failures.
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { EngineOptions } from "../../engine/engine";
import { REPO, benchOptions, cleanUp, engine } from "../../lab/harness";
import { RUN_PREFIX } from "../../lab/access";

describe("many resources at high parallelism (e2e)", function () {
  this.timeout(300_000);
  const P = `${RUN_PREFIX.slice(0, -1)}p-`;
  let options: EngineOptions;

  before(() => {
    const config = readFileSync(join(REPO, ".lab", "main.sshd_config"), "utf8");
    assert.doesNotMatch(config, /MaxSessions|MaxStartups/, "the lab sshd keeps OpenSSH's defaults");
    options = { ...benchOptions(P, "parallel", 50), parallel: 64 };
  });
  after(() => cleanUp(options, P));

  it("creates, refreshes and destroys 201 resources with zero failures", async () => {
    const up = await engine("up", options);
    assert.equal(up.counts.create, 201);
    // The benchmark's figures (bench/run.ts): calls are in flight for some of the span from the first to the last.
    assert.ok(up.operationSeconds > 0, `in flight ${up.operationSeconds} s`);
    assert.ok(
      up.operationSpanSeconds >= up.operationSeconds && up.operationSpanSeconds < up.wallSeconds,
      `span ${up.operationSpanSeconds} s, in flight ${up.operationSeconds} s, wall ${up.wallSeconds} s`,
    );
    assert.equal((await engine("refresh", options)).counts.same, 201);
    assert.equal((await engine("destroy", options)).counts.delete, 201);
  });
});
