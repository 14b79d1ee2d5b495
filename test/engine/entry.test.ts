// The language-host entry: cmd/run, spawned as pulumi-language-nodejs spawns it, loads each project's own program.
import { strict as assert } from "node:assert";
import { join, relative } from "node:path";
import { startProgram } from "../../engine/language-host";
import { Monitor } from "../../engine/monitor";
import { loadProject } from "../../engine/project";
import { REPO } from "../../lab/harness";

/** Loaded with --require: prints the module cmd/run loads as the program. */
const HOOK = join(__dirname, "programs", "report-entry.js");

/** The program file cmd/run loads for the project in `dir`, answering every registration with its inputs. */
async function entryOf(dir: string): Promise<string> {
  const project = loadProject(dir);
  const monitor = await Monitor.start(join(REPO, "node_modules", "@pulumi", "pulumi"), {
    register: async (r) => ({
      urn: `urn:pulumi:entry::${project.name}::${r.type}::${r.name}`,
      id: "",
      outputs: r.inputs,
      secretKeys: [],
    }),
    registerOutputs: () => undefined,
    log: () => undefined,
  });
  const lines: string[] = [];
  const saved = process.env.NODE_OPTIONS;
  process.env.NODE_OPTIONS = `--require ${HOOK}`;
  try {
    const child = startProgram(
      project,
      {
        monitor: monitor.address,
        engine: monitor.address,
        stack: "entry",
        dryRun: true,
        parallel: 1,
        config: { namePrefix: "x-", hosts: "1" },
        secretKeys: [],
      },
      (l) => lines.push(l),
    );
    await new Promise((resolve) => child.once("exit", resolve));
  } finally {
    if (saved === undefined) delete process.env.NODE_OPTIONS;
    else process.env.NODE_OPTIONS = saved;
    monitor.stop();
  }
  const loaded = lines.find((l) => l.startsWith("pulumi-netns-entry: "));
  assert.ok(loaded, `cmd/run reported no program:\n${lines.join("\n")}`);
  return relative(REPO, loaded.slice("pulumi-netns-entry: ".length));
}

describe("the language-host entry runs each project's program, not the library", function () {
  this.timeout(60_000);
  for (const [dir, program] of [
    [".", "examples/seed/index.ts"],
    ["examples/openstack", "examples/openstack/index.ts"],
    ["examples/multihost", "examples/multihost/index.ts"],
    ["bench/program", "bench/program/index.ts"],
    ["bench/noop-program", "bench/noop-program/index.ts"],
    ["test/engine/programs/wiring", "test/engine/programs/wiring/index.ts"],
  ]) {
    it(`${dir}/Pulumi.yaml runs ${program}`, async () => {
      assert.equal(await entryOf(join(REPO, dir)), program);
    });
  }
});
