// What /proc says of a process on this machine: alive (zombies count as gone), its process group.
import { readFileSync } from "node:fs";

export function alive(pid: number): boolean {
  try {
    return !readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].startsWith("Z");
  } catch {
    return false;
  }
}

/** The process group `pid` belongs to (field 5 of /proc/PID/stat). */
export function processGroup(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ")[2]);
}
