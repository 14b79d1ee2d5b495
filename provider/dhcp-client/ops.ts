// DhcpClient host operations: dhclient in a namespace with its own files; create waits for the lease.
import { identify, isDaemon, livePid, stopProcess } from "../daemon";
import { ResourceDefinition } from "../dynamic/definition";
import { linkIn } from "../host-state";
import { removeFilesArgv, writeFileScript } from "../rundir";
import { ExistsError } from "../idempotent";
import { Runner, mustRun } from "../transport/runner";
import * as cmd from "./commands";
import { ClientInputs, clientSchema } from "./schema";

const DHCLIENT = "dhclient";
const runningPid = (runner: Runner, c: ClientInputs) => livePid(runner, cmd.clientPaths(c).pidFile, DHCLIENT);

async function lease(runner: Runner, c: ClientInputs): Promise<cmd.Lease | undefined> {
  const r = await runner.run(["cat", cmd.clientPaths(c).leaseFile]);
  return r.code === 0 ? cmd.parseLease(r.stdout) : undefined;
}

/** The interface's global IPv4 address now, as CIDR. */
async function currentAddress(runner: Runner, c: ClientInputs): Promise<string | undefined> {
  const link = await linkIn(runner, c.namespace, c.interface);
  const v4 = link?.addr_info?.find((a) => a.family === "inet" && a.scope === "global");
  return v4 && `${v4.local}/${v4.prefixlen}`;
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

/** Starts dhclient and waits until the lease is bound and on the interface. */
async function start(runner: Runner, c: ClientInputs): Promise<Record<string, unknown>> {
  const p = cmd.clientPaths(c);
  await mustRun(runner, ["sh", "-c", `${writeFileScript(p.script, cmd.SCRIPT, "755")}; rm -f ${p.leaseFile}`]);
  await mustRun(runner, cmd.start(c));
  const deadline = Date.now() + c.timeout * 1000;
  while (Date.now() < deadline) {
    const got = await lease(runner, c);
    const address = got && (await currentAddress(runner, c));
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
  id: (c) => `${c.namespace}/${c.interface}`,

  async create(runner, c) {
    if ((await runningPid(runner, c)) !== undefined) {
      throw new ExistsError(`a dhclient for "${c.interface}" in namespace "${c.namespace}"`);
    }
    return startOrCleanUp(runner, c);
  },

  async read(runner, s) {
    const id = await identify(runner, cmd.clientPaths(s).pidFile);
    if (!isDaemon(id, DHCLIENT) || id.namespace !== s.namespace) return undefined;
    const [held, got] = await Promise.all([currentAddress(runner, s), lease(runner, s)]);
    // dhclient outlives its interface: a device deleted (and perhaps made again by the next up) holds no address
    // from the lease, and the client must ask again on it (docs/ARCHITECTURE.md, "After a reboot").
    const drift = got && held !== got.address ? [`the interface ${s.interface} holds no address from the lease`] : [];
    return { pid: id.pid, address: held, ...got, ...(drift.length && { drift }) };
  },

  async update(runner, olds, news) {
    // Update means: ask again (release, then a fresh request).
    await stopAndRemove(runner, olds);
    return startOrCleanUp(runner, news);
  },

  delete: (runner, s) => stopAndRemove(runner, s),
};
