// What /proc says of CPU time: a process's own and its reaped children's, and the machine's; in seconds.
import { readFileSync } from "node:fs";

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

export interface ProcessCpu {
  /** The command name (`comm`). */
  name: string;
  /** Its own user and system time. */
  own: number;
  /** The user and system time of the children it has waited for. */
  children: number;
  /** When it started, in clock ticks since boot: with the pid, what tells it from a later process of the same pid. */
  start: number;
}

/** A process's CPU times from /proc/<pid>/stat ("self" for this one). Throws when the process is gone. */
export function processCpu(pid: number | "self"): ProcessCpu {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The name may itself hold ") ": the fields after it start with the state; utime, stime, cutime and cstime are
  // fields 14-17 of the line, 12-15 after the name and state, and starttime field 22.
  const f = stat.slice(stat.lastIndexOf(") ") + 2).split(" ");
  return {
    name: stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")),
    own: (Number(f[11]) + Number(f[12])) / USER_HZ,
    children: (Number(f[13]) + Number(f[14])) / USER_HZ,
    start: Number(f[19]),
  };
}

/** The machine's CPU times from /proc/stat, summed over its cores: busy (user, nice, system, irq) and stolen. */
export function machineCpu(): { busy: number; steal: number } {
  const [, user, nice, system, , , irq, softirq, steal] = readFileSync("/proc/stat", "utf8")
    .split("\n")[0]
    .trim()
    .split(/\s+/)
    .map(Number);
  return { busy: (user + nice + system + irq + softirq) / USER_HZ, steal: steal / USER_HZ };
}
