// Namespace inputs.
import { z } from "zod";
import { nsName } from "../validation";

export const namespaceSchema = z.object({
  name: nsName().describe('The namespace name, as `ip netns add` takes it (e.g. "red", "qdhcp-<uuid>").'),
  loopbackUp: z.boolean().default(true).describe("Bring the namespace's loopback interface up. Defaults to true."),
  killProcesses: z
    .boolean()
    .default(false)
    .describe(
      "On delete, stop processes still running inside (TERM, then KILL) instead of failing. Defaults to false.",
    ),
});

export type NamespaceInputs = z.output<typeof namespaceSchema>;
