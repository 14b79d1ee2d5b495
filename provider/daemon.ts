// Long-running processes the library starts in namespaces (dnsmasq, dhclient): liveness and stopping.
import { Runner } from "./transport/runner";
import { waitUntil } from "./transaction";

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

/** Reads a pid file; undefined when it is missing or holds no number. */
export async function readPid(runner: Runner, pidFile: string): Promise<number | undefined> {
  const r = await runner.run(["cat", pidFile]);
  const pid = Number(r.stdout.trim());
  return r.code === 0 && Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** TERM, wait up to `graceMs`, then KILL; returns once the process is gone. Already gone is success. */
export async function stopProcess(runner: Runner, pid: number, graceMs = 3000): Promise<void> {
  if (!(await isAlive(runner, pid))) return;
  await runner.run(["kill", "-TERM", String(pid)]);
  try {
    await waitUntil(`process ${pid}`, async () => !(await isAlive(runner, pid)), graceMs);
  } catch {
    await runner.run(["kill", "-KILL", String(pid)]);
    await waitUntil(`process ${pid} after KILL`, async () => !(await isAlive(runner, pid)));
  }
}
