// Reads a Pulumi.yaml and computes what the Go engine and the Node.js language host hand the program: pwd, program, env.
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";

export interface Project {
  /** The directory holding Pulumi.yaml; the provider host runs here, as under the CLI. */
  dir: string;
  name: string;
  /** The program's working directory (pkg/engine/project.go getPwdMain). */
  pwd: string;
  /** The program argument cmd/run gets: "." for a directory main (cmd/run then reads package.json), else a path. */
  program: string;
  /** Runtime options: PULUMI_NODEJS_TYPESCRIPT and PULUMI_NODEJS_TSCONFIG_PATH, as the language host sets them. */
  env: Record<string, string>;
  /** Node flags from the runtime's nodeargs option. */
  nodeArgs: string[];
}

/** Pulumi.yaml's fields the engine needs; js-yaml comes with @pulumi/pulumi. */
interface ProjectFile {
  name?: string;
  main?: string;
  runtime?: string | { name?: string; options?: { typescript?: boolean; tsconfig?: string; nodeargs?: string } };
}

function parse(file: string): ProjectFile {
  const yaml = require(require.resolve("js-yaml", { paths: [dirname(file), __dirname] })) as {
    load(text: string): unknown;
  };
  return (yaml.load(readFileSync(file, "utf8")) ?? {}) as ProjectFile;
}

/** Finds Pulumi.yaml at or above `dir`, as the CLI does from its working directory. */
export function findProject(dir: string): string {
  for (let d = resolve(dir); ; d = dirname(d)) {
    if (existsSync(join(d, "Pulumi.yaml"))) return d;
    if (d === dirname(d)) throw new Error(`no Pulumi.yaml at or above ${dir}`);
  }
}

export function loadProject(dir: string): Project {
  const file = join(dir, "Pulumi.yaml");
  const p = parse(file);
  if (!p.name) throw new Error(`${file}: no project name`);
  const runtime = typeof p.runtime === "string" ? { name: p.runtime } : (p.runtime ?? {});
  if (runtime.name !== "nodejs") throw new Error(`${file}: the harness runs nodejs programs, not ${runtime.name}`);
  // getPwdMain: a directory main becomes the working directory and the program "."; a file stays relative to
  // the project root, which stays the working directory.
  let pwd = dir;
  let program = ".";
  if (p.main) {
    if (isAbsolute(p.main)) throw new Error(`${file}: project 'main' must be a relative path`);
    const main = resolve(dir, p.main);
    if (relative(dir, main).startsWith("..")) throw new Error(`${file}: project 'main' must be a subfolder`);
    if (statSync(main).isDirectory()) pwd = main;
    else program = relative(dir, main);
  }
  const options = runtime.options ?? {};
  // The language host's default is TypeScript on (typescript: false turns it off).
  const env: Record<string, string> = { PULUMI_NODEJS_TYPESCRIPT: String(options.typescript ?? true) };
  if (options.tsconfig) env.PULUMI_NODEJS_TSCONFIG_PATH = options.tsconfig;
  return { dir, name: p.name, pwd, program, env, nodeArgs: options.nodeargs?.split(/\s+/).filter(Boolean) ?? [] };
}
