// State this process keeps per host: one value per host's runner, made on first use and dropped with the runner.
import { Runner, baseRunner } from "./transport/runner";

/**
 * A value per host (a host's batcher, its coalesced reader, its snapshots), made by `make` when first asked for. A
 * wrapping runner (a refresh's snapshot reader, a create's prelude) shares the value of the runner it wraps, and
 * `make` is given that one.
 */
export class PerHost<V> {
  private readonly values = new WeakMap<Runner, V>();

  constructor(private readonly make: (runner: Runner) => V) {}

  of(runner: Runner): V {
    const host = baseRunner(runner);
    let value = this.values.get(host);
    if (value === undefined) {
      value = this.make(host);
      this.values.set(host, value);
    }
    return value;
  }
}
