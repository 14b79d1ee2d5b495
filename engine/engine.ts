// The engine harness: runs a program through the SDK's real entry and turns its registrations into provider steps as
// the Go engine does (docs/ARCHITECTURE.md, "The engine harness"): options.ts what a run is told and reports,
// run.ts one run's steps, rules.ts the engine's pure rules, operations.ts the bounded and timed provider calls.
import { loadProject } from "./project";
import { ProviderHost } from "./provider-host";
import { Run } from "./run";
import { loadState } from "./state";
import type { EngineOptions, Summary, Verb } from "./options";

export type { EngineOptions, Operation, Status, Summary, Turn, Verb } from "./options";
export { makeUrn, shown, shownOutput } from "./rules";

/** Runs one verb on a project, as `pulumi <verb>` does, and reports what it did. */
export async function runEngine(verb: Verb, o: EngineOptions): Promise<Summary> {
  const started = Date.now();
  const project = loadProject(o.projectDir);
  const run = new Run(verb, o, project, loadState(o.statePath), await ProviderHost.start(project.dir));
  return run.finish(started);
}
