// DhcpServer host operations: dnsmasq in a namespace, with its files under the library's run directory.
import { livePid, runningDaemon, startDaemon, stopDaemon, stopProcess } from "../daemon";
import { ResourceDefinition } from "../dynamic/definition";
import { linkIn } from "../host-state";
import { inNetns } from "../shell/netns";
import { ExistsError } from "../idempotent";
import { Runner } from "../transport/runner";
import { inSubnet } from "../validation";
import { parseConfig, renderConfig, serverPaths } from "./config";
import { ServerInputs, serverSchema } from "./schema";

const DNSMASQ = "dnsmasq";
const startCmd = (s: ServerInputs) => inNetns(s.namespace, [DNSMASQ, `--conf-file=${serverPaths(s).configPath}`]);

/** dnsmasq serves only a subnet its interface has an address in: say so before starting it. */
async function requireAddress(runner: Runner, s: ServerInputs): Promise<void> {
  const link = await linkIn(runner, s.namespace, s.interface);
  if (!link?.addr_info?.some((a) => a.family === "inet" && inSubnet(a.local, s.subnet))) {
    throw new Error(
      `interface "${s.interface}" in namespace "${s.namespace}" has no IPv4 address in ${s.subnet}, so dnsmasq could not serve it: give it one first (an Address resource)`,
    );
  }
}

const runningPid = (runner: Runner, s: ServerInputs) => livePid(runner, serverPaths(s).pidFile, DNSMASQ);

/** Writes the config and starts dnsmasq; returns its pid. */
const start = (runner: Runner, s: ServerInputs) =>
  // dnsmasq reports bind and config errors from its child before the parent exits, so a 0 means it is serving.
  startDaemon(
    runner,
    `dnsmasq in namespace "${s.namespace}"`,
    { path: serverPaths(s).configPath, text: renderConfig(s) },
    startCmd(s),
    serverPaths(s).pidFile,
  );

const stopAndRemove = (runner: Runner, s: ServerInputs) => {
  const p = serverPaths(s);
  return stopDaemon(runner, DNSMASQ, p.pidFile, [p.configPath, p.pidFile, p.leaseFile]);
};

export const dhcpServer: ResourceDefinition<ServerInputs> = {
  kind: "DhcpServer",
  schema: serverSchema,
  deleteBeforeReplace: true,
  id: (s) => `${s.namespace}/${s.interface}`,

  async create(runner, s) {
    await requireAddress(runner, s);
    if ((await runningPid(runner, s)) !== undefined)
      throw new ExistsError(`a dnsmasq for "${s.interface}" in namespace "${s.namespace}"`);
    try {
      const pid = await start(runner, s);
      return { pid, ...serverPaths(s) };
    } catch (e) {
      await stopAndRemove(runner, s).catch(() => undefined);
      throw e;
    }
  },

  async read(runner, s) {
    const d = await runningDaemon(runner, serverPaths(s), s.namespace, DNSMASQ);
    if (!d) return undefined;
    return { pid: d.pid, ...serverPaths(s), ...(d.config === renderConfig(s) ? {} : parseConfig(d.config)) };
  },

  async update(runner, olds, news) {
    await requireAddress(runner, news);
    const pid = await runningPid(runner, olds);
    // dnsmasq reads its main config only at start; the lease file is kept, so leases survive the restart.
    if (pid !== undefined) await stopProcess(runner, pid);
    return { pid: await start(runner, news), ...serverPaths(news) };
  },

  delete: (runner, s) => stopAndRemove(runner, s),
};
