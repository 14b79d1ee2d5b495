// Process host operations: start a command detached in a namespace, wait for it to be ready, read and stop it.
import { identify, terminate } from "../daemons/daemon";
import { ResourceDefinition } from "../dynamic/definition";
import { ExistsError } from "../idempotent";
import { removeFilesArgv } from "../rundir";
import { Runner, mustRun } from "../transport/runner";
import * as cmd from "./commands";
import { ProcessInputs, processSchema } from "./schema";

/** How long a command without `readyTcpPort` must stay up after start to count as started. */
const SETTLE_MS = 300;

const what = (p: ProcessInputs) => `process "${p.name}" in namespace "${p.namespace}"`;

/**
 * The process the pid file names, when it is this resource's: alive, the leader of its own session (as setsid
 * started it), in this namespace, and started when the state says (once known). Its command line is not
 * compared: a command that execs another program (a wrapper script) stays the same process.
 */
async function ownProcess(
  runner: Runner,
  p: ProcessInputs,
  startTime?: unknown,
): Promise<{ pid: number; startTime?: string } | undefined> {
  const id = await identify(runner, cmd.processPaths(p).pidFile);
  if (!id?.alive || id.session !== id.pid || id.namespace !== p.namespace) return undefined;
  if (startTime !== undefined && id.startTime !== startTime) return undefined;
  return { pid: id.pid, startTime: id.startTime };
}

/**
 * Stops the command's session (everything it started) and removes its files. A live pid that is not this
 * resource's process (the pid was reused) is left alone; a dead leader can leave children in its session, and the
 * kernel does not hand out a pid while a session of that id exists.
 */
async function stopAndRemove(runner: Runner, p: ProcessInputs, startTime?: unknown): Promise<void> {
  const id = await identify(runner, cmd.processPaths(p).pidFile);
  const ours = id && (!id.alive || (id.session === id.pid && (startTime === undefined || id.startTime === startTime)));
  if (ours) {
    const members = async () => cmd.parseSession((await runner.run(cmd.sessionArgv(id.pid))).stdout);
    await terminate(runner, what(p), members);
  }
  const f = cmd.processPaths(p);
  await mustRun(runner, removeFilesArgv([f.pidFile, f.logPath, f.envFile]));
}

/** Polls until the command runs (and listens, with readyTcpPort); throws with the log's last lines otherwise. */
async function awaitReady(runner: Runner, p: ProcessInputs): Promise<void> {
  const deadline = Date.now() + p.readyTimeoutMs;
  let upSince: number | undefined;
  for (let delay = 20; ; delay = Math.min(delay * 2, 200)) {
    const seen = cmd.parseProbe((await runner.script(cmd.probeScript(p))).stdout);
    if (seen.pid !== undefined && !seen.alive) throw await failure(runner, p, "exited as it started");
    if (seen.alive && seen.listening) {
      if (p.readyTcpPort !== undefined) return;
      upSince ??= Date.now();
      if (Date.now() - upSince >= SETTLE_MS) return;
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
    if ((await ownProcess(runner, p)) !== undefined) throw new ExistsError(what(p));
    try {
      const started = await runner.script(cmd.startScript(p));
      // The script's text holds the environment's values: the error names the process, not the script.
      if (started.code !== 0)
        throw new Error(`starting ${what(p)}: ${started.stderr.trim() || `exit code ${started.code}`}`);
      await awaitReady(runner, p);
      const own = await ownProcess(runner, p);
      if (!own) throw await failure(runner, p, "exited as it started");
      return { ...own, logPath: cmd.processPaths(p).logPath };
    } catch (e) {
      await stopAndRemove(runner, p).catch(() => undefined);
      throw e;
    }
  },

  async read(runner, p) {
    const own = await ownProcess(runner, p, p.startTime);
    return own && { ...own, logPath: cmd.processPaths(p).logPath };
  },

  // Only the readiness settings update in place, and they matter only at start.
  async update(runner, olds, news) {
    const own = await ownProcess(runner, news, olds.startTime);
    if (!own) throw new Error(`${what(news)} is not running: refresh, then up starts it again`);
    return { ...own, logPath: cmd.processPaths(news).logPath };
  },

  delete: (runner, p) => stopAndRemove(runner, p, p.startTime),
};
