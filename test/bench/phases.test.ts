// Unit tests for bench/phases.ts: a verb's provider calls summed up by resource kind, and the step generator's chain.
import { strict as assert } from "node:assert";
import { chain, chainText, phases, phasesText } from "../../bench/phases";
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

  it("sums up the step generator's chain: busy time over its span, a turn's time, a registration's wait", () => {
    // Three registrations asked for at once at 100 ms; the first begins 1 ms later, their turns take 2, 4 and 10 ms
    // one after another, and the chain stands idle for 3 ms between the second and the third.
    const turns = [
      { askedMs: 100, startMs: 101, endMs: 103 },
      { askedMs: 100, startMs: 103, endMs: 107 },
      { askedMs: 100, startMs: 110, endMs: 120 },
    ];
    const c = chain(turns)!;
    assert.deepEqual(c, {
      turns: 3,
      busyS: 0.016,
      spanS: 0.02,
      medianMs: 4,
      p90Ms: 10,
      waitMedianMs: 3,
      waitP90Ms: 10,
    });
    assert.equal(
      chainText(c),
      "3 turns, busy 0.02 of 0.02 s (80%), a turn median 4.00 ms (p90 10.00), waited for median 3 ms (p90 10)",
    );
    assert.equal(chain([]), undefined);
  });
});
