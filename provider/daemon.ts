// Long-running processes the library starts in namespaces (dnsmasq, dhclient): liveness and stopping.
import { removeFilesArgv, writeFileScript } from "./rundir";
import { Runner, mustRun } from "./transport/runner";
import { waitUntil } from "./wait";

/** A pid is alive when it exists and is not a zombie (PID 1 here can be slow to reap orphans). */
export async function isAlive(runner: Runner, pid: number): Promise<boolean> {
  const r = await runner.run(["ps", "-o", "stat=", "-p", String(pid)]);
  return r.code === 0 && r.stdout.trim() !== "" && !r.stdout.trim().startsWith("Z");
}

/** The namespace a process runs in, or undefined for the host namespace or a dead process. */
export async function namespaceOf(runner: Runner, pid: number): Promise<string | undefined> {
  const r = await runner.run(["ip", "netns", "identify", String(pid)]);
  return r.code === 0 ? r.stdout.trim() || undefined : undefined;
}

/** The pid in a pid file when that process is alive; undefined otherwise. */
export async function livePid(runner: Runner, pidFile: string): Promise<number | undefined> {
  const pid = await readPid(runner, pidFile);
  return pid !== undefined && (await isAlive(runner, pid)) ? pid : undefined;
}

/** Reads a pid file; undefined when it is missing or holds no number. */
export async function readPid(runner: Runner, pidFile: string): Promise<number | undefined> {
  const r = await runner.run(["cat", pidFile]);
  const pid = Number(r.stdout.trim());
  return r.code === 0 && Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/**
 * A daemon as it runs now: its live pid, when that process is in `namespace`, and the text of its config file.
 * Undefined when it is dead, has left its namespace, or its config is gone: the next up starts it again.
 */
export async function runningDaemon(
  runner: Runner,
  files: { pidFile: string; configPath: string },
  namespace: string,
): Promise<{ pid: number; config: string } | undefined> {
  const pid = await livePid(runner, files.pidFile);
  if (pid === undefined || (await namespaceOf(runner, pid)) !== namespace) return undefined;
  const onDisk = await runner.run(["cat", files.configPath]);
  return onDisk.code === 0 ? { pid, config: onDisk.stdout } : undefined;
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

/** Stops the daemon its pid file names, if it runs, and removes its files (the pid file among them). */
export async function stopDaemon(runner: Runner, pidFile: string, files: readonly string[]): Promise<void> {
  const pid = await livePid(runner, pidFile);
  if (pid !== undefined) await stopProcess(runner, pid);
  await mustRun(runner, removeFilesArgv(files));
}
