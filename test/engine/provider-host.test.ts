// The provider host's end of a verb: stopped the way the CLI stops a plugin (SIGINT to its group, SIGKILL 5 s on).
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { ProviderHost } from "./provider-host";
import { REPO } from "./harness";

/** A node flag that runs `code` as a module before the host starts. */
const before = (code: string) => `--import=data:text/javascript,${encodeURIComponent(code)}`;

/** The host's first child, in the host's group, prints its pid; `ignoreInt`: it ignores SIGINT (exec keeps that). */
const sleeper = (ignoreInt: boolean) => `
import { spawn } from "node:child_process";
const c = spawn("/bin/sh", ["-c", ${JSON.stringify(ignoreInt ? "trap '' INT; exec sleep 60" : "exec sleep 60")}], { stdio: "ignore" });
process.stderr.write("sleeper " + c.pid + "\\n");
`;

/** True while the process exists and is no zombie (PID 1 can be slow to reap an orphan). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return !["Z", "X"].includes(stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3));
  } catch {
    return false;
  }
}

/** Field 5 of /proc/PID/stat, after the command name in parentheses. */
function processGroup(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
}

async function waitFor(what: string, ok: () => boolean): Promise<void> {
  for (const started = Date.now(); !ok(); await new Promise((r) => setTimeout(r, 20))) {
    if (Date.now() - started > 10_000) throw new Error(`timed out waiting for ${what}`);
  }
}

async function sleeperOf(host: ProviderHost): Promise<number> {
  await waitFor("the sleeper's pid", () => /sleeper \d+/.test(host.log));
  return Number(/sleeper (\d+)/.exec(host.log)![1]);
}

describe("provider host: stopped as the CLI stops a plugin", function () {
  this.timeout(30_000);
  let host: ProviderHost | undefined;
  let child: number | undefined;

  // Whatever a failed test left running ends here: the host's group, the host and the child themselves.
  afterEach(() => {
    for (const pid of [host && -host.pid, host?.pid, child]) {
      try {
        if (pid) process.kill(pid, "SIGKILL");
      } catch {
        // gone already
      }
    }
    [host, child] = [undefined, undefined];
  });

  it("leads a process group of its own, and stop() sends SIGINT to the whole group", async () => {
    host = await ProviderHost.start(REPO, {
      captureStderr: true,
      nodeArgs: [
        before(
          `${sleeper(false)}process.on("SIGINT", () => { process.stderr.write("host got SIGINT\\n"); process.exit(0); });`,
        ),
      ],
    });
    child = await sleeperOf(host);
    assert.equal(processGroup(host.pid), host.pid, "the host leads its group");
    assert.equal(processGroup(child), host.pid, "its child is in that group");
    await host.stop();
    await waitFor("the host's last words", () => host!.log.includes("host got SIGINT"));
    assert.equal(alive(host.pid), false, "the host is gone");
    await waitFor("the child in its group to end", () => !alive(child!));
  });

  it("kills the group, a child that ignores SIGINT too, when the host is still there 5 s after SIGINT", async () => {
    host = await ProviderHost.start(REPO, {
      captureStderr: true,
      nodeArgs: [before(`${sleeper(true)}process.on("SIGINT", () => process.stderr.write("host ignores SIGINT\\n"));`)],
    });
    child = await sleeperOf(host);
    const started = Date.now();
    await host.stop();
    const took = Date.now() - started;
    assert.ok(host.log.includes("host ignores SIGINT"), host.log);
    assert.ok(took >= 4_900, `stop() gave up after ${took} ms, before the CLI's 5 s`);
    assert.equal(alive(host.pid), false, "the host is gone");
    await waitFor("the child that ignored SIGINT to end", () => !alive(child!));
  });
});
