// Where a verb's CPU went, for the benchmark's profile lines: every program on the machine, and the Node processes.
import { readdirSync } from "node:fs";
import type { Summary } from "../engine/engine";
import { processCpu } from "../engine/proc";

/**
 * CPU seconds each live process has used so far with the children it has waited for (an `ip` started by a session
 * shell counts under `sh`), by pid. Processes that ended before the second sample drop out of it, so only what stayed
 * alive across a verb is compared.
 */
export function cpuByProcess(): Map<number, { name: string; seconds: number }> {
  const out = new Map<number, { name: string; seconds: number }>();
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const p = processCpu(Number(pid));
      out.set(Number(pid), { name: p.name, seconds: p.own + p.children });
    } catch {
      // gone between the listing and the read
    }
  }
  return out;
}

/** What each program spent between two samples, largest first: `ovs-vswitchd 4.1, node 3.2, sh 2.0`. */
export function cpuSpent(before: ReturnType<typeof cpuByProcess>, after: ReturnType<typeof cpuByProcess>): string {
  const by = new Map<string, number>();
  for (const [pid, a] of after) {
    const b = before.get(pid);
    const spent = a.seconds - (b && b.name === a.name ? b.seconds : 0);
    if (spent > 0) by.set(a.name, (by.get(a.name) ?? 0) + spent);
  }
  return [...by]
    .sort((x, y) => y[1] - x[1])
    .slice(0, 8)
    .map(([name, sec]) => `${name} ${sec.toFixed(1)}`)
    .join(", ");
}

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
