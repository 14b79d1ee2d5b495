// Open vSwitch writes that arrive together run as one ovs-vsctl transaction: one database round trip and one switch
// reconfiguration for all of them, where each alone would wait for its own.
import { Batcher } from "../coalesce";
import { PerHost } from "../per-host";
import { RunResult, Runner } from "../transport/runner";
import { Prelude, afterPrelude, sendAfter } from "../writes/prelude";

interface Request {
  args: readonly string[];
  /** False when the write need not wait for the switch to apply it (`ovs-vsctl --no-wait`). */
  wait: boolean;
  /** What must run before it (a create's claim, writes/prelude.ts). */
  preludes: Prelude[];
  resolve: (r: RunResult) => void;
  reject: (e: unknown) => void;
}

const NO_WAIT = "--no-wait";

/** ovs-vsctl for these writes: it waits for the switch to apply them unless none of them needs that. */
const ovsVsctl = (batch: Request[]) => ["ovs-vsctl", ...(batch.some((b) => b.wait) ? [] : [NO_WAIT])];

/** Joins the writes of one batch into one transaction; when that fails, runs each alone. */
async function apply(runner: Runner, batch: Request[]): Promise<void> {
  const alone = (b: Request, preludes = b.preludes) =>
    sendAfter(runner, preludes, { argv: [...ovsVsctl([b]), ...b.args] }).then(b.resolve, b.reject);
  if (batch.length === 1) return alone(batch[0]);
  let result: RunResult;
  try {
    const argv = [...ovsVsctl(batch), ...batch.flatMap((b, i) => (i ? ["--", ...b.args] : b.args))];
    result = await sendAfter(
      runner,
      batch.flatMap((b) => b.preludes),
      { argv },
    );
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
  await Promise.all(batch.map((b) => alone(b, [])));
}

/**
 * How long a write waits for others to join its transaction: half as long as the host's last transaction took, at
 * most MAX_LINGER_MS. Each transaction costs the switch a reconfiguration whose time grows with the links on the host
 * (measured on the userspace datapath: 10 ms at 90 links, 200 ms at 2,000, 450 ms with 900 ports on the bridge), so
 * where transactions are slow, fewer and larger ones save more than the wait costs; where they are fast, the wait
 * is short too.
 */
export const lingerAfter = (lastMs: number) => Math.min(MAX_LINGER_MS, lastMs / 2);
const MAX_LINGER_MS = 250;

/** A host's batcher: it lingers after the host's last transaction as lingerAfter says. */
const batchers = new PerHost((runner) => {
  let lastMs = 0;
  return new Batcher<Request>(
    async (batch) => {
      const started = Date.now();
      await apply(runner, batch);
      lastMs = Date.now() - started;
    },
    () => lingerAfter(lastMs),
  );
});

/**
 * A runner that sends every `ovs-vsctl` argv through the batcher and everything else straight through. Give it
 * only ovs-vsctl commands that write and print nothing on stdout (add-port, del-port, set, clear), each with no
 * global option but a leading `--no-wait`, which the transaction keeps only if all of its writes have it.
 */
export function batchingOvsWrites(runner: Runner): Runner {
  const b = batchers.of(runner);
  const write = (args: readonly string[]) =>
    afterPrelude(
      runner,
      (preludes) =>
        new Promise<RunResult>((resolve, reject) => {
          const wait = args[0] !== NO_WAIT;
          b.add({ args: wait ? args : args.slice(1), wait, preludes, resolve, reject });
        }),
    );
  return {
    target: runner.target,
    run: (argv) => (argv[0] === "ovs-vsctl" ? write(argv.slice(1)) : runner.run(argv)),
    script: (text, inSession) => runner.script(text, inSession),
  };
}
