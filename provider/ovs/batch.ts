// Open vSwitch writes that arrive together run as one ovs-vsctl transaction: one database round trip and one switch
// reconfiguration for all of them, where each alone would wait for its own.
import { RunResult, Runner } from "../transport/runner";

interface Request {
  args: readonly string[];
  resolve: (r: RunResult) => void;
  reject: (e: unknown) => void;
}

class OvsBatcher {
  private queue: Request[] = [];
  private busy = false;

  constructor(private readonly runner: Runner) {}

  run(args: readonly string[]): Promise<RunResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ args, resolve, reject });
      if (!this.busy) this.schedule();
    });
  }

  private schedule(): void {
    this.busy = true;
    // One turn of the event loop lets writes issued together join the same transaction.
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    await this.apply(batch);
    if (this.queue.length) this.schedule();
    else this.busy = false;
  }

  private async apply(batch: Request[]): Promise<void> {
    const alone = (b: Request) => this.runner.run(["ovs-vsctl", ...b.args]).then(b.resolve, b.reject);
    if (batch.length === 1) return alone(batch[0]);
    let result: RunResult;
    try {
      result = await this.runner.run(["ovs-vsctl", ...batch.flatMap((b, i) => (i ? ["--", ...b.args] : b.args))]);
    } catch (e) {
      // Cut off: the transaction may or may not have committed, for every write in it.
      for (const b of batch) b.reject(e);
      return;
    }
    if (result.code === 0) {
      // Committed together. stderr may carry per-interface warnings; each caller picks out its own.
      for (const b of batch) b.resolve(result);
      return;
    }
    // OVSDB applied none of them: run each alone, so every caller gets its own result and error.
    await Promise.all(batch.map(alone));
  }
}

const batchers = new WeakMap<Runner, OvsBatcher>();

/**
 * A runner that sends every `ovs-vsctl` argv through the batcher and everything else straight through. Give it
 * only ovs-vsctl commands that write and print nothing on stdout (add-port, del-port, set, clear).
 */
export function batchingOvsWrites(runner: Runner): Runner {
  let batcher = batchers.get(runner);
  if (!batcher) {
    batcher = new OvsBatcher(runner);
    batchers.set(runner, batcher);
  }
  const b = batcher;
  return {
    target: runner.target,
    run: (argv) => (argv[0] === "ovs-vsctl" ? b.run(argv.slice(1)) : runner.run(argv)),
    script: (text) => runner.script(text),
  };
}
