// Sysctl commands, pure: read and write one setting inside a namespace, and the values' normal form.
import { inNetns } from "../shell/netns";

export const read = (namespace: string, key: string) => inNetns(namespace, ["sysctl", "-n", key]);

export const write = (namespace: string, key: string, value: string) =>
  inNetns(namespace, ["sysctl", "-q", "-w", `${key}=${value}`]);

/** The kernel separates a setting's numbers with tabs; compare with runs of blanks as one space. */
export const normal = (value: string) => value.trim().replace(/\s+/g, " ");
