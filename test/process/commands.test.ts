// Process command builders, run through a real /bin/sh where the shell is what matters (quoting, sourcing).
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as cmd from "../../provider/process/commands";
import { processSchema } from "../../provider/process/schema";
import { eventually } from "../helpers/wait";

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

  /**
   * The start script run by /bin/sh with the host's places moved into a temporary directory: the run directory, the
   * namespace's file, and `ip netns exec` (which needs root) left out.
   */
  function sandboxed(dir: string, script: string, ns: string) {
    return script
      .split("/run/pulumi-netns")
      .join(join(dir, "run"))
      .split(`/run/netns/${ns}`)
      .join(join(dir, "netns"))
      .split(`ip netns exec ${ns} `)
      .join("");
  }

  it("starts the command detached in its working directory with only its environment and PATH, logging its output", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pn-start-"));
    try {
      mkdirSync(join(dir, "work"));
      writeFileSync(join(dir, "netns"), "");
      const p = inputs({
        namespace: "red",
        command: ["/bin/sh", "-c", 'pwd; echo "A=$A B=$B HOME=${HOME-unset}"; echo "PATH=$PATH"; echo done'],
        environment: { A: "1", B: "it's" },
        workingDirectory: join(dir, "work"),
      });
      execFileSync("/bin/sh", ["-c", sandboxed(dir, cmd.startScript(p), "red")], { env: { HOME: "/root" } });
      const files = cmd.processPaths(p);
      const at = (f: string) => join(dir, "run", f.slice("/run/pulumi-netns/".length));
      const log = await eventually(
        "the command's output in its log",
        () => readFileSync(at(files.logPath), "utf8"),
        (l) => l.includes("done"),
      );
      assert.equal(log, `${join(dir, "work")}\nA=1 B=it's HOME=unset\nPATH=${cmd.PATH}\ndone\n`);
      assert.match(readFileSync(at(files.pidFile), "utf8"), /^\d+\n$/, "its pid, written before it ran");
      assert.equal(existsSync(at(files.envFile)), false, "the environment file is read and removed");
      assert.deepEqual(files, {
        pidFile: "/run/pulumi-netns/process/red.web.pid",
        logPath: "/run/pulumi-netns/process/red.web.log",
        envFile: "/run/pulumi-netns/process/red.web.env",
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses to start without the namespace or the working directory, saying which", () => {
    const dir = mkdtempSync(join(tmpdir(), "pn-start-"));
    try {
      const run = (p: ReturnType<typeof inputs>) => {
        try {
          execFileSync("/bin/sh", ["-c", sandboxed(dir, cmd.startScript(p), "red")], { stdio: "pipe" });
          return "started";
        } catch (e) {
          const err = e as { status: number; stderr: Buffer };
          return `${err.status} ${err.stderr.toString().trim()}`;
        }
      };
      const p = inputs({ namespace: "red", workingDirectory: join(dir, "nowhere") });
      assert.equal(run(p), '3 namespace "red" does not exist');
      writeFileSync(join(dir, "netns"), "");
      assert.equal(run(p), `3 working directory ${join(dir, "nowhere")} does not exist`);
      assert.equal(existsSync(join(dir, "run")), false, "nothing written before the checks pass");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("asks whether the ready port listens in the namespace, only once the process is alive", async () => {
    const server = createServer().listen(0, "127.0.0.1");
    await new Promise((done) => server.once("listening", done));
    const port = (server.address() as AddressInfo).port;
    const dir = mkdtempSync(join(tmpdir(), "pn-probe-"));
    try {
      const p = inputs({ namespace: "red", readyTcpPort: port });
      const pidFile = join(dir, "run", "process", "red.web.pid");
      mkdirSync(join(dir, "run", "process"), { recursive: true });
      const probe = (q = p) =>
        cmd.parseProbe(execFileSync("/bin/sh", ["-c", sandboxed(dir, cmd.probeScript(q), "red")]).toString());
      writeFileSync(pidFile, `${process.pid}\n`);
      assert.deepEqual(probe(), { pid: process.pid, alive: true, listening: true });
      assert.deepEqual(probe(inputs({ namespace: "red", readyTcpPort: port === 1 ? 2 : 1 })).listening, false);
      writeFileSync(pidFile, "4194304\n");
      assert.deepEqual(probe(), { pid: 4194304, alive: false, listening: false }, "a dead process is not asked");
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("lists the session's processes and the log's last lines", () => {
    assert.deepEqual(cmd.sessionArgv(42), ["ps", "-o", "pid=,stat=", "-s", "42"]);
    assert.deepEqual(cmd.tailArgv(inputs()), ["tail", "-n", "20", "/run/pulumi-netns/process/qlbaas-1.web.log"]);
    assert.deepEqual(cmd.tailArgv(inputs(), 5).slice(0, 3), ["tail", "-n", "5"]);
    assert.deepEqual(cmd.parseProbe("0 1 1"), { pid: undefined, alive: true, listening: true }, "pid 0 is none");
    assert.deepEqual(cmd.parseSession(" 10 Ss\n 11\n"), [10], "a line without a state is not a process");
  });
});
