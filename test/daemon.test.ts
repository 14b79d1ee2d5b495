// Stopping daemons against a scripted runner: TERM first, KILL only to what outlives the grace period, zombies dead.
import { strict as assert } from "node:assert";
import { isAlive, stopProcess, terminate } from "../provider/daemon";
import { ScriptedRunner } from "./helpers/scripted-runner";

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
