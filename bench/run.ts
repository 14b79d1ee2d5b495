// npm run bench -- --hosts N [--lab-hosts K] [--parallel P] [--rounds R] [--no-ssh] [--no-serial]: N hosts through
// the engine harness (spread over K lab hosts with --lab-hosts), against a local script, the batched floor of the same
// work, a no-op provider's up, preview and destroy, the up of a provider with no cost of its own, and ssh-per-command
// baselines; then R rounds (3 unless told) of the up's ratios measured back to back.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { runEngine, Summary, Verb, EngineOptions } from "../engine/engine";
import { benchOptions } from "../lab/harness";
import { chain, chainText, phasesText } from "./phases";
import { cpuByProcess, cpuSpentText, spentByProgram, withNodeCpu } from "./cpu";
import { machineCpu } from "../engine/proc";
import { lab } from "../lab/access";
import { sweepHost } from "../lab/sweep";
import { rebootHere, rebootLabHost } from "../lab/reboot";
import { SWITCH, switchCpu, untilSwitchIdle } from "./switch";
import { installPacked } from "../engine/packed";
import { sweep } from "../lab/sweep";
import { Round, inRoundOrder, medians, ratios, ratiosText, roundText } from "./rounds";

const args = process.argv.slice(2);
const hosts = Number(args[args.indexOf("--hosts") + 1] || 50);
const labHosts = args.includes("--lab-hosts") ? Number(args[args.indexOf("--lab-hosts") + 1]) : 0;
const SSH_SAMPLE = Math.min(hosts, 50);
/** Rounds of the up's ratios measured back to back (round below); their medians are the summary's. */
const ROUNDS = args.includes("--rounds") ? Number(args[args.indexOf("--rounds") + 1]) : 3;
if (!Number.isInteger(ROUNDS) || ROUNDS < 0) throw new Error("--rounds: a whole number, 0 or more");
const prefix = `pnb${Math.random().toString(36).slice(2, 5)}-`;
const work = mkdtempSync(join(tmpdir(), "pn-bench-"));

/** The same kernel and OVS work by hand: what the local-script and ssh-per-command baselines run. */
function upCommands(p: string, n: number, withBridge: boolean): string[] {
  const out = withBridge ? [`ovs-vsctl add-br ${p}xbr -- set bridge ${p}xbr datapath_type=netdev`] : [];
  for (let i = 0; i < n; i++) {
    out.push(
      `ip netns add ${p}x${i}`,
      `ip -n ${p}x${i} link set lo up`,
      `ip link add eth0 netns ${p}x${i} type veth peer name ${p}y${i}`,
      `ip -n ${p}x${i} link set eth0 up`,
      `ip link set ${p}y${i} up`,
      `ovs-vsctl add-port ${p}xbr ${p}y${i} tag=${(i % 4094) + 1}`,
      `ip -n ${p}x${i} addr add 10.${100 + (i >> 8)}.${i & 255}.1/24 dev eth0`,
    );
  }
  return out;
}

function downCommands(p: string, n: number, withBridge: boolean): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++)
    out.push(`ovs-vsctl del-port ${p}xbr ${p}y${i}`, `ip link del ${p}y${i}`, `ip netns del ${p}x${i}`);
  if (withBridge) out.push(`ovs-vsctl del-br ${p}xbr`);
  return out;
}

function seconds(f: () => void): number {
  const t = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - t) / 1e9;
}

/** Seconds that these lines take as one local shell script. */
function timeScript(name: string, lines: string[]): number {
  const file = join(work, name);
  writeFileSync(file, lines.join("\n"));
  return seconds(() => execFileSync("sh", [file], { stdio: "inherit" }));
}

/**
 * The floor: the same work done locally the fast way. One `ip -batch` makes the namespaces and veths, one per
 * namespace sets its links and address (ip's batch mode takes no -n), one ovs-vsctl transaction adds every port;
 * teardown likewise. The scripts' lines, for names that start with `p`.
 */
function floorLines(p: string): { up: string[]; down: string[] } {
  const ipBatch = (lines: string[], ns?: string) =>
    `ip ${ns ? `-n ${ns} ` : ""}-batch - <<'EOF'\n${lines.join("\n")}\nEOF`;
  const n = [...Array(hosts).keys()];
  const up = [
    "set -e",
    `ovs-vsctl add-br ${p}br -- set bridge ${p}br datapath_type=netdev`,
    ipBatch(
      n.flatMap((i) => [
        `netns add ${p}x${i}`,
        `link add eth0 netns ${p}x${i} type veth peer name ${p}y${i}`,
        `link set ${p}y${i} up`,
      ]),
    ),
    ...n.map((i) =>
      ipBatch(
        ["link set lo up", "link set eth0 up", `addr add 10.${100 + (i >> 8)}.${i & 255}.1/24 dev eth0`],
        `${p}x${i}`,
      ),
    ),
    `ovs-vsctl ${n.map((i) => `-- add-port ${p}br ${p}y${i} tag=${(i % 4094) + 1}`).join(" ")}`,
  ];
  const down = [
    "set -e",
    `ovs-vsctl ${n.map((i) => `-- del-port ${p}br ${p}y${i}`).join(" ")} -- del-br ${p}br`,
    ipBatch(n.flatMap((i) => [`link del ${p}y${i}`, `netns del ${p}x${i}`])),
  ];
  return { up, down };
}

/** The floor's up and teardown, one right after the other: their seconds. */
function floorScript(): { up: number; down: number } {
  const { up, down } = floorLines(`${prefix}f`);
  return { up: timeScript("floor-up.sh", up), down: timeScript("floor-down.sh", down) };
}

/**
 * The floor's up once more, with its teardown held back until the switch is idle: the switch's CPU for the floor's
 * ports while the floor's up ran and after it had returned. Apart from the timed floors above, whose teardowns
 * follow at once (as they did in every earlier run), so that their figures keep their meaning.
 */
async function floorSwitch(): Promise<{ during: number; after: { cpu: number; seconds: number } }> {
  const { up, down } = floorLines(`${prefix}g`);
  const before = switchCpu();
  timeScript("floor-switch-up.sh", up);
  const during = switchCpu() - before;
  try {
    return { during, after: await untilSwitchIdle() };
  } finally {
    timeScript("floor-switch-down.sh", down);
  }
}

/**
 * What the program and the engine alone cost for the benchmark's resources: the preview's time in flight, and the
 * up's and destroy's spans from the first call to the last (calls that take no time leave gaps in flight: the span is
 * how long the program and the engine took to hand every resource over).
 */
interface EngineFloor {
  up: number;
  /** The ideal provider's up (idealUp), when the program runs on this machine. */
  ideal?: number;
  preview: number;
  destroy: number;
  /** Each verb's whole wall time, program start included: what a user of the no-op program would wait for. */
  upWall: number;
  previewWall: number;
  destroyWall: number;
}

/** The no-op program (bench/noop-program) installed in a project of its own: its options for the harness. */
function noopOptions(base: EngineOptions): EngineOptions {
  const project = join(work, "noop");
  installPacked(project, "pulumi-netns-bench-floor", {
    "index.ts": readFileSync(join(__dirname, "noop-program", "index.ts"), "utf8"),
  });
  return { ...base, projectDir: project, statePath: join(work, "noop-state.json") };
}

/**
 * Prints the step generator's chain over the verb (bench/phases.ts), when it took turns: where the chain is busy most
 * of its span, registrations wait for it, and the verb goes at its pace (docs/PERFORMANCE.md, "Where up's time goes").
 */
function printChain(label: string, s: Summary): Summary {
  const c = chain(s.steps);
  if (c) console.log(`${label.padEnd(8)} step generator (Check and Diff, one registration at a time): ${chainText(c)}`);
  return s;
}

/** The verb's summary, or an error naming it with its first errors. */
function checked(label: string, s: Summary): Summary {
  if (s.errors.length) throw new Error(`${label}: ${s.errors.slice(0, 5).join("\n")}`);
  return s;
}

/** Runs up, preview and destroy of the no-op program through the same harness. */
async function engineFloor(o: EngineOptions, ideal: boolean): Promise<EngineFloor> {
  let destroyed = false;
  try {
    const summary = async (verb: Verb) =>
      printChain(
        `no-op ${verb}`,
        checked(`no-op ${verb}`, await withNodeCpu(`no-op ${verb}`, () => runEngine(verb, o))),
      );
    const up = await summary("up");
    const preview = await summary("preview");
    const destroy = await summary("destroy");
    destroyed = true;
    return {
      up: up.operationSpanSeconds,
      ideal: ideal ? await idealUp(o) : undefined,
      preview: preview.operationSeconds,
      destroy: destroy.operationSpanSeconds,
      upWall: up.wallSeconds,
      previewWall: preview.wallSeconds,
      destroyWall: destroy.wallSeconds,
    };
  } finally {
    if (!destroyed) await runEngine("destroy", o).catch(() => undefined);
  }
}

/**
 * The up of a provider with no cost of its own (bench/noop-program with `burst`): the no-op program whose first create
 * starts the floor's whole up and whose last create waits for it. The host's work is done the fastest way, all at
 * once, and the switch's work for the ports falls inside the up wherever the up is still running: what no provider
 * of resources that arrive through the engine can beat. Its span from the first call to the last.
 */
async function idealUp(noop: EngineOptions): Promise<number> {
  const { up, down } = floorLines(`${prefix}i`);
  const burst = join(work, "ideal-up.sh");
  writeFileSync(burst, up.join("\n"));
  const o: EngineOptions = { ...noop, statePath: join(work, "ideal-state.json"), config: { ...noop.config, burst } };
  const s = await runEngine("up", o);
  // Destroyed before the up's errors are raised, so that a failed up leaves nothing behind in its state.
  checked("ideal destroy", await runEngine("destroy", o));
  checked("ideal up", s);
  // The teardown waits for the switch, so that its work for these ports weighs on nothing measured after.
  await untilSwitchIdle();
  timeScript("ideal-down.sh", down);
  return s.operationSpanSeconds;
}

/**
 * One round (bench/rounds.ts): the floor's script, our up, `reboot` and `up --refresh` and destroy, the no-op program's
 * up and destroy, and (on this machine) the ideal provider's up, each right after the other, in the round's order
 * (inRoundOrder).
 */
async function round(
  k: number,
  ours: EngineOptions,
  noop: EngineOptions,
  ideal: boolean,
  reboot: () => void,
): Promise<Round> {
  const r: Partial<Round> = {};
  const parts: Array<() => Promise<void>> = [
    async () => {
      const f = floorScript();
      Object.assign(r, { floorUp: f.up, floorDown: f.down });
    },
    async () => {
      const up = checked(`round ${k + 1} up`, await runEngine("up", ours));
      reboot();
      const recovery = checked(`round ${k + 1} reboot`, await runEngine("up", { ...ours, refresh: true }));
      const destroy = checked(`round ${k + 1} destroy`, await runEngine("destroy", ours));
      Object.assign(r, {
        up: up.operationSeconds,
        upWall: up.wallSeconds,
        recoveryWall: recovery.wallSeconds,
        destroy: destroy.operationSeconds,
      });
    },
    async () => {
      const up = checked(`round ${k + 1} no-op up`, await runEngine("up", noop));
      checked(`round ${k + 1} no-op destroy`, await runEngine("destroy", noop));
      Object.assign(r, { noopUp: up.operationSpanSeconds, noopUpWall: up.wallSeconds });
    },
    ...(ideal ? [async () => void (r.ideal = await idealUp(noop))] : []),
  ];
  for (const part of inRoundOrder(k, parts)) await part();
  return r as Round;
}

/**
 * Baseline (a): every command in one local shell script. --no-serial skips it (at 1,000 hosts it alone takes over a
 * quarter of an hour, each ovs-vsctl call reading a database that grows); the figures then say NaN.
 */
const localScript = () =>
  args.includes("--no-serial")
    ? NaN
    : timeScript("local.sh", ["set -e", ...upCommands(prefix, hosts, true), ...downCommands(prefix, hosts, true)]);

/** Baseline (b): one `ssh` process per command, as one remote-command resource per step would do. */
function sshPerCommand(): number {
  const l = lab();
  const knownHosts = join(work, "known_hosts");
  writeFileSync(knownHosts, `[${l.host}]:${l.port} ${l.hostKey}\n`);
  const ssh = [
    "-i",
    l.privateKeyPath,
    "-p",
    String(l.port),
    "-o",
    `UserKnownHostsFile=${knownHosts}`,
    "-o",
    "StrictHostKeyChecking=yes",
    "-o",
    "BatchMode=yes",
  ];
  const commands = [...upCommands(`${prefix}s`, SSH_SAMPLE, true), ...downCommands(`${prefix}s`, SSH_SAMPLE, true)];
  return seconds(() => {
    for (const c of commands) {
      const r = spawnSync("ssh", [...ssh, `${l.user}@${l.host}`, c], { stdio: ["ignore", "ignore", "inherit"] });
      if (r.status !== 0) throw new Error(`ssh baseline: "${c}" failed`);
    }
  });
}

async function main(): Promise<void> {
  const l = lab();
  // The program runs against the packed package installed in a project of its own, exactly as a user runs it.
  const project = join(work, "project");
  installPacked(project, "pulumi-netns-bench", {
    "index.ts": readFileSync(join(__dirname, "program", "index.ts"), "utf8"),
  });
  if (!(labHosts >= 0 && labHosts <= l.hosts.length)) throw new Error(`--lab-hosts: 1 to ${l.hosts.length}`);
  const targets = l.hosts.slice(0, labHosts);
  const base = benchOptions(prefix, "bench", hosts);
  const options: EngineOptions = {
    ...base,
    projectDir: project,
    statePath: join(work, "state.json"),
    // Pulumi's default, unless --parallel P says otherwise (as `pulumi up --parallel P` would).
    parallel: args.includes("--parallel") ? Number(args[args.indexOf("--parallel") + 1]) : 4 * cpus().length,
    config: targets.length
      ? { ...base.config, targets: JSON.stringify(targets.map(({ host, port, hostKey }) => ({ host, port, hostKey }))) }
      : base.config,
  };
  const logins = () =>
    [l.sshdLog, ...targets.map((t) => t.sshdLog)]
      .flatMap((log) => readFileSync(log, "utf8").split("\n"))
      .filter((x) => x.includes("Accepted publickey")).length;
  /** Runs a verb, prints its figures, and returns its summary with what each program spent during it. */
  const run = async (
    verb: Verb,
    extra: Partial<EngineOptions> = {},
    label: string = verb,
  ): Promise<Summary & { spent: Map<string, number> }> => {
    const busy0 = machineCpu().busy;
    const programs0 = cpuByProcess();
    const s = await withNodeCpu(label, () => runEngine(verb, { ...options, ...extra }));
    const spent = spentByProgram(programs0, cpuByProcess());
    // Whether the verb was bound by this machine's CPU (every process on it: program, engine, provider, sshd, the
    // host's commands, the switch), or waited on something else.
    const busy = machineCpu().busy - busy0;
    if (s.errors.length) throw new Error(`${verb}: ${s.errors.slice(0, 5).join("\n")}`);
    const c = s.counts;
    console.log(
      `${label.padEnd(8)} wall ${s.wallSeconds.toFixed(2)} s, provider calls in flight ${s.operationSeconds.toFixed(2)} s ` +
        `create=${c.create} update=${c.update} same=${c.same} delete=${c.delete} gone=${c.gone} provider peak RSS ${s.peakRssMb.toFixed(0)} MB, ` +
        `CPU busy ${busy.toFixed(1)} of ${(s.wallSeconds * cpus().length).toFixed(1)} core-seconds`,
    );
    console.log(`${label.padEnd(8)} CPU seconds by program (those alive at the end): ${cpuSpentText(spent)}`);
    if (s.operations.length) console.log(`${label.padEnd(8)} by kind: ${phasesText(s.operations)}`);
    printChain(label, s);
    return { ...s, spent };
  };
  try {
    console.log(
      `bench: ${hosts} hosts (${hosts * 4 + Math.max(1, labHosts)} resources)` +
        (labHosts ? ` over ${labHosts} lab hosts (one SSH pool each)` : "") +
        `, parallelism ${options.parallel}, ${cpus().length} cores`,
    );
    const steal0 = machineCpu().steal;
    const start = Date.now();
    // The local baseline runs before and after the engine, and the ratio uses their mean: the load that other guests
    // put on this machine changes within minutes, and this way it weighs on both sides alike.
    const localBefore = localScript();
    const floorBefore = floorScript();
    const up = await run("up");
    const before = logins();
    const preview = await run("preview");
    if (logins() !== before) throw new Error("preview opened an SSH connection");
    console.log("preview  opened no SSH connection");
    const refresh = await run("refresh");
    // A reboot of the hosts (lab/reboot.ts), then what brings the topology back: `up --refresh`.
    const reboot = () => (targets.length ? targets.forEach((t) => rebootLabHost(t, prefix)) : rebootHere(prefix));
    reboot();
    const recovery = await run("up", { refresh: true }, "reboot");
    const destroy = await run("destroy");
    const localAfter = localScript();
    const floorAfter = floorScript();
    const local = (localBefore + localAfter) / 2;
    const floor = (floorBefore.up + floorBefore.down + floorAfter.up + floorAfter.down) / 2;
    console.log(
      `floor    batched local script (one ip -batch, one ovs-vsctl transaction): up ${floorBefore.up.toFixed(2)} + ` +
        `down ${floorBefore.down.toFixed(2)} s before the engine runs, ${floorAfter.up.toFixed(2)} + ` +
        `${floorAfter.down.toFixed(2)} s after, mean ${floor.toFixed(2)} s`,
    );
    // The switch's work for the ports: the floor's clock stops before much of it is done; ours runs beside it. The
    // preview after our up does no host work, so what the switch spends during it is still the up's.
    const floorSw = await floorSwitch();
    console.log(
      `switch   ovs-vswitchd CPU seconds for the ports: ours ${(up.spent.get(SWITCH) ?? 0).toFixed(2)} during the up + ` +
        `${(preview.spent.get(SWITCH) ?? 0).toFixed(2)} during the preview that follows (no host work); the floor's ` +
        `${floorSw.during.toFixed(2)} during its up + ${floorSw.after.cpu.toFixed(2)} after it returned (idle ` +
        `${floorSw.after.seconds.toFixed(1)} s later)`,
    );
    // The floor's scripts run on this machine: the ideal provider only stands beside a program that does too.
    const noopO = noopOptions(options);
    const here = targets.length === 0;
    const noop = await engineFloor(noopO, here);
    const previewFloorS = noop.preview;
    const engineFloorS = noop.up + noop.destroy;
    console.log(
      `engine   floor, as many resources whose provider does nothing: up ${noop.up.toFixed(2)} s (first call to ` +
        `last), preview ${noop.preview.toFixed(2)} s (in flight), destroy ${noop.destroy.toFixed(2)} s (first to last); ` +
        `wall up ${noop.upWall.toFixed(2)}, preview ${noop.previewWall.toFixed(2)}, destroy ${noop.destroyWall.toFixed(2)} s`,
    );
    const floorUp = (floorBefore.up + floorAfter.up) / 2;
    const floorDown = (floorBefore.down + floorAfter.down) / 2;
    // The up's ratios from the verbs above, whose no-op and floor ran minutes before or after them.
    const first = ratios({
      floorUp,
      floorDown,
      up: up.operationSeconds,
      upWall: up.wallSeconds,
      recoveryWall: recovery.wallSeconds,
      destroy: destroy.operationSeconds,
      noopUp: noop.up,
      noopUpWall: noop.upWall,
      ideal: noop.ideal,
    });
    // What up_over_floor would be for the ideal provider (idealUp): the least any provider can score on it here.
    if (noop.ideal !== undefined && first.ideal_over_floor !== undefined)
      console.log(
        `ideal    a provider with no cost of its own, whose first create starts the floor's up and whose last waits ` +
          `for it: up ${noop.ideal.toFixed(2)} s (first call to last), ${first.ideal_over_floor.toFixed(2)} of the ` +
          `floor's up over the no-op's`,
      );
    // Per verb: ours, the no-op program's, and the floor's, side by side (docs/PERFORMANCE.md, "Current summary").
    const verbs: [string, Summary, number, number, number, number][] = [
      ["up", up, noop.up, floorUp, up.wallSeconds, noop.upWall],
      ["preview", preview, noop.preview, 0, preview.wallSeconds, noop.previewWall],
      ["destroy", destroy, noop.destroy, floorDown, destroy.wallSeconds, noop.destroyWall],
    ];
    for (const [verb, ours, noopS, floorS, wall, noopWall] of verbs)
      console.log(
        `verb     ${verb.padEnd(8)} in flight ${ours.operationSeconds.toFixed(2)} s, no-op ${noopS.toFixed(2)} s, ` +
          `floor ${floorS ? `${floorS.toFixed(2)} s` : "none (no host work)"}; wall ${wall.toFixed(2)} s, ` +
          `no-op's wall ${noopWall.toFixed(2)} s`,
      );
    // The same ratios from rounds measured back to back, whose medians the summary gives when there are any.
    const rounds: Round[] = [];
    for (let k = 0; k < ROUNDS; k++) {
      rounds.push(await round(k, options, noopO, here, reboot));
      console.log(roundText(k, rounds[k]));
    }
    if (rounds.length)
      console.log(
        `rounds   median of ${rounds.length}: ${ratiosText(medians(rounds))}; from the verbs above alone: ` +
          ratiosText(first),
      );
    const summaryRatios = {
      ...(rounds.length ? medians(rounds) : first),
      preview_wall_ratio: preview.wallSeconds / noop.previewWall,
    };
    console.log(
      `local    one shell script of the same commands: ${localBefore.toFixed(2)} s before the engine runs, ` +
        `${localAfter.toFixed(2)} s after, mean ${local.toFixed(2)} s`,
    );
    // --no-ssh skips the slow baseline while iterating; the figures then say so.
    const sshSample = args.includes("--no-ssh") ? NaN : sshPerCommand();
    const sshAll = (sshSample * hosts) / SSH_SAMPLE;
    console.log(
      `ssh      one ssh process per command: ${sshSample.toFixed(2)} s for ${SSH_SAMPLE} hosts` +
        (hosts > SSH_SAMPLE ? `, scaled linearly to ${sshAll.toFixed(2)} s for ${hosts}` : ""),
    );
    const steal = machineCpu().steal - steal0;
    const coreSeconds = ((Date.now() - start) / 1000) * cpus().length;
    console.log(
      `noise    CPU steal (time other guests took) ${steal.toFixed(1)} s of ${coreSeconds.toFixed(0)} core-seconds`,
    );
    const upDown = up.operationSeconds + destroy.operationSeconds;
    const rss = Math.max(up.peakRssMb, preview.peakRssMb, refresh.peakRssMb, recovery.peakRssMb, destroy.peakRssMb);
    console.log(
      `bench hosts=${hosts} lab_hosts=${labHosts || 1} parallel=${options.parallel} up_s=${up.operationSeconds.toFixed(2)} preview_s=${preview.operationSeconds.toFixed(2)} ` +
        `refresh_s=${refresh.operationSeconds.toFixed(2)} destroy_s=${destroy.operationSeconds.toFixed(2)} local_s=${local.toFixed(2)} ` +
        `ssh_per_cmd_s=${sshAll.toFixed(2)} ratio_local=${(upDown / local).toFixed(2)} speedup_vs_ssh=${(sshAll / upDown).toFixed(1)} ` +
        `floor_s=${floor.toFixed(2)} ratio_floor=${(upDown / floor).toFixed(2)} preview_floor_s=${previewFloorS.toFixed(2)} ` +
        `ratio_preview=${(preview.operationSeconds / previewFloorS).toFixed(2)} engine_floor_s=${engineFloorS.toFixed(2)} ` +
        `provider_rss_mb=${rss.toFixed(0)} up_wall_s=${up.wallSeconds.toFixed(2)} preview_wall_s=${preview.wallSeconds.toFixed(2)} ` +
        `refresh_wall_s=${refresh.wallSeconds.toFixed(2)} destroy_wall_s=${destroy.wallSeconds.toFixed(2)} ` +
        `reboot_s=${recovery.operationSeconds.toFixed(2)} reboot_wall_s=${recovery.wallSeconds.toFixed(2)} ` +
        `floor_up_s=${floorUp.toFixed(2)} floor_down_s=${floorDown.toFixed(2)} noop_up_s=${noop.up.toFixed(2)} ` +
        `noop_up_wall_s=${noop.upWall.toFixed(2)} noop_preview_wall_s=${noop.previewWall.toFixed(2)} ` +
        Object.entries(summaryRatios)
          .map(([k, v]) => `${k}=${v.toFixed(2)}`)
          .join(" "),
    );
  } finally {
    await runEngine("destroy", options).catch(() => undefined);
    sweep(prefix);
    for (const t of targets) sweepHost(t, prefix);
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
