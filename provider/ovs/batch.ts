// Open vSwitch writes that arrive together run as one transaction (one of ovs-vsctl's, one of ovsdb-client's): one
// database round trip and one switch reconfiguration for all of them, where each alone would wait for its own.
import { Batcher } from "../coalesce";
import { PerHost } from "../per-host";
import { RunResult, Runner } from "../transport/runner";
import { Prelude, afterPrelude, sendAfter } from "../writes/prelude";
import { Op, joinOps, opsOf, transactArgv, transactResult } from "./ops";

interface Request {
  /** An ovs-vsctl write's arguments, or... */
  args?: readonly string[];
  /** ...an ovsdb-client write's operations (ops.ts). */
  ops?: Op[];
  /** False when the write need not wait for the switch to apply it (`ovs-vsctl --no-wait`; every ovsdb-client write). */
  wait: boolean;
  /** What must run before it (a create's claim, writes/prelude.ts). */
  preludes: Prelude[];
  resolve: (r: RunResult) => void;
  reject: (e: unknown) => void;
}

const NO_WAIT = "--no-wait";

/** How writes of one client join into one transaction, and what its result says. */
interface Client {
  argv(batch: Request[]): string[];
  result(r: RunResult): RunResult;
}

const vsctl: Client = {
  // It waits for the switch to apply the writes unless none of them needs that.
  argv: (batch) => [
    "ovs-vsctl",
    ...(batch.some((b) => b.wait) ? [] : [NO_WAIT]),
    ...batch.flatMap((b, i) => (i ? ["--", ...b.args!] : b.args!)),
  ],
  result: (r) => r,
};

const ovsdb: Client = { argv: (batch) => transactArgv(joinOps(batch.map((b) => b.ops!))), result: transactResult };

/** Joins one client's writes of a batch into one transaction; when that fails, runs each alone. */
async function applyWith(client: Client, runner: Runner, batch: Request[]): Promise<void> {
  const alone = (b: Request, preludes = b.preludes) =>
    sendAfter(runner, preludes, { argv: client.argv([b]) })
      .then(client.result)
      .then(b.resolve, b.reject);
  if (batch.length === 1) return alone(batch[0]);
  let result: RunResult;
  try {
    const preludes = batch.flatMap((b) => b.preludes);
    result = client.result(await sendAfter(runner, preludes, { argv: client.argv(batch) }));
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

/** A batch's ovs-vsctl writes as one transaction, and its ovsdb-client writes as another, side by side. */
async function apply(runner: Runner, batch: Request[]): Promise<void> {
  const [viaOps, viaVsctl] = [batch.filter((b) => b.ops), batch.filter((b) => !b.ops)];
  await Promise.all([
    viaVsctl.length ? applyWith(vsctl, runner, viaVsctl) : undefined,
    viaOps.length ? applyWith(ovsdb, runner, viaOps) : undefined,
  ]);
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
 * A runner that sends every `ovs-vsctl` argv, and every ovsdb-client write from ops.ts `transactArgv` (a transaction
 * that selects nothing), through the batcher, and everything else straight through. Give it only ovs-vsctl commands
 * that write and print nothing on stdout (add-port, del-port, set, clear), each with no global option but a leading
 * `--no-wait`, which the transaction keeps only if all of its writes have it.
 */
export function batchingOvsWrites(runner: Runner): Runner {
  const b = batchers.of(runner);
  const write = (request: Pick<Request, "args" | "ops" | "wait">) =>
    afterPrelude(
      runner,
      (preludes) => new Promise<RunResult>((resolve, reject) => b.add({ ...request, preludes, resolve, reject })),
    );
  return {
    target: runner.target,
    run: (argv) => {
      const ops = opsOf(argv);
      // A read (a select) goes straight through: joined, its rows would come back among other writes' results.
      if (ops) return ops.some((o) => o.op === "select") ? runner.run(argv) : write({ ops, wait: false });
      if (argv[0] !== "ovs-vsctl") return runner.run(argv);
      const wait = argv[1] !== NO_WAIT;
      return write({ args: argv.slice(wait ? 1 : 2), wait });
    },
    script: (text, inSession) => runner.script(text, inSession),
  };
}
