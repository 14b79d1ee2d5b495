// Where a verb's CPU went, for the benchmark's profile lines: every program on the machine, and the Node processes.
import { readdirSync } from "node:fs";
import type { Summary } from "../engine/engine";
import { processCpu } from "../engine/proc";

/**
 * CPU seconds each live process has used so far with the children it has waited for (an `ip` started by a session
 * shell counts under `sh`), by pid, with its start time. Processes that ended before the second sample drop out of
 * it, so only what stayed alive across a verb is compared.
 */
export function cpuByProcess(): Map<number, Sample> {
  const out = new Map<number, Sample>();
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const p = processCpu(Number(pid));
      out.set(Number(pid), { name: p.name, seconds: p.own + p.children, start: p.start });
    } catch {
      // gone between the listing and the read
    }
  }
  return out;
}

/** One process in a sample: its name, its CPU seconds so far, and its start time (proc.ts). */
export interface Sample {
  name: string;
  seconds: number;
  start: number;
}

/**
 * What each program spent between two samples. A process is the same in both when its pid and start time are,
 * whatever its name says then: a kernel worker's name carries the work it is doing at the moment, and those are
 * summed as `kworker`.
 */
export function spentByProgram(
  before: ReadonlyMap<number, Sample>,
  after: ReadonlyMap<number, Sample>,
): Map<string, number> {
  const by = new Map<string, number>();
  for (const [pid, a] of after) {
    const b = before.get(pid);
    const spent = a.seconds - (b && b.start === a.start ? b.seconds : 0);
    const name = a.name.startsWith("kworker/") ? "kworker" : a.name;
    if (spent > 0) by.set(name, (by.get(name) ?? 0) + spent);
  }
  return by;
}

/** The eight programs that spent most, largest first: `ovs-vswitchd 4.1, node 3.2, sh 2.0`. */
export const cpuSpentText = (by: ReadonlyMap<string, number>): string =>
  [...by]
    .sort((x, y) => y[1] - x[1])
    .slice(0, 8)
    .map(([name, sec]) => `${name} ${sec.toFixed(1)}`)
    .join(", ");

/**
 * Runs a verb and says where the Node side's CPU went: the program (cmd/run), the engine harness (this process) and
 * the provider host, the three processes `pulumi up` would run as well (the CLI's engine in Go). The program and the
 * provider host are this process's children, counted once each has exited.
 */
export async function withNodeCpu(label: string, verb: () => Promise<Summary>): Promise<Summary> {
  const harness0 = process.cpuUsage();
  const children0 = processCpu("self").children;
  const s = await verb();
  const harness = process.cpuUsage(harness0);
  const children = processCpu("self").children - children0;
  console.log(
    `${label.padEnd(8)} Node CPU seconds: program ${(children - s.providerCpuSeconds).toFixed(1)}, engine harness ` +
      `${((harness.user + harness.system) / 1e6).toFixed(1)}, provider host ${s.providerCpuSeconds.toFixed(1)}`,
  );
  return s;
}
