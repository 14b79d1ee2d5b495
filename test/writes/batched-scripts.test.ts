// Scripts batched per host: those given together run as one script through a real /bin/sh, each with its own result.
import { strict as assert } from "node:assert";
import { batchingScripts } from "../../provider/writes/batched-scripts";
import { LocalRunner } from "../../provider/transport/local";
import { RunResult, Runner } from "../../provider/transport/runner";

/** This machine's shell, counting the scripts that reach it; `fail` makes the next one throw (a broken connection). */
function host(): Runner & { scripts: string[]; fail?: Error } {
  const local = new LocalRunner();
  const h: Runner & { scripts: string[]; fail?: Error } = {
    scripts: [],
    target: "test",
    run: (argv) => local.run(argv),
    script: async (text) => {
      h.scripts.push(text);
      if (h.fail) throw h.fail;
      return local.script(text);
    },
  };
  return h;
}

describe("batched scripts", () => {
  it("runs scripts given together as one, each with its own exit code, stdout and stderr", async () => {
    const h = host();
    const b = batchingScripts(h);
    const got: RunResult[] = await Promise.all([
      b.script("echo one; echo warn >&2"),
      b.script("printf 'no newline'; (exit 3)"),
      b.script('x=2; echo "two $x"'),
    ]);
    assert.equal(h.scripts.length, 1, "one round trip");
    assert.deepEqual(got, [
      { code: 0, stdout: "one\n", stderr: "warn\n" },
      { code: 3, stdout: "no newline", stderr: "" },
      { code: 0, stdout: "two 2\n", stderr: "" },
    ]);
  });

  it("runs the scripts one after another in the batch's own shell, not in a process each", async () => {
    const h = host();
    const b = batchingScripts(h);
    // A program's parent is the shell that started it: one and the same for every script of the batch. (Not the last
    // command of its script: a subshell would start that one in its own place, with the batch's shell as parent.)
    const script = "sh -c 'echo $PPID'; true";
    const got = await Promise.all([b.script(script), b.script(script)]);
    assert.equal(h.scripts.length, 1);
    assert.equal(got[0].stdout, got[1].stdout);
    assert.match(got[0].stdout, /^\d+\n$/);
  });

  it("sends a script alone as it is, and one given later in a later batch", async () => {
    const h = host();
    const b = batchingScripts(h);
    assert.deepEqual(await b.script("echo solo"), { code: 0, stdout: "solo\n", stderr: "" });
    assert.deepEqual(h.scripts, ["echo solo"]);
    await Promise.all([b.script("true"), b.script("true")]);
    assert.equal(h.scripts.length, 2);
  });

  it("shares batches per host, and commands run straight through", async () => {
    const [h1, h2] = [host(), host()];
    await Promise.all([batchingScripts(h1).script("true"), batchingScripts(h2).script("true")]);
    assert.deepEqual([h1.scripts.length, h2.scripts.length], [1, 1]);
    assert.equal((await batchingScripts(h1).run(["echo", "direct"])).stdout, "direct\n");
    assert.equal(h1.scripts.length, 1);
  });

  it("fails every script of a batch whose round trip broke, and only those", async () => {
    const h = host();
    const b = batchingScripts(h);
    h.fail = new Error("connection lost");
    const broken = await Promise.allSettled([b.script("true"), b.script("true")]);
    assert.deepEqual(
      broken.map((s) => s.status === "rejected" && (s.reason as Error).message),
      ["connection lost", "connection lost"],
    );
    h.fail = undefined;
    assert.equal((await b.script("echo after")).stdout, "after\n", "the next batch runs");
  });

  it("fails the scripts a batch did not reach when the host stopped it part-way", async () => {
    const h = host();
    const b = batchingScripts(h);
    const got = await Promise.allSettled([b.script("echo first"), b.script("kill -9 $$"), b.script("echo never")]);
    assert.equal(got[0].status === "fulfilled" && got[0].value.stdout, "first\n");
    assert.match(String(got[2].status === "rejected" && got[2].reason), /stopped before this part reported back/);
  });
});
