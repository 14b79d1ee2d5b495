// The Runner contract, run against both implementations: local and SSH to the lab host.
import { strict as assert } from "node:assert";
import { connectionSchema } from "../../provider/connection";
import { LocalRunner } from "../../provider/transport/local";
import { Runner, mustRun } from "../../provider/transport/runner";
import { SshRunner } from "../../provider/transport/ssh";
import { labConnection } from "../../lab/access";

const runners: Array<[string, () => Runner]> = [
  ["local", () => new LocalRunner()],
  ["ssh", () => new SshRunner(connectionSchema.parse(labConnection()))],
];

for (const [name, make] of runners) {
  describe(`Runner contract: ${name}`, () => {
    let runner: Runner;
    before(() => {
      runner = make();
    });

    it("separates stdout and stderr and reports the exit code as data", async () => {
      const r = await runner.script("echo out; echo err >&2; exit 3");
      assert.deepEqual(r, { code: 3, stdout: "out\n", stderr: "err\n" });
    });

    it("passes every argv byte exactly, without a shell in between", async () => {
      const args = ["a b", "'", "$(echo pwned)", "`id`", "-n", "x\ny", "ñ🙂", ""];
      const r = await runner.run(["printf", "%s|", ...args]);
      assert.equal(r.code, 0);
      assert.equal(r.stdout, args.join("|") + "|");
    });

    it("keeps output without a trailing newline", async () => {
      assert.equal((await runner.run(["printf", "abc"])).stdout, "abc");
    });

    it("reports a missing program as exit 127", async () => {
      const r = await runner.run(["/nonexistent/program"]);
      assert.equal(r.code, 127);
      assert.match(r.stderr, /nonexistent/);
    });

    it("carries 10 MB of output intact", async () => {
      const r = await runner.script("head -c 10000000 /dev/zero | tr '\\0' x; echo; echo done >&2");
      assert.equal(r.code, 0);
      assert.equal(r.stdout.length, 10_000_001);
      assert.ok(/^x+\n$/.test(r.stdout));
      assert.equal(r.stderr, "done\n");
    });

    it("runs a script of 1,000 lines", async () => {
      const lines = Array.from({ length: 1000 }, (_, i) => `echo line-${i}`);
      const r = await runner.script(lines.join("\n"));
      assert.equal(r.code, 0);
      assert.deepEqual(
        r.stdout.trimEnd().split("\n"),
        lines.map((_, i) => `line-${i}`),
      );
    });

    it("does not let one command change the next one's shell", async () => {
      await runner.script("cd /tmp; export PNX_LEAK=1");
      await runner.run(["sh", "-c", "exit 0"]);
      const r = await runner.script('echo "${PNX_LEAK:-unset}"');
      assert.equal(r.stdout, "unset\n");
    });

    it("does not let a shell builtin or an assignment given as argv change the next command's shell", async () => {
      const before = (await runner.script('echo "$(pwd) $#"')).stdout;
      // Run over SSH in a subshell, as builtins are (shell/program.ts); in the session's shell they would end it or
      // change it for every later command.
      for (const argv of [
        ["cd", "/tmp"],
        ["export", "PNX_B=1"],
        ["set", "--", "a"],
        ["exit", "3"],
        ["exec", "true"],
        ["PNX_C=1"],
      ])
        await runner.run(argv);
      const r = await runner.script('echo "$(pwd) $#"; echo "${PNX_B:-unset} ${PNX_C:-unset}"');
      assert.equal(r.stdout, `${before}unset unset\n`);
    });

    it("keeps a script's exit, set and syntax errors to that script", async () => {
      assert.equal((await runner.script("exit 7; echo never")).code, 7);
      const bad = await runner.script("if then 'unterminated");
      assert.notEqual(bad.code, 0);
      assert.match(bad.stderr, /syntax|unexpected|Unterminated/i);
      await runner.script("set -e; set -- a b; false");
      const r = await runner.script('echo "$# ok"');
      assert.equal(r.stdout, "0 ok\n");
    });

    it("mustRun throws a CommandError naming the command and its stderr", async () => {
      await assert.rejects(mustRun(runner, ["ls", "/nonexistent dir"]), (e: Error) => {
        assert.match(e.message, /^running "ls '\/nonexistent dir'": .*No such file/);
        return true;
      });
    });
  });
}
