// Process host operations: start a command detached in a namespace, wait for it to be ready, read and stop it.
import { namespaceOf, readPid, terminate } from "../daemon";
import { ResourceDefinition } from "../dynamic/definition";
import { ExistsError } from "../idempotent";
import { removeFilesArgv } from "../rundir";
import { Runner, mustRun } from "../transport/runner";
import * as cmd from "./commands";
import { ProcessInputs, processSchema } from "./schema";

/** How long a command without `readyTcpPort` must stay up after start to count as started. */
const SETTLE_MS = 300;

const what = (p: ProcessInputs) => `process "${p.name}" in namespace "${p.namespace}"`;

/** The pid in the pid file when that process runs this command in this namespace; undefined otherwise. */
async function ownPid(runner: Runner, p: ProcessInputs): Promise<number | undefined> {
  const pid = await readPid(runner, cmd.processPaths(p).pidFile);
  if (pid === undefined) return undefined;
  const line = await runner.run(cmd.cmdlineArgv(pid));
  if (line.code !== 0 || !cmd.sameCommand(line.stdout, p.command)) return undefined;
  return (await namespaceOf(runner, pid)) === p.namespace ? pid : undefined;
}

/** Stops the command's session (everything it started) and removes its files. */
async function stopAndRemove(runner: Runner, p: ProcessInputs): Promise<void> {
  const f = cmd.processPaths(p);
  const pid = await readPid(runner, f.pidFile);
  // A live pid running something else is not ours (the pid was reused); a dead leader can leave children in
  // its session, and the kernel does not hand out a pid while a session of that id exists.
  const leader = pid === undefined ? undefined : await runner.run(cmd.cmdlineArgv(pid));
  if (pid !== undefined && (leader!.code !== 0 || cmd.sameCommand(leader!.stdout, p.command))) {
    const members = async () => cmd.parseSession((await runner.run(cmd.sessionArgv(pid))).stdout);
    await terminate(runner, what(p), members);
  }
  await mustRun(runner, removeFilesArgv([f.pidFile, f.logPath, f.envFile]));
}

/** Polls until the command runs (and listens, with readyTcpPort); throws with the log's last lines otherwise. */
async function awaitReady(runner: Runner, p: ProcessInputs): Promise<number> {
  const deadline = Date.now() + p.readyTimeoutMs;
  let upSince: number | undefined;
  for (let delay = 20; ; delay = Math.min(delay * 2, 200)) {
    const seen = cmd.parseProbe((await runner.script(cmd.probeScript(p))).stdout);
    if (seen.pid !== undefined && !seen.alive) throw await failure(runner, p, "exited as it started");
    if (seen.alive && seen.listening) {
      if (p.readyTcpPort !== undefined) return seen.pid!;
      upSince ??= Date.now();
      if (Date.now() - upSince >= SETTLE_MS) return seen.pid!;
    }
    if (Date.now() > deadline) {
      const why = seen.alive
        ? `was not listening on TCP port ${p.readyTcpPort} after ${p.readyTimeoutMs} ms`
        : `did not start within ${p.readyTimeoutMs} ms`;
      throw await failure(runner, p, why);
    }
    await new Promise((r) => setTimeout(r, delay));
  }
}

async function failure(runner: Runner, p: ProcessInputs, why: string): Promise<Error> {
  const tail = (await runner.run(cmd.tailArgv(p))).stdout.trimEnd();
  return new Error(`${what(p)} ${why}${tail ? `; the last lines of its output:\n${tail}` : " (it printed nothing)"}`);
}

export const processKind: ResourceDefinition<ProcessInputs> = {
  kind: "Process",
  schema: processSchema,
  deleteBeforeReplace: true,
  id: (p) => `${p.namespace}/${p.name}`,

  async create(runner, p) {
    if ((await ownPid(runner, p)) !== undefined) throw new ExistsError(what(p));
    try {
      const started = await runner.script(cmd.startScript(p));
      // The script's text holds the environment's values: the error names the process, not the script.
      if (started.code !== 0)
        throw new Error(`starting ${what(p)}: ${started.stderr.trim() || `exit code ${started.code}`}`);
      return { pid: await awaitReady(runner, p), logPath: cmd.processPaths(p).logPath };
    } catch (e) {
      await stopAndRemove(runner, p).catch(() => undefined);
      throw e;
    }
  },

  async read(runner, p) {
    const pid = await ownPid(runner, p);
    return pid === undefined ? undefined : { pid, logPath: cmd.processPaths(p).logPath };
  },

  // Only the readiness settings update in place, and they matter only at start.
  async update(runner, _olds, news) {
    const pid = await ownPid(runner, news);
    if (pid === undefined) throw new Error(`${what(news)} is not running: refresh, then up starts it again`);
    return { pid, logPath: cmd.processPaths(news).logPath };
  },

  delete: (runner, p) => stopAndRemove(runner, p),
};
