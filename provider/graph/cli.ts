// `pulumi-netns graph`: draws a stack's topology from `pulumi stack export` JSON or a harness state file.
import { readFileSync, writeFileSync } from "node:fs";
import { toDot } from "./dot";
import { toHtml } from "./html";
import { toMermaid } from "./mermaid";
import { Topology, topology } from "./model";
import { parseJson, resourcesOf } from "./state";
import { dotToSvg } from "./svg";

const FORMATS = ["mermaid", "dot", "svg", "html"] as const;
type Format = (typeof FORMATS)[number];

const USAGE = `usage: pulumi-netns graph [--from FILE|-] [--format ${FORMATS.join("|")}] [-o FILE]

Draws the pulumi-netns resources of a stack: pipe \`pulumi stack export\` in (or name its file, or an engine
harness state file, with --from). Reads the state only, never a host. Writes to standard output unless -o.`;

interface Options {
  from: string;
  format: Format;
  out?: string;
}

export function parseArgs(argv: string[]): Options {
  const [command, ...rest] = argv;
  if (command !== "graph") throw new Error(command ? `unknown command "${command}"\n${USAGE}` : USAGE);
  const o: Options = { from: "-", format: "mermaid" };
  for (let i = 0; i < rest.length; i++) {
    const value = () => {
      const v = rest[++i];
      if (v === undefined) throw new Error(`${rest[i - 1]} needs a value\n${USAGE}`);
      return v;
    };
    const a = rest[i];
    if (a === "--from") o.from = value();
    else if (a === "--format") {
      const f = value();
      if (!(FORMATS as readonly string[]).includes(f))
        throw new Error(`--format must be one of ${FORMATS.join(", ")}, not "${f}"`);
      o.format = f as Format;
    } else if (a === "-o" || a === "--output") o.out = value();
    else if (a === "-h" || a === "--help") throw new Error(USAGE);
    else throw new Error(`unknown option "${a}"\n${USAGE}`);
  }
  return o;
}

/** The picture in one format. */
export async function render(t: Topology, format: Format, title: string): Promise<string> {
  if (format === "mermaid") return toMermaid(t);
  if (format === "dot") return toDot(t);
  const svg = await dotToSvg(toDot(t));
  return format === "svg" ? svg : toHtml(t, svg, title);
}

/** Reads, draws and writes; returns the exit code. Nothing of ours in the stack is said and is code 1. */
export async function main(argv: string[], stdin: () => string): Promise<number> {
  const o = parseArgs(argv);
  const source = o.from === "-" ? "standard input" : o.from;
  const text = o.from === "-" ? stdin() : readFileSync(o.from, "utf8");
  const all = resourcesOf(parseJson(text, source), source);
  const t = topology(all);
  if (t.nodes.length === 0) {
    process.stderr.write(
      `nothing to draw: ${source} holds no pulumi-netns namespace, bridge or link (${all.length} resources in all)\n`,
    );
    return 1;
  }
  const picture = await render(t, o.format, `pulumi-netns topology (${source})`);
  if (o.out) writeFileSync(o.out, picture);
  else process.stdout.write(picture);
  return 0;
}
