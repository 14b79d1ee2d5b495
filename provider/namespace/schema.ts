// Namespace fields: the inputs, each with its doc and what a change to it means.
import { z } from "zod";
import { replaces, updates } from "../dynamic/fields";
import { nsName } from "../validation";

export const namespaceFields = {
  /** The namespace name, as `ip netns add` takes it (e.g. "red", "qdhcp-<uuid>"). */
  name: replaces(nsName()),
  /** Bring the namespace's loopback interface up. Defaults to true. */
  loopbackUp: updates(z.boolean().default(true)),
  /** On delete, stop processes still running inside (TERM, then KILL) instead of failing. Defaults to false. */
  killProcesses: updates(z.boolean().default(false)),
};

/** Namespace computes nothing beyond its inputs. */
export const namespaceOutputs = {};

export const namespaceSchema = z.object(namespaceFields);

export type NamespaceInputs = z.output<typeof namespaceSchema>;
