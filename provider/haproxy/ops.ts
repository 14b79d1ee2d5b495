// Haproxy host operations: HAProxy in a namespace with its files under the library's run directory, reloaded in place.
import { livePid, runningDaemon, startDaemon, stopDaemon } from "../daemons/daemon";
import { ResourceDefinition } from "../dynamic/definition";
import { ExistsError } from "../idempotent";
import { NsProcess, describeHand, handStarted, replaceHandStarted } from "../daemons/hand-started";
import { inNetns } from "../shell/netns";
import { Runner } from "../transport/runner";
import { haproxyPaths, parseConfig, renderConfig } from "./config";
import { HaproxyInputs, haproxySchema } from "./schema";

const HAPROXY = "haproxy";
const runningPid = (runner: Runner, h: HaproxyInputs) => livePid(runner, haproxyPaths(h).pidFile, HAPROXY);

/**
 * Writes the config and starts HAProxy (daemonised: the command returns once the config is checked and the
 * listeners are bound). With `old`, the new process takes the old one's listening sockets and the old one finishes
 * its established connections before it exits (a soft reload).
 */
function start(runner: Runner, h: HaproxyInputs, old?: number): Promise<number> {
  const p = haproxyPaths(h);
  const reload = old === undefined ? [] : ["-x", p.socket, "-sf", String(old)];
  return startDaemon(
    runner,
    `HAProxy in namespace "${h.namespace}"`,
    { path: p.configPath, text: renderConfig(h) },
    inNetns(h.namespace, [HAPROXY, "-D", "-f", p.configPath, "-p", p.pidFile, ...reload]),
    p.pidFile,
  );
}

const stopAndRemove = (runner: Runner, h: HaproxyInputs) => {
  const p = haproxyPaths(h);
  return stopDaemon(runner, HAPROXY, p.pidFile, [p.configPath, p.pidFile, p.socket]);
};

export const haproxy: ResourceDefinition<HaproxyInputs> = {
  kind: "Haproxy",
  schema: haproxySchema,
  deleteBeforeReplace: true,
  id: (h) => `${h.namespace}/${h.name}`,

  async create(runner, h) {
    // Both looks go to the host at once. One started by hand would hold the addresses and ports the program's would
    // listen on.
    const [pid, [hand]] = await Promise.all([runningPid(runner, h), handStarted(runner, h.namespace, HAPROXY)]);
    if (pid !== undefined) throw new ExistsError(`an HAProxy "${h.name}" in namespace "${h.namespace}"`);
    if (hand) throw new ExistsError(`an HAProxy started by hand in namespace "${h.namespace}" (${describeHand(hand)})`);
    try {
      return { pid: await start(runner, h), configPath: haproxyPaths(h).configPath };
    } catch (e) {
      await stopAndRemove(runner, h).catch(() => undefined);
      throw e;
    }
  },

  async read(runner, h) {
    const d = await runningDaemon(runner, haproxyPaths(h), h.namespace, HAPROXY);
    if (!d) return undefined;
    return {
      pid: d.pid,
      configPath: haproxyPaths(h).configPath,
      ...(d.config === renderConfig(h) ? {} : parseConfig(d.config)),
    };
  },

  async handMade(runner, h) {
    const [process] = await handStarted(runner, h.namespace, HAPROXY);
    return process && { hand: process };
  },

  // Its listeners are the program's to say: the one started by hand stops, and the program's starts with its config.
  takeOver: (runner, found, h) =>
    replaceHandStarted(
      runner,
      found.hand as NsProcess,
      async () => ({ pid: await start(runner, h), configPath: haproxyPaths(h).configPath }),
      () => stopAndRemove(runner, h),
    ),

  async update(runner, olds, news) {
    return {
      pid: await start(runner, news, await runningPid(runner, olds)),
      configPath: haproxyPaths(news).configPath,
    };
  },

  delete: (runner, h) => stopAndRemove(runner, h),
};
