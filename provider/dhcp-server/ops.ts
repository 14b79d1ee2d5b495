// DhcpServer host operations: dnsmasq in a namespace, with its files under the library's run directory.
import { livePid, runningDaemon, startDaemon, stopDaemon, stopProcess } from "../daemons/daemon";
import { ResourceDefinition } from "../dynamic/definition";
import { linkIn } from "../reads/readers";
import { inNetns } from "../shell/netns";
import { ExistsError } from "../idempotent";
import { NsProcess, describeHand, handStarted, replaceHandStarted } from "../daemons/hand-started";
import { writeFileScript } from "../rundir";
import { Runner, mustRun } from "../transport/runner";
import { inSubnet, subnetHolding } from "../addresses";
import { parseConfig, renderConfig, serverPaths } from "./config";
import { HandServer, handServer, leasesFor } from "./hand";
import { ServerInputs, serverSchema } from "./schema";

const DNSMASQ = "dnsmasq";
const startCmd = (s: ServerInputs) => inNetns(s.namespace, [DNSMASQ, `--conf-file=${serverPaths(s).configPath}`]);

/** dnsmasq serves only a subnet its interface has an address in: say so before starting it. */
async function requireAddress(runner: Runner, s: ServerInputs): Promise<void> {
  const link = await linkIn(runner, s.namespace, s.device);
  if (!link?.addr_info?.some((a) => a.family === "inet" && inSubnet(a.local, s.subnet))) {
    throw new Error(
      `interface "${s.device}" in namespace "${s.namespace}" has no IPv4 address in ${s.subnet}, so dnsmasq could not serve it: give it one first (an Address resource)`,
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

/** A dnsmasq started by hand, as the server it is (reading the conf file its command line names, if any). */
async function readHand(runner: Runner, p: NsProcess): Promise<HandServer> {
  const file = handServer(p.argv).confFile;
  const conf = file === undefined ? undefined : await runner.run(["cat", file]);
  return handServer(p.argv, conf?.code === 0 ? conf.stdout : undefined);
}

export const dhcpServer: ResourceDefinition<ServerInputs> = {
  kind: "DhcpServer",
  schema: serverSchema,
  deleteBeforeReplace: true,
  id: (s) => `${s.namespace}/${s.device}`,

  async create(runner, s) {
    // The three looks go to the host at once. One started by hand would hold the DHCP port (it binds every address
    // unless told not to).
    const [, pid, [hand]] = await Promise.all([
      requireAddress(runner, s),
      runningPid(runner, s),
      handStarted(runner, s.namespace, DNSMASQ),
    ]);
    if (pid !== undefined) throw new ExistsError(`a dnsmasq for "${s.device}" in namespace "${s.namespace}"`);
    if (hand) throw new ExistsError(`a dnsmasq started by hand in namespace "${s.namespace}" (${describeHand(hand)})`);
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

  // The dnsmasq serving the interface (or, if none does, the first), with its options as the inputs they imply.
  async handMade(runner, s) {
    const hands = await handStarted(runner, s.namespace, DNSMASQ);
    const read = await Promise.all(
      hands.map(async (process) => ({ process, server: await readHand(runner, process) })),
    );
    const serves = (h: HandServer) => h.interfaces.length === 0 || h.interfaces.includes(s.device);
    const hand = read.find((h) => serves(h.server)) ?? read[0];
    if (!hand) return undefined;
    const { fields, interfaces, leaseFile } = hand.server;
    return {
      ...fields,
      device: serves(hand.server) ? s.device : interfaces.join(","),
      subnet:
        fields.subnet ?? subnetHolding((await linkIn(runner, s.namespace, s.device))?.addr_info, fields.rangeStart),
      hand: { process: hand.process, leaseFile },
    };
  },

  // Restarted under the library's files with the program's settings; the leases it handed out in the program's
  // range carry over, so its clients keep their addresses.
  async takeOver(runner, found, s) {
    const hand = found.hand as { process: NsProcess; leaseFile: string };
    await requireAddress(runner, s);
    return replaceHandStarted(
      runner,
      hand.process,
      async () => {
        const leases = await runner.run(["cat", hand.leaseFile]);
        const kept = leases.code === 0 ? leasesFor(leases.stdout, s) : "";
        await mustRun(runner, ["sh", "-c", writeFileScript(serverPaths(s).leaseFile, kept)]);
        return { pid: await start(runner, s), ...serverPaths(s) };
      },
      () => stopAndRemove(runner, s),
    );
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
