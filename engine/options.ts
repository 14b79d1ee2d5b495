// What a run of the engine harness is told (its options) and what it reports (its summary).
import type { Registration } from "./monitor";

type Props = Record<string, unknown>;

export type Verb = "up" | "preview" | "refresh" | "destroy";
export type Status = "create" | "update" | "replace" | "delete" | "same" | "gone";
export interface EngineOptions {
  /** The directory holding Pulumi.yaml: the program's pwd and entry come from it as under the CLI. */
  projectDir: string;
  stack: string;
  statePath: string;
  /** Stack config, by key without the project prefix. */
  config: Record<string, string>;
  secretConfig: string[];
  /** Resource operations at once; Pulumi's default is 4 x CPU cores. */
  parallel?: number;
  /** `--replace URN`: replace these resources without consulting Diff (create first unless deleteBeforeReplace). */
  replace?: string[];
  /** `--target URN`: only these resources change; everything else stays as it is. */
  target?: string[];
  /**
   * `--refresh` (up and preview): read every resource first, as refresh does, then run the program against what was
   * read, in one run: what a read found gone is created again, what it found drifted is updated.
   */
  refresh?: boolean;
  /**
   * `--expect-no-changes` (refresh, preview, up): the run fails when anything would change or changed, as with the
   * CLI: a nightly refresh then fails once a probe or any object drifted.
   */
  expectNoChanges?: boolean;
  /** `--diff`: print the changed properties under each update and replace. */
  diff?: boolean;
  /** Sees each registration as the program sent it (for tests of what a program registers). */
  onRegister?: (urn: string, r: Registration) => void;
  log?: (line: string) => void;
}

export interface Summary {
  verb: Verb;
  counts: Record<Status, number>;
  /** Failed steps, each `<urn>: <message>`, and a failed program. */
  errors: string[];
  /** Error diagnostics the program logged. */
  diagnostics: string[];
  peakRssMb: number;
  /** The CPU seconds the provider host used during the verb (its start included). */
  providerCpuSeconds: number;
  /** One `<status> <type> <name>` per resource. */
  lines: string[];
  /** The stack's outputs, after up. */
  outputs: Props;
  /** The verb's wall time, as a user sees it. */
  wallSeconds: number;
  /** The time during which at least one provider call was in flight (the program and these calls overlap). */
  operationSeconds: number;
  /**
   * From the first provider call's start to the last one's end: where calls take no time (a provider that does
   * nothing), how long the program and the engine take to hand every resource over.
   */
  operationSpanSeconds: number;
  /** Every create, read, update and delete the provider ran, in the order they ended (bench/phases.ts reads them). */
  operations: Operation[];
  /** The step generator's turns: each registration's Check and Diff, one at a time (bench/phases.ts reads them). */
  steps: Turn[];
}

/** One turn of the step generator (operations.ts OneAtATime): when it was asked for, began and ended (performance.now() ms). */
export interface Turn {
  askedMs: number;
  startMs: number;
  endMs: number;
}

/** One create, read, update or delete, timed (Unix ms). */
export interface Operation {
  /** The resource's type token, e.g. `pulumi-nodejs:dynamic/netns:Namespace`. */
  type: string;
  startMs: number;
  endMs: number;
}
