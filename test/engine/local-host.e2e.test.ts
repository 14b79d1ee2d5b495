// Resources on a Host that is this machine (no connection), through the real entry: a preview after up finds
// nothing to do, as it does for a Host reached over SSH (README, "The two commands": the seed runs this way), also
// where a resource reads an output that another left unset.
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { EngineOptions } from "../../engine/engine";
import { REPO, cleanUp, engine } from "../../lab/harness";
import { RUN_PREFIX } from "../../lab/access";

const P = `${RUN_PREFIX.slice(0, -1)}l-`;
const sh = (cmd: string) => execFileSync("/bin/sh", ["-c", cmd], { stdio: ["ignore", "pipe", "pipe"] }).toString();

describe("a Host on this machine, through the real entry (e2e, no connection)", function () {
  this.timeout(300_000);
  const o: EngineOptions = {
    projectDir: join(REPO, "test", "engine", "programs", "local-host"),
    stack: "test",
    statePath: `/tmp/${P}state.json`,
    config: { namePrefix: P },
    secretConfig: [],
    log: () => undefined,
  };
  after(() => cleanUp(o, P));

  it("up, then a preview with nothing changed reports every resource the same (control: a changed address)", async () => {
    const up = await engine("up", o);
    assert.equal(up.counts.create, 6, up.lines.join("\n"));
    assert.match(sh(`ip -n ${P}ns -4 addr show dev eth0`), /inet 10\.71\.0\.1\/24/);
    assert.match(sh(`ip -n ${P}ns route show 10.73.0.0/16`), /dev eth0 .*metric 100/);

    const same = await engine("preview", o);
    assert.deepEqual(
      same.counts,
      { create: 0, update: 0, replace: 0, delete: 0, same: 6, gone: 0 },
      `a preview with nothing changed:\n${same.lines.join("\n")}`,
    );
    // The control: the same preview sees a change where there is one, and only there.
    const changed = await engine("preview", { ...o, config: { ...o.config, cidr: "10.71.0.2/24" } });
    assert.deepEqual(
      changed.lines.filter((l) => !l.startsWith("same ")),
      ["replace pulumi-nodejs:dynamic/netns:Address ns"],
      changed.lines.join("\n"),
    );
  });
});
