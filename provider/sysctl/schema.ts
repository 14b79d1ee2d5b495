// Sysctl fields: one kernel setting under net. inside a named namespace, and the value it found there.
import { z } from "zod";
import { replaces, updates } from "../dynamic/fields";
import { nsName } from "../validation";
import { normal } from "./commands";

export const sysctlFields = {
  /** The namespace whose setting this is. Required: the host's own settings are never touched. */
  namespace: replaces(nsName()),
  /**
   * The setting, dotted as sysctl names it, under net. only (e.g. "net.ipv4.ip_forward",
   * "net.ipv4.conf.all.arp_ignore"). Each part is letters, digits, "_" or "-".
   */
  key: replaces(
    z
      .string()
      .max(200)
      .regex(/^net(\.[A-Za-z0-9_-]+)+$/, 'must be a setting under net., like "net.ipv4.ip_forward"'),
  ),
  /** The value to set, as sysctl prints it (e.g. "1", "32768 60999"); runs of blanks compare as one space. */
  value: updates(
    z
      .string()
      .min(1)
      .max(256)
      .regex(/^[A-Za-z0-9 \t_.:,-]+$/, 'must be numbers or words separated by blanks (like "1" or "32768 60999")')
      .transform(normal),
  ),
};

export const sysctlOutputs = {
  /** The value found before create set it; delete puts it back. */
  previous: z.string(),
};

export const sysctlSchema = z.object(sysctlFields);

export type SysctlInputs = z.output<typeof sysctlSchema>;
