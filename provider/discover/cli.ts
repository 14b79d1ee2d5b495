// `pulumi-netns discover`: reads a host's hand-built lab and writes a Pulumi project whose resources adopt it.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { connectionSchema } from "../connection";
import { quote } from "../shell/quote";
import { closeAllPools, runnerFor } from "../transport";
import { Runner } from "../transport/runner";
import { Lab, Scope, labOf } from "./model";
import { Target, projectFiles } from "./program";
import { HostView, readHost } from "./read";
import { handServer } from "../dhcp-server/hand";
import { programOf } from "../daemons/hand-started";
import { framedScript, parseFrames } from "../shell/frames";

export const USAGE = `usage: pulumi-netns discover --out DIR [--namespace NAME]... [--bridge NAME]...
                         [--host HOST [--port N] [--user USER] [--private-key-file FILE] [--host-key KEY]]
                         [--project NAME]

Reads a lab built by hand (namespaces, veth pairs, Open vSwitch bridges and ports, addresses, routes, settings,
dnsmasq and dhclient) on this machine, or on HOST over SSH, and writes a Pulumi TypeScript project to DIR
(Pulumi.yaml, package.json, index.ts) in which every resource adopts what is there: its first \`up\` takes the
lab over in place. Only reads the host. --namespace and --bridge limit it to those (repeatable).`;

export interface DiscoverOptions {
  out: string;
  project: string;
  scope: Scope;
  /** The connection, checked as a resource's is; undefined for this machine. */
  connection?: Record<string, unknown>;
}

export function parseDiscoverArgs(argv: string[], readKey: (file: string) => string): DiscoverOptions {
  let out: string | undefined;
  let project: string | undefined;
  const scope: Scope = {};
  const raw: Record<string, unknown> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith("--")) throw new Error(`${a} needs a value\n${USAGE}`);
      return v;
    };
    if (a === "--out") out = value();
    else if (a === "--project") project = value();
    else if (a === "--namespace") (scope.namespaces ??= []).push(value());
    else if (a === "--bridge") (scope.bridges ??= []).push(value());
    else if (a === "--host") raw.host = value();
    else if (a === "--port") raw.port = Number(value());
    else if (a === "--user") raw.user = value();
    else if (a === "--host-key") raw.hostKey = value();
    else if (a === "--private-key-file") {
      const file = value();
      try {
        raw.privateKey = readKey(file);
      } catch (e) {
        throw new Error(`--private-key-file: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? "error"})`, {
          cause: e,
        });
      }
    } else if (a === "-h" || a === "--help") throw new Error(USAGE);
    else throw new Error(`unknown option "${a}"\n${USAGE}`);
  }
  if (!out) throw new Error(`--out is required\n${USAGE}`);
  const remote = Object.keys(raw).length > 0;
  if (remote && raw.host === undefined)
    throw new Error("--host is required with --port, --user, --private-key-file or --host-key");
  if (remote) {
    const checked = connectionSchema.safeParse(raw);
    if (!checked.success) {
      const flag: Record<string, string> = { privateKey: "--private-key-file", hostKey: "--host-key" };
      const problems = checked.error.issues.map(
        (i) => `${flag[String(i.path[0])] ?? `--${String(i.path[0])}`}: ${i.message}`,
      );
      throw new Error(problems.join("; "));
    }
  }
  const name = (project ?? basename(resolve(out))).toLowerCase().replace(/[^a-z0-9._-]+/g, "-") || "discovered-lab";
  return { out, project: name, scope, ...(remote && { connection: raw }) };
}

/** The conf files the lab's dnsmasq processes name (their options count too), read together. */
async function confFiles(runner: Runner, view: HostView): Promise<Record<string, string>> {
  const files = [
    ...new Set(
      view.processes
        .filter((p) => programOf(p.argv) === "dnsmasq")
        .map((p) => handServer(p.argv).confFile)
        .filter((f): f is string => f !== undefined),
    ),
  ];
  if (!files.length) return {};
  const read = parseFrames(
    await runner.script(framedScript(files.map((f, i) => ({ label: String(i), script: `cat ${quote(f)}` })))),
  );
  return Object.fromEntries(read.filter((r) => r.code === 0).map((r) => [files[Number(r.label)], r.stdout]));
}

const versionOf = (pkg: string, fallback: string) => {
  try {
    return (require(`${pkg}/package.json`) as { version: string }).version;
  } catch {
    return fallback;
  }
};

/** How many resources a lab declares beyond its Host. */
export const resourceCount = (l: Lab) =>
  [l.bridges, l.namespaces, l.veths, l.ports, l.addresses, l.routes, l.sysctls, l.servers, l.clients].reduce(
    (n, list) => n + list.length,
    0,
  );

export async function discover(o: DiscoverOptions, say: (line: string) => void): Promise<Lab> {
  const runner = runnerFor(o.connection);
  const source = o.connection
    ? `${String(o.connection.user ?? "root")}@${String(o.connection.host)}:${String(o.connection.port ?? 22)}`
    : "this machine";
  try {
    const view = await readHost(runner, { namespaces: o.scope.namespaces });
    const lab = labOf(view, o.scope, await confFiles(runner, view));
    const target: Target | undefined = o.connection && {
      host: String(o.connection.host),
      port: Number(o.connection.port ?? 22),
      user: String(o.connection.user ?? "root"),
      ...(typeof o.connection.hostKey === "string" && { hostKey: o.connection.hostKey }),
    };
    const files = projectFiles(lab, {
      project: o.project,
      source,
      target,
      versions: {
        netns: versionOf("pulumi-netns", "0.1.0"),
        pulumi: versionOf("@pulumi/pulumi", "3.0.0"),
        typescript: versionOf("typescript", "5.0.0"),
      },
    });
    const taken = Object.keys(files).filter((f) => existsSync(join(o.out, f)));
    if (taken.length) throw new Error(`${o.out} already holds ${taken.join(", ")}: pick an empty directory`);
    mkdirSync(o.out, { recursive: true });
    for (const [f, text] of Object.entries(files)) writeFileSync(join(o.out, f), text);
    const n = resourceCount(lab);
    say(
      n === 0
        ? `discover: nothing to manage on ${source}; wrote ${o.out} with a Host only`
        : `discover: wrote ${o.out}: ${n} resources to adopt on ${source}` +
            (lab.notManaged.length
              ? `; ${lab.notManaged.length} things seen but not managed (listed at the top of index.ts)`
              : "") +
            (lab.owned.length ? `; ${lab.owned.length} already managed by pulumi-netns, left out` : ""),
    );
    return lab;
  } finally {
    closeAllPools();
  }
}

export async function main(argv: string[], say: (line: string) => void = (l) => process.stdout.write(`${l}\n`)) {
  await discover(
    parseDiscoverArgs(argv, (f) => readFileSync(f, "utf8")),
    say,
  );
  return 0;
}
