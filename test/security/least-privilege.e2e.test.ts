// Least privilege: the whole seed example as a non-root user through sudo; without sudo rights, one clear error.
import { strict as assert } from "node:assert";
import { rmSync } from "node:fs";
import { engine, seedOptions } from "../../lab/harness";
import { runEngine } from "../../engine/engine";
import { RUN_PREFIX, lab } from "../../lab/access";
import { sweep } from "../../lab/sweep";

describe("least privilege (e2e)", function () {
  this.timeout(300_000);
  const P = `${RUN_PREFIX.slice(0, -1)}s-`;
  const statePath = `/tmp/${P}state.json`;
  const options = (user: string) => ({ ...seedOptions(statePath, { user, sudo: "true", namePrefix: P }) });

  after(async () => {
    await engine("destroy", options(lab().sudoUser)).catch(() => undefined);
    rmSync(statePath, { force: true });
    sweep(P);
  });

  it("deploys and destroys the seed example as a non-root user with sudo: true", async () => {
    const up = await engine("up", options(lab().sudoUser));
    assert.equal(up.counts.create, 23, "the host and 22 resources");
    const down = await engine("destroy", options(lab().sudoUser));
    assert.equal(down.counts.delete, 23);
  });

  it("tells a user without sudo rights which privilege is missing", async () => {
    const s = await runEngine("up", { ...options(lab().noSudoUser), statePath: `${statePath}.nosudo` });
    rmSync(`${statePath}.nosudo`, { force: true });
    assert.equal(s.counts.create, 0);
    // The resources that ran say what is missing; the rest were skipped for them, and say so.
    const ran = s.errors.filter((x) => !x.includes("skipped"));
    assert.ok(ran.length > 0, s.errors.join("\n"));
    for (const e of ran) {
      assert.match(e, /"pnlab-nosudo" .* cannot run commands as root: the library needs passwordless sudo/);
    }
  });
});
