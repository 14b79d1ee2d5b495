// The provider host's end of a verb: stopped the way the CLI stops a plugin (SIGINT to its group, SIGKILL 5 s on).
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { waitUntil } from "../../provider/wait";
import { alive, processGroup } from "../helpers/proc";
import { ProviderHost } from "../../engine/provider-host";
import { REPO } from "../../lab/harness";

/** The host's first child, in the host's group, prints its pid; `ignoreInt`: it ignores SIGINT (exec keeps that). */
const sleeper = (ignoreInt: boolean) => `
import { spawn } from "node:child_process";
const c = spawn("/bin/sh", ["-c", ${JSON.stringify(ignoreInt ? "trap '' INT; exec sleep 60" : "exec sleep 60")}], { stdio: "ignore" });
process.stderr.write("sleeper " + c.pid + "\\n");
`;

/** Polls until `ok` holds: output the host writes may arrive after it has exited. */
async function appears(what: string, ok: () => boolean): Promise<void> {
  for (const started = Date.now(); !ok(); await new Promise((r) => setTimeout(r, 20))) {
    if (Date.now() - started > 10_000) throw new Error(`timed out waiting for ${what}`);
  }
}

/** Waits until the process is gone (PID 1 can be slow to reap an orphan, so its zombie counts as gone). */
const ended = (what: string, pid: number) => waitUntil(what, async () => !alive(pid));

describe("provider host: stopped as the CLI stops a plugin", function () {
  this.timeout(30_000);
  /** Pids (a negative one: a group) that a failed test may have left running. */
  let strays: number[] = [];
  afterEach(() => {
    for (const pid of strays) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // gone already
      }
    }
    strays = [];
  });

  /** Starts a host whose node runs `code` first; it and its group are cleaned up after the test. */
  async function startHost(code: string): Promise<ProviderHost> {
    const host = await ProviderHost.start(REPO, {
      captureStderr: true,
      nodeArgs: [`--import=data:text/javascript,${encodeURIComponent(code)}`],
    });
    strays.push(-host.pid, host.pid);
    return host;
  }

  /** The host's first child prints its pid, which is then cleaned up after the test too. */
  async function sleeperOf(host: ProviderHost): Promise<number> {
    await appears("the sleeper's pid", () => /sleeper \d+/.test(host.log));
    const pid = Number(/sleeper (\d+)/.exec(host.log)![1]);
    strays.push(pid);
    return pid;
  }

  it("leads a process group of its own, and stop() sends SIGINT to the whole group", async () => {
    const host = await startHost(
      `${sleeper(false)}process.on("SIGINT", () => { process.stderr.write("host got SIGINT\\n"); process.exit(0); });`,
    );
    const child = await sleeperOf(host);
    assert.equal(processGroup(host.pid), host.pid, "the host leads its group");
    assert.equal(processGroup(child), host.pid, "its child is in that group");
    await host.stop();
    await appears("the host's last words", () => host.log.includes("host got SIGINT"));
    assert.equal(alive(host.pid), false, "the host is gone");
    await ended("the child in the host's group", child);
  });

  it("kills the group, a child that ignores SIGINT too, when the host is still there 5 s after SIGINT", async () => {
    const host = await startHost(
      `${sleeper(true)}process.on("SIGINT", () => process.stderr.write("host ignores SIGINT\\n"));`,
    );
    const child = await sleeperOf(host);
    const began = Date.now();
    await host.stop();
    const took = Date.now() - began;
    assert.ok(host.log.includes("host ignores SIGINT"), host.log);
    assert.ok(took >= 4_900, `stop() gave up after ${took} ms, before the CLI's 5 s`);
    assert.equal(alive(host.pid), false, "the host is gone");
    await ended("the child that ignored SIGINT", child);
  });

  // A process that starts a host as the harness does and prints its pid, then exits on a line of input or Ctrl-C;
  // "own handler": it handles Ctrl-C itself, counting the SIGINTs it gets, and exits after a pause.
  for (const how of ["is stopped with Ctrl-C", "exits without stop()", "handles Ctrl-C itself"] as const) {
    it(`ends with the harness when the harness ${how}`, async () => {
      const ownHandler =
        how === "handles Ctrl-C itself"
          ? `let n = 0; process.on("SIGINT", () => { n++; setTimeout(() => { console.log("SIGINTs " + n); process.exit(0); }, 300); });`
          : "";
      const harness = spawn(
        process.execPath,
        [
          "-r",
          "ts-node/register/transpile-only",
          "-e",
          `${ownHandler}require("./engine/provider-host").ProviderHost.start(process.cwd()).then((h) => {` +
            `console.log(h.pid); process.stdin.once("data", () => process.exit(0)); })`,
        ],
        { cwd: REPO, stdio: ["pipe", "pipe", "inherit"] },
      );
      strays.push(harness.pid!);
      let out = "";
      harness.stdout!.on("data", (b: Buffer) => (out += b.toString()));
      await appears("the host's pid", () => /^\d+\n/.test(out));
      const pid = Number(out.split("\n")[0]);
      strays.push(-pid, pid);
      assert.ok(alive(pid), "the host runs");
      if (how === "exits without stop()") harness.stdin!.write("exit\n");
      else harness.kill("SIGINT");
      const [code, signal] = (await once(harness, "close")) as [number | null, string | null];
      if (how === "is stopped with Ctrl-C") assert.equal(signal, "SIGINT", "the harness still ends by its Ctrl-C");
      if (how === "handles Ctrl-C itself") {
        assert.equal(code, 0, "the harness's own handler decided how it ends");
        assert.match(out, /SIGINTs 1\n/, "its handler got the one Ctrl-C once, not again from the host's hook");
      }
      await ended("the host of a harness that ended", pid);
    });
  }
});
