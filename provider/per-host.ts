// State this process keeps per host: one value per runner, made on first use and dropped with the runner.
import { Runner } from "./transport/runner";

/** A value per runner (a host's batcher, its coalesced reader, its snapshots), made by `make` when first asked for. */
export class PerHost<V> {
  private readonly values = new WeakMap<Runner, V>();

  constructor(private readonly make: (runner: Runner) => V) {}

  of(runner: Runner): V {
    let value = this.values.get(runner);
    if (value === undefined) {
      value = this.make(runner);
      this.values.set(runner, value);
    }
    return value;
  }
}
