// Short scripts that arrive together on one host share one round trip: each is one part of one framed script.
import { Batcher } from "../coalesce";
import { PerHost } from "../per-host";
import { removeEmptiedFilesScript } from "../rundir";
import { framedScript, parseFrames } from "../shell/frames";
import { RunResult, Runner } from "../transport/runner";
import { Prelude, afterPrelude, sendAfter } from "./prelude";

interface Request {
  text: string;
  /** A file the script may leave empty, to remove once the batch is done (removeEmptiedFilesScript). */
  emptied?: string;
  /** What must run before it (a create's claim, prelude.ts). */
  preludes: Prelude[];
  resolve: (r: RunResult) => void;
  reject: (e: unknown) => void;
}

/** The batch as one script; each part's own exit code, stdout and stderr, or an error for a part cut off. */
async function apply(host: Runner, batch: Request[]): Promise<void> {
  const emptied = batch.flatMap((r) => (r.emptied ? [r.emptied] : []));
  const preludes = batch.flatMap((r) => r.preludes);
  if (batch.length === 1 && !emptied.length)
    return sendAfter(host, preludes, { script: batch[0].text, inSession: true }).then(
      batch[0].resolve,
      batch[0].reject,
    );
  let result: RunResult;
  try {
    const parts = batch.map((r, i) => ({ label: String(i), script: r.text }));
    // No subshell, for the batch or per part (a fork each): the parts run in the host's session shell itself, as
    // batchingScripts requires of them. The files they emptied go in one `rm` at the end, not one each.
    const cleanup = emptied.length ? `\n${removeEmptiedFilesScript(emptied)}` : "";
    result = await sendAfter(host, preludes, {
      script: framedScript(parts, { separateStderr: true }) + cleanup,
      inSession: true,
    });
  } catch (e) {
    for (const r of batch) r.reject(e);
    return;
  }
  const framed = parseFrames(result);
  batch.forEach((r, i) => {
    const f = framed[i];
    if (f) r.resolve({ code: f.code, stdout: f.stdout, stderr: f.stderr });
    // The host ended the script early (killed, or the connection broke): this part may or may not have run.
    else r.reject(new Error("the batched script stopped before this part reported back"));
  });
}

const batchers = new PerHost((host) => new Batcher<Request>((batch) => apply(host, batch)));

/**
 * A runner whose scripts share one round trip with the other scripts given to such a runner for the same host at
 * the same time (the ownership records of creates that run together); commands run as usual. Only for short
 * scripts that never wait: every script in a batch waits for the whole batch. They run one after another in the
 * host's session shell itself (Runner.script's `inSession`), so none may `exit`, `exec`, `cd` or set options, and
 * each must set every variable it reads before it reads it. A script that may empty a file under the run directory
 * (truncating it, a builtin, where `rm` would start a process) names it as `emptied`: the batch removes it at its
 * end, once for all its scripts, unless a later script of the batch wrote to it again.
 */
export function batchingScripts(runner: Runner, emptied?: string): Runner {
  const b = batchers.of(runner);
  return {
    target: runner.target,
    run: (argv) => runner.run(argv),
    script: (text) =>
      afterPrelude(
        runner,
        (preludes) => new Promise<RunResult>((resolve, reject) => b.add({ text, emptied, preludes, resolve, reject })),
      ),
  };
}
