// One up on lab hosts A, B and C works on all three at once: each host's Process is ready only when every host's
// has started, so the up succeeds only if their creates (each over its own host's SSH pool) overlap.
import { strict as assert } from "node:assert";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { runEngine } from "../../engine/engine";
import { REPO, engine, labHostsOptions } from "../../lab/harness";
import { RUN_PREFIX, lab, onHost } from "../../lab/access";
import { sweepHost } from "../../lab/sweep";

const P = RUN_PREFIX;
const markers = `/tmp/${P}once-`;
const options = (extra: Record<string, string> = {}) =>
  labHostsOptions(join(REPO, "test", "engine", "programs", "hosts-at-once"), "once", `/tmp/${P}once.json`, {
    markerPrefix: markers,
    ...extra,
  });

describe("one up on several hosts at once (e2e, lab hosts A, B, C)", function () {
  this.timeout(180_000);
  const hosts = lab().hosts;
  const clearMarkers = () => hosts.forEach((h) => rmSync(`${markers}${h.name}`, { force: true }));

  afterEach(async () => {
    await runEngine("destroy", options()).catch(() => undefined);
    rmSync(options().statePath, { force: true });
    clearMarkers();
    for (const h of hosts) sweepHost(h, P);
  });

  it("creates every host's process while the others' are being created: ready on all three", async () => {
    const s = await engine("up", options());
    assert.equal(s.counts.create, 6);
    for (const h of hosts) {
      assert.ok(existsSync(`${markers}${h.name}`), `host ${h.name}'s process started`);
      // Listening on its own host, in its own namespace: the sockets the processes opened there.
      assert.match(onHost(h, `ip netns exec ${P}once ss -Htln 'sport = :8080'`), /LISTEN/, `host ${h.name}`);
    }
  });

  it("cannot succeed one host at a time (control: the same up with one operation at a time fails)", async () => {
    const s = await runEngine("up", { ...options({ readyTimeoutMs: "3000" }), parallel: 1 });
    assert.match(s.errors.join("\n"), /was not listening on TCP port 8080 after 3000 ms/);
    assert.ok(s.counts.create < 6, "not everything was created");
  });
});
