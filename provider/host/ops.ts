// Host operations: probe what is there; with `install`, install what is missing and start Open vSwitch.
import { ResourceDefinition, State } from "../dynamic/definition";
import { Runner, mustScript } from "../transport/runner";
import * as cmd from "./commands";
import { HostInputs, hostSchema } from "./schema";

async function probe(runner: Runner, h: HostInputs): Promise<cmd.Probe> {
  const tools = cmd.toolsFor(h.needs);
  return cmd.parseProbe(await mustScript(runner, cmd.probeScript(tools)), tools);
}

const outputs = (p: cmd.Probe, installed: string[], startedOpenvswitch: boolean) => ({
  datapathType: p.ovsModule ? "system" : "netdev",
  versions: p.versions,
  installed,
  startedOpenvswitch,
});

/** Makes the host have what the inputs need, installing and starting only with `install`; fails naming the fix. */
async function prepare(runner: Runner, h: State<HostInputs>, before: { installed: string[]; started: boolean }) {
  const needsOvs = h.needs.includes("openvswitch");
  let found = await probe(runner, h);
  const problem = cmd.missingMessage(found, needsOvs, runner.target);
  if (!problem) return outputs(found, before.installed, before.started);
  if (!h.install) throw new Error(problem);

  const installed = [...before.installed];
  const pkgs = cmd.packagesOf(found.missing);
  if (pkgs.length) {
    if (!found.apt) throw new Error(`${problem} (this host has no apt-get, so install cannot)`);
    await mustScript(runner, cmd.installScript(pkgs));
    installed.push(...pkgs.filter((p) => !installed.includes(p)));
    found = await probe(runner, h);
  }
  // A package's own scripts may start the service it installs: then this Host started it all the same.
  let started = before.started || (pkgs.includes("openvswitch-switch") && found.ovsRunning);
  if (needsOvs && !found.ovsRunning) {
    await mustScript(runner, cmd.startOvsScript(found.systemd));
    started = true;
    found = await probe(runner, h);
  }
  const left = cmd.missingMessage(found, needsOvs, runner.target);
  if (left) throw new Error(`after installing: ${left}`);
  return outputs(found, installed, started);
}

export const host: ResourceDefinition<HostInputs> = {
  kind: "Host",
  schema: hostSchema,
  // Nothing on the host is named by the inputs: a replacement prepares first, and the old half's delete (another
  // generation by then) leaves Open vSwitch to the new one.
  deleteBeforeReplace: false,
  id: () => "host",

  create: (runner, h) => prepare(runner, h, { installed: [], started: false }),

  async read(runner, s) {
    const found = await probe(runner, s);
    // No longer ready (a tool removed, Open vSwitch stopped): gone, so the next up prepares it again.
    if (cmd.missingMessage(found, s.needs.includes("openvswitch"), runner.target)) return undefined;
    return outputs(found, (s.installed as string[]) ?? [], s.startedOpenvswitch === true);
  },

  update: (runner, olds, news) =>
    prepare(runner, news, {
      installed: (olds.installed as string[]) ?? [],
      started: olds.startedOpenvswitch === true,
    }),

  async delete(runner, s) {
    if (s.startedOpenvswitch !== true) return;
    const found = await probe(runner, s);
    // Bridges still there (not this program's, or not yet deleted) keep it running.
    if (found.ovsRunning && found.bridges.length === 0) await mustScript(runner, cmd.stopOvsScript(found.systemd));
  },
};
