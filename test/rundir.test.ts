// Files under the run directory, written by real /bin/sh while another process's cleanup removes their directory.
import { strict as assert } from "node:assert";
import { existsSync, readFileSync, statSync } from "node:fs";
import { recordPath } from "../provider/ownership/records";
import { claimRecord } from "./helpers/claim";
import { RUN_DIR, inRunDir, writeFileScript } from "../provider/rundir";
import { RelocatedRunner } from "./helpers/relocated-runner";

/**
 * A `mkdir` that, as another process's cleanup could right after it, removes the directory it made: the first `times`
 * calls do so. Each call is counted in $calls.
 */
const racingMkdir = (times: number) =>
  `calls=0; mkdir() { calls=$((calls + 1)); command mkdir "$@" || return; [ $calls -gt ${times} ] || rmdir "$2"; }\n`;

describe("files under the run directory", () => {
  let runner: RelocatedRunner;
  beforeEach(() => (runner = new RelocatedRunner()));
  afterEach(() => runner.remove());
  const file = `${RUN_DIR}/owners/Thing/x`;
  const run = (script: string) => runner.script(`${script}\nc=$?; echo "mkdir $calls"; exit $c`);

  it("writes the file once its directory is made, making the directory only when missing", async () => {
    const write = inRunDir(file, `printf '%s' one > ${file}`);
    assert.deepEqual(await run(racingMkdir(0) + write), { code: 0, stdout: "mkdir 1\n", stderr: "" });
    assert.deepEqual(await run(racingMkdir(0) + write), { code: 0, stdout: "mkdir 0\n", stderr: "" });
    assert.equal(readFileSync(runner.relocate(file), "utf8"), "one");
  });

  it("writes again when the directory is removed between its making and the write, and says nothing", async () => {
    const r = await run(racingMkdir(1) + inRunDir(file, `printf '%s' two > ${file}`));
    assert.deepEqual(r, { code: 0, stdout: "mkdir 2\n", stderr: "" });
    assert.equal(readFileSync(runner.relocate(file), "utf8"), "two");
  });

  it("fails, with the second try's error alone, when the directory is gone both times", async () => {
    const r = await run(racingMkdir(2) + inRunDir(file, `printf '%s' three > ${file}`));
    assert.notEqual(r.code, 0);
    assert.equal(r.stdout, "mkdir 2\n");
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    assert.match(r.stderr, /Thing\/x/);
    assert.equal(existsSync(runner.relocate(file)), false);
  });

  it("writes a daemon's file whole, with its mode, through the same race", async () => {
    const path = `${RUN_DIR}/dnsmasq/ns.tap`;
    const r = await run(racingMkdir(1) + writeFileScript(path, "port=0\n", "600"));
    assert.deepEqual(r, { code: 0, stdout: "mkdir 2\n", stderr: "" });
    assert.equal(readFileSync(runner.relocate(path), "utf8"), "port=0\n");
    assert.equal(statSync(runner.relocate(path)).mode & 0o777, 0o600);
  });

  it("claims an ownership record through the same race", async () => {
    class Racing extends RelocatedRunner {
      script(text: string) {
        return super.script(racingMkdir(1) + text);
      }
    }
    const racing = new Racing();
    try {
      const owner = "urn:pulumi:s::p::pulumi-nodejs:dynamic/netns:Thing::a";
      assert.deepEqual(await claimRecord(racing, "Thing", "x", owner, "0123456789abcdef"), {
        owner: "",
        generation: "",
      });
      assert.equal(readFileSync(racing.relocate(recordPath("Thing", "x")), "utf8"), `${owner}\n0123456789abcdef`);
    } finally {
      racing.remove();
    }
  });
});
