// Test access to the engine harness for the seed example: options with the lab connection and this run's name prefix.
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { EngineOptions, Summary, Verb, runEngine } from "../engine/engine";
import { RUN_PREFIX, lab } from "./access";
import { sweep } from "./sweep";

export const REPO = join(__dirname, "..");

/**
 * Options for the project in `projectDir`, stack `stack`: the lab host's connection as stack config (the key secret),
 * plus `config`.
 */
export function labOptions(
  projectDir: string,
  stack: string,
  statePath: string,
  config: Record<string, string>,
): EngineOptions {
  const l = lab();
  return {
    projectDir,
    stack,
    statePath,
    config: {
      host: l.host,
      port: String(l.port),
      user: l.user,
      privateKey: readFileSync(l.privateKeyPath, "utf8"),
      hostKey: l.hostKey,
      ...config,
    },
    secretConfig: ["privateKey"],
    log: () => undefined,
  };
}

/** Options for the seed example (the root Pulumi.yaml), its names prefixed with this run's prefix. */
export const seedOptions = (statePath: string, extra: Record<string, string> = {}) =>
  labOptions(REPO, "test", statePath, { namePrefix: RUN_PREFIX, ...extra });

/**
 * Options for a project on lab hosts A, B and C: config `hosts` lists them, `privateKey` (secret) logs in to all,
 * and an unreachable host fails fast (two tries of 3 s); names prefixed with this run's prefix.
 */
export function labHostsOptions(
  projectDir: string,
  stack: string,
  statePath: string,
  extra: Record<string, string> = {},
): EngineOptions {
  const hosts = lab().hosts;
  return {
    projectDir,
    stack,
    statePath,
    config: {
      hosts: JSON.stringify(
        hosts.map(({ name, host, port, user, hostKey, underlayIp }) => ({
          name,
          host,
          port,
          user,
          hostKey,
          underlayIp,
        })),
      ),
      privateKey: readFileSync(hosts[0].privateKeyPath, "utf8"),
      namePrefix: RUN_PREFIX,
      dialErrorLimit: "2",
      perDialTimeout: "3",
      ...extra,
    },
    secretConfig: ["privateKey"],
    log: () => undefined,
  };
}

/** Options for examples/multihost on lab hosts A, B and C. */
export const multihostOptions = (statePath: string, extra: Record<string, string> = {}) =>
  labHostsOptions(join(REPO, "examples", "multihost"), "multihost", statePath, extra);

/** Options for the benchmark program (bench/program) in the repo: `hosts` hosts named with `prefix`. */
export const benchOptions = (prefix: string, stack: string, hosts: number) =>
  labOptions(join(REPO, "bench", "program"), stack, `/tmp/${prefix}state.json`, {
    hosts: String(hosts),
    namePrefix: prefix,
  });

/** After a test: destroys what the stack holds, removes its state file, and sweeps whatever is left with `prefix`. */
export async function cleanUp(o: EngineOptions, prefix: string): Promise<void> {
  await engine("destroy", o).catch(() => undefined);
  rmSync(o.statePath, { force: true });
  sweep(prefix);
}

/** Runs a verb and fails with the engine's own errors when it reports any. */
export async function engine(verb: Verb, o: EngineOptions): Promise<Summary> {
  const s = await runEngine(verb, o);
  if (s.errors.length) throw new Error(`engine ${verb} failed:\n${s.errors.join("\n")}`);
  return s;
}
