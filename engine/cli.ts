// npm run engine -- <up|preview|refresh|destroy> <dir> [--replace URN]... [--target URN]... [--target-replace URN]... [--parallel N] [--diff] [--refresh] [--expect-no-changes] [--config k=v]... [--state F] [--stack S]
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { USAGE, parseArgs } from "./args";
import { runEngine, shownOutput } from "./engine";
import { findProject } from "./project";

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

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (!args) {
    console.error(USAGE);
    process.exit(2);
  }
  const projectDir = findProject(args.dir);
  const { config, secret } = connectionConfig();
  const verb = args.verb;
  const summary = await runEngine(verb, {
    projectDir,
    stack: args.stack,
    statePath: resolve(args.state ?? join(projectDir, ".engine", `${args.stack}.json`)),
    config: { ...config, ...args.config },
    secretConfig: secret,
    parallel: args.parallel,
    replace: args.replace,
    target: args.target,
    diff: args.diff,
    refresh: args.refresh,
    expectNoChanges: args.expectNoChanges,
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
