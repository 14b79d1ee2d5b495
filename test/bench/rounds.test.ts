// Unit tests for bench/rounds.ts: the up's ratios from one round measured back to back, and their medians.
import { strict as assert } from "node:assert";
import { Round, inRoundOrder, median, medians, overFloor, ratios, ratiosText, roundText } from "../../bench/rounds";

const round = (over: Partial<Round> = {}): Round => ({
  floorUp: 2,
  floorDown: 10,
  up: 7,
  upWall: 13,
  recoveryWall: 10.4,
  destroy: 4,
  noopUp: 3,
  noopUpWall: 10,
  ...over,
});

describe("bench rounds: the up's ratios measured back to back", () => {
  it("gives each target's ratio from one round's seconds", () => {
    assert.equal(overFloor(7, 3, 2), 2);
    assert.deepEqual(ratios(round()), { up_over_floor: 2, destroy_ratio: 0.4, up_wall_ratio: 1.3, reboot_ratio: 0.8 });
    // The ideal provider's up over the same no-op and floor, when the round measured it.
    assert.deepEqual(ratios(round({ ideal: 4 })).ideal_over_floor, 0.5);
  });

  it("runs every other round's parts in the reverse order, and leaves the list it was given as it was", () => {
    const parts = ["floor", "ours", "no-op"];
    assert.deepEqual(inRoundOrder(0, parts), ["floor", "ours", "no-op"]);
    assert.deepEqual(inRoundOrder(1, parts), ["no-op", "ours", "floor"]);
    assert.deepEqual(inRoundOrder(2, parts), ["floor", "ours", "no-op"]);
    assert.deepEqual(parts, ["floor", "ours", "no-op"]);
  });

  it("takes the middle value, or the mean of the two middle ones, whatever the order", () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([5]), 5);
    assert.throws(() => median([]), /no values/);
  });

  it("gives each ratio's median over the rounds, so that one slow round does not decide it", () => {
    // The second round's up ran on a machine gone slow: its ratio is the outlier the median leaves out. The third's
    // recovery did, and the reboot's ratio compares it with the same round's up only.
    const rounds = [
      round({ up: 6, recoveryWall: 6.5 }),
      round({ up: 13, upWall: 20, recoveryWall: 15 }),
      round({ up: 7, destroy: 5, recoveryWall: 19.5 }),
    ];
    assert.deepEqual(medians(rounds), { up_over_floor: 2, destroy_ratio: 0.4, up_wall_ratio: 1.3, reboot_ratio: 0.75 });
  });

  it("gives the ideal's median only when every round measured it", () => {
    assert.equal(medians([round({ ideal: 4 }), round({ ideal: 5 }), round({ ideal: 6 })]).ideal_over_floor, 1);
    assert.equal(medians([round({ ideal: 4 }), round()]).ideal_over_floor, undefined);
  });

  it("prints a round's ratios and the seconds they came from, and ratios as a list", () => {
    assert.equal(
      roundText(1, round({ ideal: 4 })),
      "round 2  up_over_floor 2.00 (ideal 0.50), destroy_ratio 0.40, up_wall_ratio 1.30, reboot_ratio 0.80: floor up " +
        "2.00 + down 10.00 s, our up 7.00 s in flight (wall 13.00), after a reboot up --refresh wall 10.40 s, destroy " +
        "4.00 s, no-op up 3.00 s (wall 10.00), ideal up 4.00 s",
    );
    assert.doesNotMatch(roundText(0, round()), /ideal/);
    assert.equal(
      ratiosText(ratios(round({ ideal: 4 }))),
      "up_over_floor 2.00, destroy_ratio 0.40, up_wall_ratio 1.30, reboot_ratio 0.80, ideal_over_floor 0.50",
    );
  });
});
