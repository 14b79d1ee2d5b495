// Unit tests for bench/switch.ts: when the switch counts as idle after a verb.
import { strict as assert } from "node:assert";
import { idle } from "../../bench/switch";

describe("bench switch: idle after a verb", () => {
  // Cumulative CPU seconds, sampled every quarter second; idle is under a tenth of a core over the last second.
  const every = 0.25;

  it("is not idle before a whole second has been sampled, however quiet", () => {
    assert.equal(idle([5, 5, 5, 5], every), false);
    assert.equal(idle([5, 5, 5, 5, 5], every), true);
  });

  it("judges only the last second: busy before it does not count, busy within it does", () => {
    // 0.5 s of CPU in the first quarter, then 0.02 s over the last second.
    assert.equal(idle([1, 1.5, 1.5, 1.51, 1.51, 1.52], every), true);
    assert.equal(idle([1, 1.5, 1.5, 1.51, 1.51, 1.62], every), false);
  });

  it("draws the line at a tenth of a core: 0.09 s in the last second is idle, 0.11 s is not", () => {
    assert.equal(idle([0, 0, 0, 0, 0.09], every), true);
    assert.equal(idle([0, 0, 0, 0, 0.11], every), false);
  });

  it("takes the window and the share it is given", () => {
    assert.equal(idle([0, 0, 0.05], every, 2, 0.1), false);
    assert.equal(idle([0, 0, 0.04], every, 2, 0.1), true);
  });
});
