#!/usr/bin/env node
// The `pulumi-netns` command: `graph` draws a stack's topology, `discover` writes a program that adopts a hand-built lab.
import { readFileSync } from "node:fs";
import * as discover from "./discover/cli";
import * as graph from "./graph/cli";

const USAGE = `usage: pulumi-netns graph ...     draw a stack's topology (pulumi-netns graph --help)
       pulumi-netns discover ...  write a program that adopts a lab built by hand (pulumi-netns discover --help)`;

/** Runs one command; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "graph") return graph.main(argv, () => readFileSync(0, "utf8"));
  if (command === "discover") return discover.main(rest);
  throw new Error(command && !command.startsWith("-") ? `unknown command "${command}"\n${USAGE}` : USAGE);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e: Error) => {
      process.stderr.write(`pulumi-netns: ${e.message}\n`);
      process.exitCode = 2;
    },
  );
}
