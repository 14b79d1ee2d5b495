// DhcpClient host operations: dhclient in a namespace with its own files; create waits for the lease.
import { identify, isDaemon, livePid, stopProcess } from "../daemons/daemon";
import { ResourceDefinition } from "../dynamic/definition";
import { linkIn } from "../reads/readers";
import { removeFilesArgv, writeFileScript } from "../rundir";
import { ExistsError } from "../idempotent";
import { NsProcess, describeHand, handStarted, replaceHandStarted } from "../daemons/hand-started";
import { Runner, mustRun } from "../transport/runner";
import * as cmd from "./commands";
import { configures, leaseCount, leaseFor, parseHandClient } from "./hand";
import { ClientInputs, clientSchema } from "./schema";

const DHCLIENT = "dhclient";
const runningPid = (runner: Runner, c: ClientInputs) => livePid(runner, cmd.clientPaths(c).pidFile, DHCLIENT);

/** The lease file's newest lease, and how many it holds. */
async function leases(runner: Runner, c: ClientInputs): Promise<{ newest?: cmd.Lease; count: number }> {
  const r = await runner.run(["cat", cmd.clientPaths(c).leaseFile]);
  return r.code === 0 ? { newest: cmd.parseLease(r.stdout), count: leaseCount(r.stdout) } : { count: 0 };
}

/** The dhclient started by hand that configures the interface, if one does. */
async function handClient(runner: Runner, c: ClientInputs): Promise<NsProcess | undefined> {
  return (await handStarted(runner, c.namespace, DHCLIENT)).find((p) => configures(parseHandClient(p.argv), c.device));
}

/**
 * The interface's global IPv4 addresses now, as CIDR. The interface may hold others besides the lease's (an Address
 * resource, or one added by hand), so the lease's is looked for among them, not taken to be the first.
 */
async function currentAddresses(runner: Runner, c: ClientInputs): Promise<string[]> {
  const link = await linkIn(runner, c.namespace, c.device);
  return (link?.addr_info ?? [])
    .filter((a) => a.family === "inet" && a.scope === "global")
    .map((a) => `${a.local}/${a.prefixlen}`);
}

async function stopAndRemove(runner: Runner, c: ClientInputs): Promise<void> {
  const p = cmd.clientPaths(c);
  if ((await runningPid(runner, c)) !== undefined) {
    // A clean release tells the server and removes the address; the namespace may already be gone, so it may fail.
    await runner.run(cmd.release(c));
    const left = await runningPid(runner, c);
    if (left !== undefined) await stopProcess(runner, left);
  }
  await mustRun(runner, removeFilesArgv([p.pidFile, p.leaseFile, p.script]));
}

/**
 * Starts dhclient and waits until the lease is bound and on the interface. With `carried` (a lease taken over from a
 * dhclient started by hand), dhclient first asks for that lease's address again, and the wait is for its new lease.
 */
async function start(runner: Runner, c: ClientInputs, carried?: string): Promise<Record<string, unknown>> {
  const p = cmd.clientPaths(c);
  const leaseFile = carried ? writeFileScript(p.leaseFile, carried) : `rm -f ${p.leaseFile}`;
  await mustRun(runner, ["sh", "-c", `${writeFileScript(p.script, cmd.SCRIPT, "755")}; ${leaseFile}`]);
  await mustRun(runner, cmd.start(c));
  const deadline = Date.now() + c.timeout * 1000;
  const before = carried ? leaseCount(carried) : 0;
  while (Date.now() < deadline) {
    const found = await leases(runner, c);
    const got = found.count > before ? found.newest : undefined;
    const address = got && (await currentAddresses(runner, c)).find((a) => a === got.address);
    if (got && address) return { ...got, address, leaseFile: p.leaseFile, pid: await runningPid(runner, c) };
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(cmd.describeNoLease(c, await seenWhileWaiting(runner, c)));
}

/** What the timeout error reports; read only on that path, and never the reason it fails. */
async function seenWhileWaiting(runner: Runner, c: ClientInputs): Promise<cmd.WaitSeen> {
  const [pid, stats] = await Promise.all([
    runningPid(runner, c).catch(() => undefined),
    runner.run(cmd.linkStats(c)).catch(() => undefined),
  ]);
  return { pid, link: stats?.code === 0 ? cmd.parseLinkStats(stats.stdout) : undefined };
}

async function startOrCleanUp(runner: Runner, c: ClientInputs): Promise<Record<string, unknown>> {
  try {
    return await start(runner, c);
  } catch (e) {
    await stopAndRemove(runner, c).catch(() => undefined);
    throw e;
  }
}

export const dhcpClient: ResourceDefinition<ClientInputs> = {
  kind: "DhcpClient",
  schema: clientSchema,
  deleteBeforeReplace: true,
  id: (c) => `${c.namespace}/${c.device}`,

  async create(runner, c) {
    const [pid, hand] = await Promise.all([runningPid(runner, c), handClient(runner, c)]);
    if (pid !== undefined) throw new ExistsError(`a dhclient for "${c.device}" in namespace "${c.namespace}"`);
    if (hand)
      throw new ExistsError(
        `a dhclient started by hand for "${c.device}" in namespace "${c.namespace}" (${describeHand(hand)})`,
      );
    return startOrCleanUp(runner, c);
  },

  async read(runner, s) {
    const id = await identify(runner, cmd.clientPaths(s).pidFile);
    if (!isDaemon(id, DHCLIENT) || id.namespace !== s.namespace) return undefined;
    const [addresses, got] = await Promise.all([currentAddresses(runner, s), leases(runner, s).then((l) => l.newest)]);
    const held = got && addresses.includes(got.address) ? got.address : addresses[0];
    // dhclient outlives its interface: a device deleted (and perhaps made again by the next up) holds no address
    // from the lease, and the client must ask again on it (docs/ARCHITECTURE.md, "After a reboot").
    const drift = got && held !== got.address ? [`the interface ${s.device} holds no address from the lease`] : [];
    return { pid: id.pid, address: held, ...got, ...(drift.length && { drift }) };
  },

  async handMade(runner, c) {
    const process = await handClient(runner, c);
    return process && { hand: process };
  },

  // Stopped without a release (the address stays on the interface), and started under the library's files with the
  // lease it held, so that it asks for that address again and keeps it.
  async takeOver(runner, found, c) {
    const hand = found.hand as NsProcess;
    const leaseFile = parseHandClient(hand.argv).leaseFile;
    return replaceHandStarted(
      runner,
      hand,
      async () => {
        const r = await runner.run(["cat", leaseFile]);
        return start(runner, c, r.code === 0 ? leaseFor(r.stdout, c.device) : undefined);
      },
      async () => {
        const pid = await runningPid(runner, c);
        if (pid !== undefined) await stopProcess(runner, pid);
        await mustRun(runner, removeFilesArgv(Object.values(cmd.clientPaths(c))));
      },
    );
  },

  async update(runner, olds, news) {
    // Update means: ask again (release, then a fresh request).
    await stopAndRemove(runner, olds);
    return startOrCleanUp(runner, news);
  },

  delete: (runner, s) => stopAndRemove(runner, s),
};
