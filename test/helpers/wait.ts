// Waiting in tests for a condition, never for a fixed time: a probe polled until its value is what the test needs.
import { isDeepStrictEqual } from "node:util";

/**
 * Polls `probe` until `done` holds for its value, and returns that value. After `timeoutMs` it fails, naming `what`
 * and the last value seen (or the last error the probe threw), so a test that waited in vain says for what.
 */
export async function eventually<T>(
  what: string,
  probe: () => T | Promise<T>,
  done: (value: T) => boolean = Boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (let delay = 25; ; delay = Math.min(delay * 2, 500)) {
    try {
      const value = await probe();
      if (done(value)) return value;
      last = JSON.stringify(value);
    } catch (e) {
      last = (e as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s (last seen: ${last})`);
    await new Promise((r) => setTimeout(r, delay));
  }
}

/** Polls `probe` until its value deep-equals `expected`. */
export const until = <T>(what: string, probe: () => T | Promise<T>, expected: T, timeoutMs?: number): Promise<T> =>
  eventually(what, probe, (v) => isDeepStrictEqual(v, expected), timeoutMs);
