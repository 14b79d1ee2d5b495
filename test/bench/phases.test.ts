// Unit tests for bench/phases.ts: a verb's provider calls summed up by resource kind.
import { strict as assert } from "node:assert";
import { phases, phasesText } from "../../bench/phases";
import type { Operation } from "../../engine/engine";

const T = "pulumi-nodejs:dynamic/netns:";
const op = (type: string, startMs: number, endMs: number): Operation => ({ type: T + type, startMs, endMs });

describe("bench phases: a verb's calls by resource kind", () => {
  it("groups by kind in the order kinds first started, timed from the verb's first call", () => {
    // Given out of order, as calls end in any order.
    const ops = [op("VethPair", 1_500, 1_600), op("Namespace", 1_000, 1_100), op("Namespace", 1_050, 1_400)];
    assert.deepEqual(phases(ops), [
      { kind: "Namespace", count: 2, fromS: 0, toS: 0.4, medianMs: 100, p90Ms: 350, maxMs: 350 },
      { kind: "VethPair", count: 1, fromS: 0.5, toS: 0.6, medianMs: 100, p90Ms: 100, maxMs: 100 },
    ]);
  });

  it("takes the median and the 90th percentile by nearest rank, and the last end whichever call started last", () => {
    // Ten calls of 10..100 ms, all starting at once; the longest ends last.
    const ops = Array.from({ length: 10 }, (_, i) => op("OvsPort", 0, (10 - i) * 10));
    const [p] = phases(ops);
    assert.deepEqual([p.medianMs, p.p90Ms, p.maxMs, p.toS], [50, 90, 100, 0.1]);
  });

  it("says nothing for a verb without calls, and prints one clause per kind", () => {
    assert.deepEqual(phases([]), []);
    assert.equal(phasesText([]), "");
    assert.equal(
      phasesText([op("Address", 0, 53), op("OvsPort", 2_000, 2_222)]),
      "Address 1 at 0.00-0.05 s (median 53, p90 53, max 53 ms); OvsPort 1 at 2.00-2.22 s (median 222, p90 222, max 222 ms)",
    );
  });
});
