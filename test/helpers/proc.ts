// What /proc says of a process on this machine: alive (zombies count as gone), its process group.
import { readFileSync } from "node:fs";

/** The fields of /proc/PID/stat after the command name, which may itself hold ") ": state first, then ppid, pgrp. */
const statFields = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(") ") + 2).split(" ");
};

export function alive(pid: number): boolean {
  try {
    return statFields(pid)[0] !== "Z";
  } catch {
    return false;
  }
}

/** The process group `pid` belongs to. */
export const processGroup = (pid: number) => Number(statFields(pid)[2]);
