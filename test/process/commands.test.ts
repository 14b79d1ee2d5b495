// Process command builders, run through a real /bin/sh where the shell is what matters (quoting, sourcing).
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as cmd from "../../provider/process/commands";
import { processSchema } from "../../provider/process/schema";

const inputs = (extra: Record<string, unknown> = {}) =>
  processSchema.parse({ namespace: "qlbaas-1", name: "web", command: ["node", "-e", "x"], ...extra });

describe("Process commands", () => {
  it("writes an environment file that /bin/sh reads back byte for byte", () => {
    const env = { A: "plain", B: 'it\'s "q" $HOME `id` \\ \n two lines', C: "" };
    const dir = mkdtempSync(join(tmpdir(), "pn-env-"));
    try {
      writeFileSync(join(dir, "env"), cmd.envFileText(env));
      const out = execFileSync(
        "/bin/sh",
        ["-c", `set -a; . "$0"; set +a; printf '%s\\0' "$A" "$B" "$C"`, join(dir, "env")],
        {
          env: {},
        },
      ).toString();
      assert.deepEqual(out.split("\0").slice(0, 3), [env.A, env.B, env.C]);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it("keeps the environment's values out of the command line that starts the process", () => {
    const script = cmd.startScript(inputs({ environment: { TOKEN: "s3cret" } }));
    const launch = script.split("\n").find((l) => l.startsWith("env -i"))!;
    assert.ok(launch.includes("setsid -f"), launch);
    assert.ok(!launch.includes("s3cret"), "the value is only in the file the script writes");
    assert.match(script, /umask 077/);
  });

  it("reads the probe line and the session listing", () => {
    assert.deepEqual(cmd.parseProbe("123 1 0\n"), { pid: 123, alive: true, listening: false });
    assert.deepEqual(cmd.parseProbe("- 0 0\n"), { pid: undefined, alive: false, listening: false });
    assert.deepEqual(cmd.parseSession(" 10 Ss\n 11 S\n 12 Z\n"), [10, 11], "zombies are not left to stop");
    assert.deepEqual(cmd.parseSession(""), []);
  });

  it("probes through /bin/sh: no pid file, a live pid, a dead one", () => {
    const dir = mkdtempSync(join(tmpdir(), "pn-probe-"));
    try {
      // The probe reads the pid file at its usual path: run it with that path rewritten into the temp directory.
      const pidFile = cmd.processPaths(inputs()).pidFile;
      const probe = () =>
        cmd.parseProbe(
          execFileSync("/bin/sh", ["-c", cmd.probeScript(inputs()).replace(pidFile, join(dir, "pid"))]).toString(),
        );
      assert.deepEqual(probe(), { pid: undefined, alive: false, listening: false });
      writeFileSync(join(dir, "pid"), `${process.pid}\n`);
      assert.deepEqual(
        probe(),
        { pid: process.pid, alive: true, listening: true },
        "no ready port: listening is not asked",
      );
      writeFileSync(join(dir, "pid"), "4194304\n");
      assert.deepEqual(probe(), { pid: 4194304, alive: false, listening: false });
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
