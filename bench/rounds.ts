// The up's ratios from rounds measured back to back (bench/run.ts prints them): one round's figures, and the median.

/**
 * One round: the floor's script, our up, a reboot, our `up --refresh` and destroy, and the no-op program's up, each
 * right after the other, so that a machine that runs slower for a few minutes weighs on a round's every part alike.
 * In seconds.
 */
export interface Round {
  /** The floor's up and teardown (bench/run.ts floorLines). */
  floorUp: number;
  floorDown: number;
  /** Our up's provider calls in flight, and its wall time. */
  up: number;
  upWall: number;
  /** The wall time of our `up --refresh` after a simulated reboot (lab/reboot.ts) of the topology that up made. */
  recoveryWall: number;
  /** Our destroy's provider calls in flight. */
  destroy: number;
  /** The no-op program's up, from its first call to its last, and its wall time. */
  noopUp: number;
  noopUpWall: number;
  /** The ideal provider's up (first call to last), when the program runs on this machine. */
  ideal?: number;
}

/**
 * The parts of round `k` (from 0) in the order they run: every other round reverses them, so that a machine growing
 * slower or faster over the rounds weighs on each part alike.
 */
export const inRoundOrder = <T>(k: number, parts: readonly T[]): T[] => (k % 2 ? [...parts].reverse() : [...parts]);

/** The ratios of docs/PERFORMANCE.md's targets that one round gives. */
export interface RoundRatios {
  up_over_floor: number;
  destroy_ratio: number;
  up_wall_ratio: number;
  reboot_ratio: number;
  ideal_over_floor?: number;
}

/** How much longer than the no-op's an up took, in floor's ups: `up_over_floor`. */
export const overFloor = (up: number, noopUp: number, floorUp: number): number => (up - noopUp) / floorUp;

/** The ratios one round gives. */
export function ratios(r: Round): RoundRatios {
  return {
    up_over_floor: overFloor(r.up, r.noopUp, r.floorUp),
    destroy_ratio: r.destroy / r.floorDown,
    up_wall_ratio: r.upWall / r.noopUpWall,
    reboot_ratio: r.recoveryWall / r.upWall,
    ...(r.ideal !== undefined && { ideal_over_floor: overFloor(r.ideal, r.noopUp, r.floorUp) }),
  };
}

/** The middle value, or the mean of the two middle ones. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median of no values");
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Each ratio's median over the rounds; the ideal's only when every round measured it. */
export function medians(rounds: readonly Round[]): RoundRatios {
  const each = rounds.map(ratios);
  const of = (k: keyof RoundRatios) => median(each.map((r) => r[k] as number));
  return {
    up_over_floor: of("up_over_floor"),
    destroy_ratio: of("destroy_ratio"),
    up_wall_ratio: of("up_wall_ratio"),
    reboot_ratio: of("reboot_ratio"),
    ...(each.every((r) => r.ideal_over_floor !== undefined) && { ideal_over_floor: of("ideal_over_floor") }),
  };
}

/** Ratios as "name value" pairs, for a line. */
export const ratiosText = (r: RoundRatios): string =>
  Object.entries(r)
    .map(([k, v]: [string, number]) => `${k} ${v.toFixed(2)}`)
    .join(", ");

/** One line for a round: its ratios, then the seconds they came from. */
export function roundText(i: number, r: Round): string {
  const q = ratios(r);
  const f = (x: number) => x.toFixed(2);
  return (
    `round ${i + 1}  up_over_floor ${f(q.up_over_floor)}` +
    (q.ideal_over_floor !== undefined ? ` (ideal ${f(q.ideal_over_floor)})` : "") +
    `, destroy_ratio ${f(q.destroy_ratio)}, up_wall_ratio ${f(q.up_wall_ratio)}, reboot_ratio ${f(q.reboot_ratio)}: ` +
    `floor up ${f(r.floorUp)} + down ${f(r.floorDown)} s, our up ${f(r.up)} s in flight (wall ${f(r.upWall)}), ` +
    `after a reboot up --refresh wall ${f(r.recoveryWall)} s, destroy ${f(r.destroy)} s, no-op up ` +
    `${f(r.noopUp)} s (wall ${f(r.noopUpWall)})` +
    (r.ideal !== undefined ? `, ideal up ${f(r.ideal)} s` : "")
  );
}
