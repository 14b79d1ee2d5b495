// Daemons: identifying the process a pid file names (through a real /bin/sh), and stopping them against a scripted
// runner: TERM first, KILL only to what outlives the grace period, zombies dead.
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  identifyScript,
  isAlive,
  isDaemon,
  parseIdentity,
  stopProcess,
  terminate,
} from "../../provider/daemons/daemon";
import { ScriptedRunner } from "../helpers/scripted-runner";

/** Processes as a set of pids; `stubborn` ones ignore TERM. */
function processes(pids: number[], stubborn: number[]) {
  const alive = new Set(pids);
  const runner = new ScriptedRunner([
    {
      match: /^kill -TERM/,
      answer: (t) => {
        for (const p of t.split(" ").slice(2).map(Number)) if (!stubborn.includes(p)) alive.delete(p);
        return {};
      },
    },
    {
      match: /^kill -KILL/,
      answer: (t) => {
        for (const p of t.split(" ").slice(2).map(Number)) alive.delete(p);
        return {};
      },
    },
  ]);
  return { runner, alive, left: async () => [...alive] };
}

describe("daemon: stopping processes (scripted runner)", () => {
  it("sends TERM to all, and KILL after the grace period only to those still there", async () => {
    const p = processes([11, 12], [12]);
    const started = Date.now();
    await terminate(p.runner, "test daemons", p.left, 200);
    assert.deepEqual(p.runner.asked, ["kill -TERM 11 12", "kill -KILL 12"]);
    assert.ok(Date.now() - started >= 200, "KILL came only after the grace period");
    assert.equal(p.alive.size, 0);
  });

  it("sends no KILL when TERM is enough, and nothing when nothing runs", async () => {
    const p = processes([11], []);
    await terminate(p.runner, "test daemon", p.left, 5000);
    assert.deepEqual(p.runner.asked, ["kill -TERM 11"]);
    const none = processes([], []);
    await terminate(none.runner, "nothing", none.left);
    assert.deepEqual(none.runner.asked, []);
  });

  it("counts a zombie as dead, so stopProcess does not wait for a slow reaper", async () => {
    const runner = new ScriptedRunner([{ match: /^ps -o stat= -p 9$/, answer: { stdout: "Z\n" } }]);
    assert.equal(await isAlive(runner, 9), false);
    await stopProcess(runner, 9, 50);
    assert.deepEqual(
      runner.asked.filter((a) => a.startsWith("kill")),
      [],
      "no signal sent to a zombie",
    );
    const live = new ScriptedRunner([{ match: /^ps/, answer: { stdout: "S\n" } }]);
    assert.equal(await isAlive(live, 9), true);
  });
});

describe("daemon: identifying the process a pid file names", () => {
  it("reads a process's namespace, session and start time from its /proc stat line, whatever its name holds", () => {
    const tail = "S 1 4242 4242 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 987654 1000 10 x";
    assert.deepEqual(parseIdentity(`4242\nqlbaas-1\n4242 (node) ${tail}\n`), {
      pid: 4242,
      alive: true,
      command: "node",
      namespace: "qlbaas-1",
      session: 4242,
      startTime: "987654",
    });
    const odd = parseIdentity(`4242\n\n4242 (a) b\n) c) ${tail}\n`);
    assert.deepEqual(
      [odd?.command, odd?.namespace, odd?.session, odd?.startTime],
      ["a) b\n) c", undefined, 4242, "987654"],
      "')' and newlines in the name",
    );
    assert.deepEqual(parseIdentity("4242\n\n"), { pid: 4242, alive: false }, "gone");
    assert.equal(parseIdentity(`4242\n\n4242 (x) Z ${tail.slice(2)}`)?.alive, false, "a zombie");
    assert.equal(parseIdentity(""), undefined, "no pid file");
  });

  it("takes a pid for a daemon only while it runs that daemon's command: a stranger given the pid is not it", () => {
    const tail = "S 1 4242 4242 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 987654 1000 10 x";
    const seen = (name: string) => parseIdentity(`4242\nqdhcp-1\n4242 (${name}) ${tail}\n`);
    assert.equal(isDaemon(seen("dnsmasq"), "dnsmasq"), true);
    assert.equal(isDaemon(seen("sleep"), "dnsmasq"), false, "a stranger holds the pid");
    assert.equal(isDaemon(parseIdentity("4242\n\n"), "dnsmasq"), false, "gone");
    assert.equal(isDaemon(undefined, "dnsmasq"), false, "no pid file (a reboot emptied /run)");
  });

  it("identifies through /bin/sh: this process's own stat line, matching what Node sees", () => {
    const dir = mkdtempSync(join(tmpdir(), "pn-identify-"));
    try {
      const identify = () =>
        parseIdentity(execFileSync("/bin/sh", ["-c", identifyScript(join(dir, "pid"))]).toString());
      assert.equal(identify(), undefined, "no pid file");
      writeFileSync(join(dir, "pid"), `${process.pid}\n`);
      const stat = readFileSync(`/proc/${process.pid}/stat`, "utf8");
      const own = stat.split(") ")[1].split(" ");
      assert.deepEqual(identify(), {
        pid: process.pid,
        alive: true,
        command: /\((.*)\)/.exec(stat)![1],
        namespace: undefined,
        session: Number(own[3]),
        startTime: own[19],
      });
      writeFileSync(join(dir, "pid"), "4194304\n");
      assert.deepEqual(identify(), { pid: 4194304, alive: false });
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
