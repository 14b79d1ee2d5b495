// Whether a process on this machine is alive, read from /proc (zombies count as gone).
import { readFileSync } from "node:fs";

export function alive(pid: number): boolean {
  try {
    return !readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].startsWith("Z");
  } catch {
    return false;
  }
}
