// OvsPort host operations through a Runner; read and delete touch only ports carrying our mark.
import { ResourceDefinition } from "../dynamic/definition";
import { otherGeneration } from "../ownership/marks";
import { batchingOvsWrites } from "../ovs/batch";
import { nameTaken, noSuchBridge, transactArgv } from "../ovs/ops";
import { markedFor, ovsMap } from "../ovs/table";
import { bridgeDatapath, linkIn, ovsNamed, ovsTables, vethPeer } from "../reads/readers";
import { isUp } from "../reads/links";
import { quoteArgv } from "../shell/quote";
import { ExistsError, runIdempotent } from "../idempotent";
import { Step, transaction } from "../writes/transaction";
import { RunResult, Runner, mustRun } from "../transport/runner";
import * as cmd from "./commands";
import { offload, offloadOff } from "./offload";
import { PortInputs, hasDevice, isKernelTunnel, portSchema } from "./schema";

/** True when the devices sending into this port must have transmit checksum offload off (offload.ts). */
async function wantsOffloadOff(runner: Runner, p: PortInputs): Promise<boolean> {
  if (!hasDevice(p) || (p.checksumOffload !== "auto" && p.checksumOffload !== "off")) return false;
  return offloadOff(p.checksumOffload, (await bridgeDatapath(runner, p.bridge)) ?? "system");
}

/**
 * Why a system port's device cannot be opened, or undefined when it is there: an add that does not wait for the
 * switch (cmd.addsWithoutWaiting) learns nothing of it from ovs-vsctl. A pair this process created needs no look.
 */
async function deviceMissing(runner: Runner, p: PortInputs): Promise<Error | undefined> {
  if ((await vethPeer(runner, p.name)) || (await linkIn(runner, undefined, p.name))) return undefined;
  return new Error(
    `running "${quoteArgv(cmd.add(p))}": could not open network device ${p.name} (No such device): ` +
      "no device of that name in the host's namespace; make it first (a VethPair end, a tap), or give the port a type",
  );
}

/**
 * ovs-vsctl exits 0 even when the interface could not be set up (e.g. no such device): that is a failure here.
 * The add may have run in one transaction with other ports' writes, so only lines naming this port count.
 */
function explainAdd(p: PortInputs) {
  return (r: RunResult): Error | undefined => {
    if (/already exists/.test(r.stderr) || nameTaken(r.stderr)) return new ExistsError(`OVS port "${p.name}"`);
    if (noSuchBridge(r.stderr)) return new Error(`running "${quoteArgv(cmd.add(p))}": no bridge named ${p.bridge}`);
    const mine = r.stderr.split("\n").filter((l) => l.includes(`Error detected while setting up '${p.name}'`));
    if (r.code === 0 && mine.length) return new Error(`running "${quoteArgv(cmd.add(p))}": ${mine.join("\n").trim()}`);
    return undefined;
  };
}

export const port: ResourceDefinition<PortInputs> = {
  kind: "OvsPort",
  schema: portSchema,
  deleteBeforeReplace: true,
  id: (p) => `${p.bridge}/${p.name}`,

  async create(runner, p) {
    const steps: Step[] = isKernelTunnel(p) ? tunnelSteps(p) : [];
    steps.push({ run: cmd.add(p), undo: cmd.del(p), explain: explainAdd(p) });
    if (p.namespace) steps.push({ run: cmd.moveTo(p.name, p.namespace) });
    if (p.mtu !== undefined) steps.push({ run: cmd.setMtu(p.namespace, p.name, p.mtu) });
    if (p.type === "internal" && p.up !== false) steps.push({ run: cmd.setUp(p.namespace, p.name, true) });
    // A system port's device is there before its add (a veth end, say), so its offload is set while the port is
    // added; other types' devices come with the add. The bridge's datapath (which decides the offload), and the
    // device of an add that does not wait for the switch, are read meanwhile too: round trips fewer. A failed add may
    // so leave the device's checksum offload off, which costs its sender only checksums filled in software.
    const alongside = cmd.addsWithoutWaiting(p);
    const offloadNow = async () => {
      const off = await wantsOffloadOff(runner, p);
      if (off && alongside) await offload(runner, p, "off");
      return off && !alongside;
    };
    const [, offloadAfter, missing] = await Promise.all([
      transaction(batchingOvsWrites(runner), steps),
      offloadNow().catch((e: Error) => e),
      alongside ? deviceMissing(runner, p).catch((e: Error) => e) : undefined,
    ]);
    // Apart from the transaction, so that a one-step add can still join other ports' OVS write batch.
    try {
      if (missing) throw missing;
      if (offloadAfter instanceof Error) throw offloadAfter;
      if (offloadAfter) await offload(runner, p, "off");
    } catch (e) {
      await runIdempotent(batchingOvsWrites(runner), cmd.del(p)).catch(() => undefined);
      throw e;
    }
    return {};
  },

  async read(runner, s) {
    const tables = await ovsTables(runner);
    const found = cmd.parsePort(tables, s.name, s.owner);
    if (!found) return undefined;
    if (isKernelTunnel(s)) return { ...found, ...(await readTunnel(runner, s)) };
    // An internal port's device back in the host's namespace is the one the switch made anew (it restarted): a
    // device of that name in the port's namespace is a leftover that no longer carries the port's traffic.
    const anew = s.type === "internal" && s.namespace && (await linkIn(runner, undefined, s.name)) !== undefined;
    const device = hasDevice(s) && !anew ? await linkIn(runner, s.namespace, s.name) : undefined;
    // The row stands, but its device is gone (a reboot, or a veth deleted by hand): once a device of that name is
    // back, the switch attaches it, with none of the settings the port owns (docs/ARCHITECTURE.md, "After a reboot").
    if (s.type === "system") {
      const error = cmd.missingDevice(tables, s.name);
      if (error) return { ...found, drift: [`the device ${s.name} of the port is missing (Open vSwitch: ${error})`] };
      // The switch has not noticed yet: it notices at its next reconfiguration, and holds the old device till then.
      if (!device) return { ...found, drift: [`the device ${s.name} of the port is missing; ${cmd.HELD}`] };
    }
    // A device that should send with offload off but has it on again (turned back on by hand) is drift.
    const offloadOn =
      device !== undefined &&
      (await wantsOffloadOff(runner, s)) &&
      (await offload(runner, s, "show")).some((d) => d.on);
    return {
      ...found,
      // The device is where the program put it, or (moved by hand, or gone) the namespace has drifted.
      namespace: device === undefined && s.namespace ? undefined : s.namespace,
      // An internal port's interface found down is drift whether or not the program said "up" (unset means up).
      up: s.type !== "internal" || !device || isUp(device) ? s.up : false,
      mtu: s.mtu !== undefined && device ? device.mtu : s.mtu,
      checksumOffload: offloadOn ? "on" : s.checksumOffload,
    };
  },

  async handMade(runner, p) {
    const tables = await ovsTables(runner);
    const row = tables.ports.find((r) => r.name === p.name);
    if (!row) return undefined;
    const found: Record<string, unknown> = { ...cmd.portFields(tables, row), mark: cmd.portMark(tables, p.name) };
    // A tunnel made by hand is a system port to OVS: its kernel device says which kind it is.
    if (isKernelTunnel(p) && found.type === "system") {
      const tunnel = await readTunnel(runner, p);
      if (tunnel.key !== undefined) Object.assign(found, tunnel, { type: p.type });
    }
    if (p.type !== "internal") return found;
    // Where its device is: the program's namespace, the host's (unset), or elsewhere.
    const inProgram = await linkIn(runner, p.namespace, p.name);
    const inHost = !inProgram && p.namespace ? await linkIn(runner, undefined, p.name) : undefined;
    const device = inProgram ?? inHost;
    return {
      ...found,
      namespace: inProgram ? p.namespace : inHost ? undefined : "(another namespace)",
      up: !device || isUp(device) ? p.up : false,
      mtu: p.mtu !== undefined && device ? device.mtu : p.mtu,
    };
  },

  async markedOurs(runner, p) {
    const row = (await ovsNamed(runner, { port: p.name })).ports.find((r) => r.name === p.name);
    return !!p.owner && markedFor(ovsMap(row?.external_ids), p.owner);
  },

  async update(runner, olds, news) {
    // A device the switch still held when read found it gone: on the userspace datapath the switch keeps reading
    // from that one until the port is removed and added again, and everything the port owns then comes with the new
    // row, as in a create. Where the switch had let go (it said why), it opens the new device by name itself, and the
    // rest of this update applies what the port owns on it (docs/ARCHITECTURE.md, "After a reboot").
    if (olds.drift?.some((d) => d.endsWith(cmd.HELD))) {
      await runIdempotent(batchingOvsWrites(runner), cmd.delAndWait(olds));
      return port.create(runner, news);
    }
    const argv = cmd.update(olds, news);
    if (argv) await mustRun(runner, argv);
    if (isKernelTunnel(news)) {
      const [was, now] = [cmd.remotesOf(olds), cmd.remotesOf(news)];
      for (const ip of now.filter((r) => !was.includes(r)))
        await mustRun(runner, cmd.tunnelRemote("append", news.name, ip));
      for (const ip of was.filter((r) => !now.includes(r)))
        await runIdempotent(runner, cmd.tunnelRemote("del", news.name, ip));
    }
    if (news.type === "internal" && (olds.up ?? true) !== (news.up ?? true))
      await mustRun(runner, cmd.setUp(news.namespace, news.name, news.up ?? true));
    if (news.mtu !== undefined && news.mtu !== olds.mtu)
      await mustRun(runner, cmd.setMtu(news.namespace, news.name, news.mtu));
    if (await wantsOffloadOff(runner, news)) await offload(runner, news, "off");
    else if (await wantsOffloadOff(runner, olds)) await offload(runner, news, "on");
    return {};
  },

  async delete(runner, s, recorded) {
    // A system port is removed by its row's UUID (cmd.delRows), so its row is read either way; other ports through
    // ovs-vsctl, which finds the row itself.
    const rows = cmd.addsWithoutWaiting(s) || !recorded ? await ovsNamed(runner, { port: s.name }) : undefined;
    // Not ours, or made (or adopted) by a newer create of this resource: not this state's to delete. Its record said
    // so already when there was one for this very create.
    if (!recorded) {
      const found = cmd.parsePort(rows!, s.name, s.owner);
      if (!found || otherGeneration(found.generation, s.generation)) return;
    }
    if (cmd.addsWithoutWaiting(s)) {
      const row = rows!.ports.find((r) => r.name === s.name);
      if (row) await mustRun(batchingOvsWrites(runner), transactArgv(cmd.delRows(s, row._uuid)));
    } else await runIdempotent(batchingOvsWrites(runner), cmd.del(s));
    if (isKernelTunnel(s)) await runIdempotent(runner, cmd.tunnelDel(s.name));
  },
};

/** The kernel device of a vxlan or geneve port, its remotes and its link up, each undone if a later step fails. */
function tunnelSteps(p: PortInputs): Step[] {
  return [
    {
      run: cmd.tunnelAdd(p),
      undo: cmd.tunnelDel(p.name),
      explain: (r) =>
        /File exists/.test(r.stderr)
          ? new ExistsError(`tunnel device "${p.name}"`)
          : /Unknown device type/.test(r.stderr)
            ? new Error(`OvsPort "${p.name}": this host's kernel has no ${p.type} devices (its module is missing)`)
            : undefined,
    },
    ...(p.type === "vxlan" ? cmd.remotesOf(p).map((ip) => ({ run: cmd.tunnelRemote("append", p.name, ip) })) : []),
    { run: cmd.setUp(undefined, p.name, true) },
  ];
}

/**
 * The VNI and remotes the device has now. A device deleted by hand (or replaced by another kind) reads with no
 * key, which is drift that the next up repairs by replacing the port.
 */
async function readTunnel(runner: Runner, s: PortInputs) {
  const dev = cmd.parseTunnel((await runner.script(cmd.tunnelShowScript(s.name))).stdout, s.type);
  if (!dev) return { key: undefined, remoteIp: undefined, remoteIps: undefined };
  if (s.type === "geneve") return { key: dev.key, remoteIp: dev.geneveRemote };
  const same = dev.remotes.length === cmd.remotesOf(s).length && dev.remotes.every((r) => cmd.remotesOf(s).includes(r));
  if (s.remoteIps) return { key: dev.key, remoteIps: same ? s.remoteIps : dev.remotes };
  return { key: dev.key, remoteIp: same ? s.remoteIp : dev.remotes[0] };
}
