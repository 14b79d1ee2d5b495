// Long-running processes the library starts in namespaces (dnsmasq, dhclient, haproxy, Process): liveness, identity, stopping.
import { removeFilesArgv, writeFileScript } from "../rundir";
import { framedScript, parseFrames } from "../shell/frames";
import { quote } from "../shell/quote";
import { Runner, mustRun } from "../transport/runner";
import { waitUntil } from "../wait";

/** A pid is alive when it exists and is not a zombie (PID 1 here can be slow to reap orphans). */
export async function isAlive(runner: Runner, pid: number): Promise<boolean> {
  const r = await runner.run(["ps", "-o", "stat=", "-p", String(pid)]);
  return r.code === 0 && r.stdout.trim() !== "" && !r.stdout.trim().startsWith("Z");
}

/** Reads a pid file; undefined when it is missing or holds no number. */
export async function readPid(runner: Runner, pidFile: string): Promise<number | undefined> {
  const r = await runner.run(["cat", pidFile]);
  const pid = Number(r.stdout.trim());
  return r.code === 0 && Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/**
 * One look at the process the pid file names: prints its pid, its namespace (an empty line for none) and its
 * /proc stat line (nothing once it is gone). Prints nothing without a pid file holding a number.
 */
export function identifyScript(pidFile: string): string {
  return [
    `pid=$(cat ${quote(pidFile)} 2>/dev/null) || exit 0`,
    'case "$pid" in ""|*[!0-9]*) exit 0;; esac',
    'echo "$pid"',
    'ip netns identify "$pid" 2>/dev/null | head -n 1 | grep . || echo',
    'cat "/proc/$pid/stat" 2>/dev/null; true',
  ].join("\n");
}

/** What identifyScript saw: the pid and, while it is alive, its command, namespace, session and start time. */
export interface Identity {
  pid: number;
  alive: boolean;
  /** The process's command name as the kernel keeps it (at most 15 bytes), e.g. "dnsmasq". */
  command?: string;
  namespace?: string;
  session?: number;
  /** Clock ticks from boot to the process's start: with the pid, what tells it from a later one given that pid. */
  startTime?: string;
}

export function parseIdentity(out: string): Identity | undefined {
  const [pidLine, ns, ...rest] = out.split("\n");
  const pid = Number(pidLine);
  if (!pidLine || !Number.isInteger(pid) || pid <= 0) return undefined;
  // The command's name (in parentheses) may hold any character: the fields start after the last ")".
  const stat = rest.join("\n");
  const close = stat.lastIndexOf(")");
  if (close < 0) return { pid, alive: false };
  // fields[0] is stat's field 3 (the state), so field N is fields[N - 3]: session is 6, start time 22.
  const fields = stat
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  return {
    pid,
    alive: fields[0] !== "Z" && fields[0] !== "X",
    command: stat.slice(stat.indexOf("(") + 1, close),
    namespace: ns || undefined,
    session: Number(fields[3]),
    startTime: fields[19],
  };
}

/** The process a pid file names, as identifyScript sees it in one round trip; undefined without a pid file. */
export const identify = async (runner: Runner, pidFile: string): Promise<Identity | undefined> =>
  parseIdentity((await runner.script(identifyScript(pidFile))).stdout);

/**
 * True when the pid file names a live `command`: a pid file that outlived its daemon (a crash, or a reboot of a host
 * whose run directory persists) may name a pid the kernel has since given to a stranger, which is never ours.
 */
export const isDaemon = (id: Identity | undefined, command: string): id is Identity =>
  !!id?.alive && id.command === command;

/** The pid in a pid file when that process is alive and runs `command` (one round trip); undefined otherwise. */
export async function livePid(runner: Runner, pidFile: string, command: string): Promise<number | undefined> {
  const id = await identify(runner, pidFile);
  return isDaemon(id, command) ? id.pid : undefined;
}

/**
 * A daemon as it runs now: its live pid, when that process runs `command` in `namespace`, and the text of its
 * config file. Undefined when it is dead, a stranger has its pid, it has left its namespace, or its config is gone
 * (a reboot empties /run): the next up starts it again.
 */
export async function runningDaemon(
  runner: Runner,
  files: { pidFile: string; configPath: string },
  namespace: string,
  command: string,
): Promise<{ pid: number; config: string } | undefined> {
  const parts = [
    { label: "process", script: identifyScript(files.pidFile) },
    { label: "config", script: `cat ${quote(files.configPath)}` },
  ];
  const [look, config] = parseFrames(
    await runner.script(framedScript(parts, { subshell: true, separateStderr: true })),
  );
  const id = parseIdentity(look?.stdout ?? "");
  if (!isDaemon(id, command) || id.namespace !== namespace || config?.code !== 0) return undefined;
  return { pid: id.pid, config: config.stdout };
}

/**
 * TERM to what `left` lists, a wait of up to `graceMs` for it to list nothing, then KILL to whatever is still
 * there. Returns once nothing is left; nothing to stop is success.
 */
export async function terminate(
  runner: Runner,
  what: string,
  left: () => Promise<number[]>,
  graceMs = 3000,
): Promise<void> {
  const first = await left();
  if (first.length === 0) return;
  const gone = async () => (await left()).length === 0;
  await runner.run(["kill", "-TERM", ...first.map(String)]);
  try {
    await waitUntil(what, gone, graceMs);
  } catch {
    const rest = await left();
    if (rest.length) await runner.run(["kill", "-KILL", ...rest.map(String)]);
    await waitUntil(`${what} after KILL`, gone);
  }
}

/** Stops one process (TERM, then KILL after `graceMs`). */
export const stopProcess = (runner: Runner, pid: number, graceMs = 3000) =>
  terminate(runner, `process ${pid}`, async () => ((await isAlive(runner, pid)) ? [pid] : []), graceMs);

/**
 * Writes a daemon's config, runs the command that starts it (one that returns once the daemon serves, or fails),
 * and returns the pid the daemon wrote to `pidFile`.
 */
export async function startDaemon(
  runner: Runner,
  what: string,
  config: { path: string; text: string },
  argv: readonly string[],
  pidFile: string,
): Promise<number> {
  await mustRun(runner, ["sh", "-c", writeFileScript(config.path, config.text)]);
  await mustRun(runner, argv);
  const pid = await readPid(runner, pidFile);
  if (pid === undefined) throw new Error(`${what} started but wrote no pid file ${pidFile}`);
  return pid;
}

/**
 * Stops the daemon its pid file names, if that runs `command` (a stranger with its pid is left alone), and removes
 * its files (the pid file among them).
 */
export async function stopDaemon(
  runner: Runner,
  command: string,
  pidFile: string,
  files: readonly string[],
): Promise<void> {
  const pid = await livePid(runner, pidFile, command);
  if (pid !== undefined) await stopProcess(runner, pid);
  await mustRun(runner, removeFilesArgv(files));
}
