// npm run engine -- <up|preview|refresh|destroy> <program-dir> [--state F] [--stack S] [--parallel N] [--config k=v ...]
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { Verb, runEngine } from "./engine";

const VERBS = ["up", "preview", "refresh", "destroy"];

/** Finds Pulumi.yaml at or above `dir`; its directory is the project directory. */
function findProject(dir: string): { projectDir: string; project: string; main?: string } {
  for (let d = resolve(dir); ; d = dirname(d)) {
    const file = join(d, "Pulumi.yaml");
    if (existsSync(file)) {
      const text = readFileSync(file, "utf8");
      return { projectDir: d, project: /^name:\s*(\S+)/m.exec(text)![1], main: /^main:\s*(\S+)/m.exec(text)?.[1] };
    }
    if (d === dirname(d)) throw new Error(`no Pulumi.yaml at or above ${dir}`);
  }
}

/** The connection as stack config: NETNS_* variables, else the lab host's details, else none (this machine). */
function connectionConfig(): { config: Record<string, string>; secret: string[] } {
  const env = process.env;
  const labFile = join(__dirname, "..", "..", ".lab", "connection.json");
  if (env.NETNS_HOST) {
    const config: Record<string, string> = {
      host: env.NETNS_HOST,
      port: env.NETNS_PORT ?? "22",
      user: env.NETNS_USER ?? "root",
    };
    if (env.NETNS_PRIVATE_KEY_FILE) config.privateKey = readFileSync(env.NETNS_PRIVATE_KEY_FILE, "utf8");
    if (env.NETNS_HOST_KEY) config.hostKey = env.NETNS_HOST_KEY;
    return { config, secret: ["privateKey"] };
  }
  if (existsSync(labFile)) {
    const lab = JSON.parse(readFileSync(labFile, "utf8"));
    return {
      config: {
        host: lab.host,
        port: String(lab.port),
        user: lab.user,
        privateKey: readFileSync(lab.privateKeyPath, "utf8"),
        hostKey: lab.hostKey,
      },
      secret: ["privateKey"],
    };
  }
  return { config: {}, secret: [] };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const [verb, dir] = args;
  if (!VERBS.includes(verb) || !dir) {
    console.error(
      "usage: npm run engine -- <up|preview|refresh|destroy> <program-dir> [--state F] [--stack S] [--parallel N] [--config k=v]",
    );
    process.exit(2);
  }
  const opt = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i > 0 ? args[i + 1] : undefined;
  };
  const found = findProject(dir);
  const program =
    existsSync(join(resolve(dir), "Pulumi.yaml")) && found.main ? resolve(found.projectDir, found.main) : resolve(dir);
  const stack = opt("stack") ?? "dev";
  const { config, secret } = connectionConfig();
  args.forEach((a, i) => {
    if (a === "--config") {
      const [k, ...v] = args[i + 1].split("=");
      config[k] = v.join("=");
    }
  });
  const summary = await runEngine(verb as Verb, {
    projectDir: found.projectDir,
    program,
    project: found.project,
    stack,
    statePath: resolve(opt("state") ?? join(found.projectDir, ".engine", `${stack}.json`)),
    config,
    secretConfig: secret,
    parallel: opt("parallel") ? Number(opt("parallel")) : undefined,
  });
  for (const e of summary.errors) console.error(`error: ${e}`);
  const c = summary.counts;
  console.log(
    `engine: ${verb} create=${c.create} update=${c.update} replace=${c.replace} delete=${c.delete} same=${c.same} gone=${c.gone}`,
  );
  process.exit(summary.errors.length ? 1 : 0);
}

main().catch((e) => {
  console.error(`engine: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
