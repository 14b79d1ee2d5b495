// Process fields: one long-running command inside a named namespace, started detached with its own log.
import { z } from "zod";
import { replaces, updates } from "../dynamic/fields";
import { nsName } from "../validation";

const noNul = (s: string) => !s.includes("\0");

export const processFields = {
  /** The namespace the command runs in. Required: the library never starts programs in the host's namespace. */
  namespace: replaces(nsName()),
  /** Names this process's files in the library's run directory (letters, digits, '_', '-', '.'; up to 32). */
  name: replaces(
    z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}$/, "must be 1-32 letters, digits, '_', '-' or '.'"),
  ),
  /**
   * The program and its arguments, run as given (no shell unless you name one). It must stay in the foreground:
   * a program that forks into the background and exits is read as gone.
   */
  command: replaces(
    z
      .array(z.string().max(65536).refine(noNul, "must not contain a NUL byte"))
      .min(1, "must name a program")
      .max(1024)
      .refine((a) => a[0] !== "", "must name a program (the first element is empty)"),
  ),
  /**
   * Environment variables for the command, added to a minimal PATH-only environment. They reach it through a
   * file only its owner can read, removed once read, not through the command line; pass secret values as
   * secrets to keep them out of state.
   */
  environment: replaces(
    z
      .record(z.string(), z.string().max(65536).refine(noNul, "must not contain a NUL byte"))
      .superRefine((env, ctx) => {
        for (const k of Object.keys(env))
          if (!/^[A-Za-z_][A-Za-z0-9_]{0,127}$/.test(k))
            ctx.addIssue({
              code: "custom",
              path: [k],
              message: "a name must be letters, digits and '_', not starting with a digit",
            });
      })
      .default({}),
  ),
  /** The directory the command starts in (absolute). Defaults to "/". */
  workingDirectory: replaces(
    z
      .string()
      .regex(/^\/[^\0]*$/, "must be an absolute path")
      .max(4096)
      .default("/"),
  ),
  /**
   * A TCP port the command listens on in its namespace: create returns only once something listens there, so
   * dependents (a load balancer's members, say) start against a serving process.
   */
  readyTcpPort: updates(
    z.number().int().min(1, "must be a port from 1 to 65535").max(65535, "must be a port from 1 to 65535").optional(),
  ),
  /** How long create waits for the command to be ready (100-300000 ms). Defaults to 10000. */
  readyTimeoutMs: updates(z.number().int().min(100).max(300_000).default(10_000)),
};

export const processOutputs = {
  /** The process id (also its session and process group: stopping it stops everything it started). */
  pid: z.number(),
  /** The file collecting the command's standard output and error. */
  logPath: z.string(),
  /**
   * When the process started, in clock ticks since the host booted: with `pid`, what tells this process from a
   * later one the kernel gives the same pid, so that read and delete never take a stranger for it.
   */
  startTime: z.string(),
};

export const processSchema = z.object(processFields);

export type ProcessInputs = z.output<typeof processSchema>;
