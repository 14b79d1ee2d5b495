// npm run engine -- <up|preview|refresh|destroy> <dir> [--replace URN]... [--target URN]... [--target-replace URN]... [--parallel N] [--diff] [--refresh] [--expect-no-changes] [--config k=v]... [--state F] [--stack S]
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Verb, runEngine, shownOutput } from "./engine";
import { findProject } from "./project";

const VERBS = ["up", "preview", "refresh", "destroy"];
const USAGE =
  "usage: npm run engine -- <up|preview|refresh|destroy> <dir> [--replace URN]... [--target URN]... [--target-replace URN]... " +
  "[--parallel N] [--diff] [--refresh] [--expect-no-changes] [--config k=v]... [--state F] [--stack S]";

/** The connection as stack config: NETNS_* variables, else the lab host's details, else none (this machine). */
function connectionConfig(): { config: Record<string, string>; secret: string[] } {
  const env = process.env;
  const labFile = join(__dirname, "..", ".lab", "connection.json");
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

/** Every value of a repeatable flag. */
function all(args: string[], name: string): string[] {
  return args.flatMap((a, i) => (a === `--${name}` && i + 1 < args.length ? [args[i + 1]] : []));
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const [verb, dir] = args;
  if (!VERBS.includes(verb) || !dir) {
    console.error(USAGE);
    process.exit(2);
  }
  const one = (name: string) => all(args, name).pop();
  const projectDir = findProject(dir);
  const stack = one("stack") ?? "dev";
  const { config, secret } = connectionConfig();
  for (const kv of all(args, "config")) {
    const [k, ...v] = kv.split("=");
    config[k] = v.join("=");
  }
  const summary = await runEngine(verb as Verb, {
    projectDir,
    stack,
    statePath: resolve(one("state") ?? join(projectDir, ".engine", `${stack}.json`)),
    config,
    secretConfig: secret,
    parallel: one("parallel") ? Number(one("parallel")) : undefined,
    // --target-replace URN is --target URN --replace URN, as in the CLI.
    replace: [...all(args, "replace"), ...all(args, "target-replace")],
    target: [...all(args, "target"), ...all(args, "target-replace")],
    diff: args.includes("--diff"),
    refresh: args.includes("--refresh"),
    expectNoChanges: args.includes("--expect-no-changes"),
  });
  for (const e of summary.errors) console.error(`error: ${e}`);
  if (verb === "up" && Object.keys(summary.outputs).length) {
    // As `pulumi up` prints them.
    console.log("Outputs:");
    for (const [k, v] of Object.entries(summary.outputs)) console.log(`    ${k}: ${shownOutput(v)}`);
  }
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
