// Runs a program as pulumi-language-nodejs does: the SDK's cmd/run with the engine's arguments, env and directory.
import { ChildProcess, spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { Project } from "./project";

export interface RunArgs {
  monitor: string;
  engine: string;
  stack: string;
  dryRun: boolean;
  parallel: number;
  /** Stack config by key without the project prefix; secret ones are named in `secretKeys`. */
  config: Record<string, string>;
  secretKeys: string[];
}

/** The @pulumi/pulumi the program itself loads: the language host resolves cmd/run from the program's directory. */
export function sdkDir(from: string): string {
  return dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [from] }));
}

/** The argv the language host builds (constructArguments in pulumi-language-nodejs). */
export function runArgv(p: Project, a: RunArgs): string[] {
  return [
    ...p.nodeArgs,
    join(sdkDir(p.pwd), "cmd", "run"),
    "--monitor",
    a.monitor,
    "--engine",
    a.engine,
    "--organization",
    "organization",
    "--project",
    p.name,
    "--stack",
    a.stack,
    "--pwd",
    p.pwd,
    ...(a.dryRun ? ["--dry-run"] : []),
    ...(a.parallel > 1 ? ["--parallel", String(a.parallel)] : []),
    p.program,
  ];
}

export function runEnv(p: Project, a: RunArgs): NodeJS.ProcessEnv {
  const key = (k: string) => `${p.name}:${k}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...p.env,
    PULUMI_CONFIG: JSON.stringify(Object.fromEntries(Object.entries(a.config).map(([k, v]) => [key(k), v]))),
    PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(a.secretKeys.map(key)),
  };
  // The harness's own ts-node settings must not leak into the program's ts-node, which cmd/run configures itself.
  for (const k of Object.keys(env)) if (k.startsWith("TS_NODE_")) delete env[k];
  return env;
}

/** Spawns the program; stdout and stderr lines go to `out` as the CLI shows them. */
export function startProgram(p: Project, a: RunArgs, out: (line: string) => void): ChildProcess {
  const child = spawn(process.execPath, runArgv(p, a), {
    cwd: p.pwd,
    env: runEnv(p, a),
    stdio: ["ignore", "pipe", "pipe"],
  });
  for (const stream of [child.stdout!, child.stderr!]) {
    let rest = "";
    stream.on("data", (b: Buffer) => {
      const lines = (rest + b.toString()).split("\n");
      rest = lines.pop()!;
      lines.forEach(out);
    });
    stream.on("end", () => rest && out(rest));
  }
  return child;
}
