// Processes started by hand in namespaces (not from the library's run directory): what adoption takes over and discover lists.
import { stopProcess } from "./daemon";
import { RUN_DIR } from "../rundir";
import { inNetns } from "../shell/netns";
import { quote, quoteArgv } from "../shell/quote";
import { Runner } from "../transport/runner";

/** A process in a named namespace, with its command line. */
export interface NsProcess {
  namespace: string;
  pid: number;
  argv: string[];
}

/**
 * Prints one line per process in the namespaces (every named one when none are given): its namespace, pid and
 * command line (NUL-separated, as base64, so that any byte survives). Kernel threads, with no command line, are left
 * out.
 */
export function processesScript(namespaces?: readonly string[]): string {
  const list = namespaces ? namespaces.map(quote).join(" ") : "$(ip netns list | cut -d' ' -f1)";
  return (
    `for n in ${list}; do for p in $(ip netns pids "$n" 2>/dev/null); do ` +
    `c=$(base64 -w0 < "/proc/$p/cmdline" 2>/dev/null) && [ -n "$c" ] && echo "$n $p $c"; done; done; true`
  );
}

export function parseProcesses(out: string): NsProcess[] {
  return out
    .split("\n")
    .map((line) => line.trim().split(" "))
    .filter((f) => f.length === 3 && /^\d+$/.test(f[1]))
    .map(([namespace, pid, c]) => ({
      namespace,
      pid: Number(pid),
      argv: Buffer.from(c, "base64").toString("utf8").replace(/\0$/, "").split("\0"),
    }));
}

/** The program a command line runs, without its directory (dnsmasq for /usr/sbin/dnsmasq). */
export const programOf = (argv: readonly string[]) => (argv[0] ?? "").split("/").pop() ?? "";

/** True for a process the library started: its command line names a file under the library's run directory. */
export const isLibrarys = (argv: readonly string[]) => argv.some((a) => a.includes(`${RUN_DIR}/`));

/** The processes running `program` in the namespace that the library did not start. */
export async function handStarted(runner: Runner, namespace: string, program: string): Promise<NsProcess[]> {
  const all = parseProcesses((await runner.script(processesScript([namespace]))).stdout);
  return all.filter((p) => programOf(p.argv) === program && !isLibrarys(p.argv));
}

/** How a process started by hand reads in a message: its pid and command line. */
export const describeHand = (p: NsProcess) => `pid ${p.pid}: ${quoteArgv(p.argv)}`;

/**
 * Stops a daemon started by hand and starts the library's own in its place (which may first carry over what the
 * stopped one left, such as leases). Should that fail, the library's is undone and the one started by hand runs
 * again with its own command line, so that a failed adoption leaves the host as it was (its pid aside).
 */
export async function replaceHandStarted<T>(
  runner: Runner,
  hand: NsProcess,
  startOurs: () => Promise<T>,
  undoOurs: () => Promise<void>,
): Promise<T> {
  await stopProcess(runner, hand.pid);
  try {
    return await startOurs();
  } catch (e) {
    await undoOurs().catch(() => undefined);
    const again = inNetns(hand.namespace, hand.argv);
    const r = await runner.script(`${quoteArgv(again)} </dev/null >/dev/null`);
    if (r.code !== 0 && e instanceof Error)
      e.message += `; starting the one started by hand again failed too (${quoteArgv(again)}: ${r.stderr.trim()})`;
    throw e;
  }
}
