// Test access to the engine harness for the seed example: options with the lab connection and this run's name prefix.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { EngineOptions, Summary, Verb, runEngine } from "./engine";
import { RUN_PREFIX, lab } from "../helpers/lab";

export const REPO = join(__dirname, "..", "..");

export function seedOptions(statePath: string, extra: Record<string, string> = {}): EngineOptions {
  const l = lab();
  return {
    projectDir: REPO,
    program: join(REPO, "examples", "seed"),
    project: "pulumi-netns-seed",
    stack: "test",
    statePath,
    config: {
      host: l.host,
      port: String(l.port),
      user: l.user,
      privateKey: readFileSync(l.privateKeyPath, "utf8"),
      hostKey: l.hostKey,
      namePrefix: RUN_PREFIX,
      ...extra,
    },
    secretConfig: ["privateKey"],
    log: () => undefined,
  };
}

/** Runs a verb and fails with the engine's own errors when it reports any. */
export async function engine(verb: Verb, o: EngineOptions): Promise<Summary> {
  const s = await runEngine(verb, o);
  if (s.errors.length) throw new Error(`engine ${verb} failed:\n${s.errors.join("\n")}`);
  return s;
}
