// The harness's command line read into its parts, as `pulumi` reads the same flags (docs/ARCHITECTURE.md, "The engine
// harness"); pure, so each flag is tested without running an engine.
export const VERBS = ["up", "preview", "refresh", "destroy"] as const;
export const USAGE =
  "usage: npm run engine -- <up|preview|refresh|destroy> <dir> [--replace URN]... [--target URN]... [--target-replace URN]... " +
  "[--parallel N] [--diff] [--refresh] [--expect-no-changes] [--config k=v]... [--state F] [--stack S]";

export interface Args {
  verb: (typeof VERBS)[number];
  dir: string;
  stack: string;
  state?: string;
  /** `--config k=v`, each; a value may itself hold "=". */
  config: Record<string, string>;
  parallel?: number;
  replace: string[];
  target: string[];
  diff: boolean;
  refresh: boolean;
  expectNoChanges: boolean;
}

/** Every value of a repeatable flag. */
const all = (args: string[], name: string) =>
  args.flatMap((a, i) => (a === `--${name}` && i + 1 < args.length ? [args[i + 1]] : []));

/** The arguments after `npm run engine --`; undefined when there is no verb or directory (print USAGE). */
export function parseArgs(args: string[]): Args | undefined {
  const [verb, dir] = args;
  if (!(VERBS as readonly string[]).includes(verb) || !dir) return undefined;
  const one = (name: string) => all(args, name).pop();
  const config: Record<string, string> = {};
  for (const kv of all(args, "config")) {
    const [k, ...v] = kv.split("=");
    config[k] = v.join("=");
  }
  const parallel = one("parallel");
  return {
    verb: verb as Args["verb"],
    dir,
    stack: one("stack") ?? "dev",
    state: one("state"),
    config,
    parallel: parallel ? Number(parallel) : undefined,
    // --target-replace URN is --target URN --replace URN, as in the CLI.
    replace: [...all(args, "replace"), ...all(args, "target-replace")],
    target: [...all(args, "target"), ...all(args, "target-replace")],
    diff: args.includes("--diff"),
    refresh: args.includes("--refresh"),
    expectNoChanges: args.includes("--expect-no-changes"),
  };
}
