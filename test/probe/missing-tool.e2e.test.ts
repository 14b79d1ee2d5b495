// A Probe through the provider's boundary (provider/dynamic/host.ts) on this machine with ping out of reach: its
// failure names the package and the Host's need to list; the same probe with ping there passes (the control).
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { check, create, remove } from "../../provider/dynamic/host";
import { RUN_PREFIX } from "../../lab/access";
import { sweep } from "../../lab/sweep";

describe("a missing tool named at the provider's boundary (e2e, this machine)", function () {
  this.timeout(60_000);
  // A prefix of this file's own, so that its sweep touches nothing of another test's.
  const P = `${RUN_PREFIX.slice(0, -1)}t-`;
  const ns = `${P}ns`;
  const path = process.env.PATH;
  let bin: string;
  const inputs = async () => {
    const raw = { namespace: ns, target: "127.0.0.1", attempts: 1, owner: `urn:pulumi:s::p::${ns}` };
    const checked = await check("Probe", {}, raw);
    assert.deepEqual(checked.failures, []);
    return checked.inputs;
  };

  before(() => {
    execFileSync("ip", ["netns", "add", ns]);
    execFileSync("ip", ["-n", ns, "link", "set", "dev", "lo", "up"]);
    // Every program of this machine's PATH but ping, for the provider's local runner (which inherits PATH).
    bin = mkdtempSync(join(tmpdir(), P));
    for (const dir of (path ?? "").split(":").filter(existsSync))
      for (const f of readdirSync(dir))
        if (f !== "ping" && !existsSync(join(bin, f))) symlinkSync(join(dir, f), join(bin, f));
  });
  after(() => {
    process.env.PATH = path;
    sweep(P);
    rmSync(bin, { recursive: true, force: true });
  });

  it("passes with ping there, and without it fails naming iputils-ping and the need to list", async () => {
    const made = await create("Probe", await inputs());
    await remove("Probe", made.outs);
    process.env.PATH = bin;
    try {
      await assert.rejects(
        create("Probe", await inputs()),
        (e: Error) =>
          /could not run \(exit code 127\): timeout: failed to run command 'ping'/.test(e.message) &&
          /\nping is not installed on the host \(Debian package iputils-ping\): list "ping" in the Host's needs/.test(
            e.message,
          ),
      );
    } finally {
      process.env.PATH = path;
    }
  });
});
