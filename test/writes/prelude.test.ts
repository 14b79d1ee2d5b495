// Preludes: a create's claim runs in the round trip of its first command, ahead of it, through every path a command
// takes to the host (straight, or through the ip, OVS and scripts batchers); real /bin/sh, no root.
import { strict as assert } from "node:assert";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { batchingHostIp } from "../../provider/ip/batch";
import { batchingOvsWrites } from "../../provider/ovs/batch";
import { LocalRunner } from "../../provider/transport/local";
import { RunResult, Runner } from "../../provider/transport/runner";
import { batchingScripts } from "../../provider/writes/batched-scripts";
import { Prelude, sendAfter, withPrelude } from "../../provider/writes/prelude";

/** This machine's /bin/sh, where `ip` and `ovs-vsctl` print their arguments (and ip its stdin); records every script. */
class ShRunner extends LocalRunner {
  readonly scripts: string[] = [];
  constructor(private readonly bin: string) {
    super();
  }
  run(argv: readonly string[]): Promise<RunResult> {
    return this.script(argv.map((a) => `'${a}'`).join(" "));
  }
  script(text: string): Promise<RunResult> {
    this.scripts.push(text);
    return super.script(`PATH=${this.bin}:$PATH\n${text}`);
  }
}

function fakeTools(dir: string): string {
  const bin = join(dir, "bin");
  mkdirSync(bin);
  writeFileSync(join(bin, "ip"), '#!/bin/sh\necho "ip $*"; cat\n', { mode: 0o755 });
  writeFileSync(join(bin, "ovs-vsctl"), '#!/bin/sh\necho "ovs-vsctl $*"\n', { mode: 0o755 });
  return bin;
}

describe("preludes", () => {
  let dir: string;
  let bin: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "pn-prelude-"));
    bin = fakeTools(dir);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("runs the command after the prelude in one script, each with its own output, the command's exit code kept", async () => {
    const host = new ShRunner(bin);
    const p = new Prelude(`printf 'a\\nb'; echo warn >&2`);
    const got = await sendAfter(host, [p], { script: "echo out; echo err >&2; exit 3" });
    assert.deepEqual(got, { code: 3, stdout: "out\n", stderr: "err\n" });
    assert.deepEqual(await p.result, { label: "p0", code: 0, stdout: "a\nb", stderr: "warn\n" });
    assert.equal(host.scripts.length, 1);
  });

  it("runs a command that is a word of the shell itself in a subshell, as the SSH runner would, so it changes nothing after", async () => {
    // The script's own shell stands for the host's session shell: what the command leaves there shows after it.
    class Trailing extends ShRunner {
      script(text: string): Promise<RunResult> {
        return super.script(`${text}\nprintf 'after=%s' "\${X-}"`);
      }
    }
    const host = new Trailing(bin);
    const got = await sendAfter(host, [new Prelude("true")], { argv: ["export", "X=1"] });
    assert.equal(got.stdout, "after=");
    // Control: a script given as one that may run in the session's shell runs there.
    const inSession = await sendAfter(host, [new Prelude("true")], { script: "X=2", inSession: true });
    assert.equal(inSession.stdout, "after=2");
  });

  it("never runs the command after a prelude that failed, and fails it with the prelude's error", async () => {
    const host = new ShRunner(bin);
    const marker = join(dir, "ran");
    const p = new Prelude("echo no room >&2; false");
    await assert.rejects(sendAfter(host, [p], { argv: ["touch", marker] }), /no room/);
    await assert.rejects(p.result, /no room/);
    assert.equal(existsSync(marker), false);
  });

  it("fails the prelude with the round trip that broke", async () => {
    const broken: Runner = {
      target: "t",
      run: () => Promise.reject(new Error("gone")),
      script: () => Promise.reject(new Error("gone")),
    };
    const p = new Prelude("true");
    await assert.rejects(sendAfter(broken, [p], { argv: ["true"] }), /gone/);
    await assert.rejects(p.result, /gone/);
  });

  it("sends a prelude no command took on its own, once", async () => {
    const host = new ShRunner(bin);
    const p = new Prelude("echo claimed");
    assert.equal(await p.output(host), "claimed\n");
    assert.equal(await p.output(host), "claimed\n");
    assert.equal(host.scripts.length, 1);
  });

  it("rides in the batch's script through the ip, OVS and scripts batchers, ahead of the batch", async () => {
    for (const [via, command, inScript] of [
      [batchingHostIp, (r: Runner) => r.run(["ip", "link", "add", "a", "type", "dummy"]), "ip -force -batch"],
      [batchingOvsWrites, (r: Runner) => r.run(["ovs-vsctl", "add-br", "b"]), "ovs-vsctl"],
      [batchingScripts, (r: Runner) => r.script("echo mine"), "echo mine"],
    ] as const) {
      const host = new ShRunner(bin);
      const claims = [new Prelude("echo one"), new Prelude("echo two")];
      // Two creates at once: both preludes and both commands share one round trip.
      const results = await Promise.all(claims.map((p) => command(via(withPrelude(host, p)))));
      assert.deepEqual(
        results.map((r) => r.code),
        [0, 0],
        via.name,
      );
      assert.deepEqual(await Promise.all(claims.map((p) => p.result.then((r) => r.stdout))), ["one\n", "two\n"]);
      assert.equal(host.scripts.length, 1, `${via.name}: one round trip`);
      const [script] = host.scripts;
      assert.ok(script.includes(inScript), `${via.name}: the batch's command is in the script`);
      assert.ok(script.indexOf("echo two") < script.indexOf(inScript), `${via.name}: preludes first`);
    }
  });
});
