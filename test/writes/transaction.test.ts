// transaction(): steps in order (several as one script, or one command each step by step), on failure the finished ones undone newest first,
// including steps cut off mid-way; run through a real /bin/sh.
import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExistsError } from "../../provider/idempotent";
import { FRAME } from "../../provider/shell/frames";
import { parseSteps, stepsScript, transaction } from "../../provider/writes/transaction";
import { LocalRunner } from "../../provider/transport/local";
import { RunResult, Runner } from "../../provider/transport/runner";

describe("transaction", () => {
  let dir: string;
  let log: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "pn-tx-"));
    log = join(dir, "log");
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A command that logs its name, prints `out` and `err`, and exits with `code`. */
  const step = (name: string, code = 0, err = "", out = "") => [
    "sh",
    "-c",
    `echo "${name}" >> "$0"; printf '%s' "${out}"; printf '%s' "${err}" >&2; exit ${code}`,
    log,
  ];
  const ran = () => readFileSync(log, "utf8").trim().split("\n");

  /** The local runner, counting round trips; `script` can be made to fail as a dropped connection does. */
  function counting(cutScript = false): Runner & { trips: number } {
    const local = new LocalRunner();
    const r = {
      target: "local",
      trips: 0,
      run: (argv: readonly string[]) => (r.trips++, local.run(argv)),
      script: async (text: string): Promise<RunResult> => {
        r.trips++;
        const result = await local.script(text);
        if (cutScript) throw new Error("the connection closed while running the script");
        return result;
      },
    };
    return r;
  }

  it("runs every step in one round trip and returns each step's own output", async () => {
    const r = counting();
    const results = await transaction(r, [
      { run: step("a", 0, "note a", "out a\n"), undo: step("undo a") },
      { run: step("b", 0, "", "two\nlines") },
      { run: step("c") },
    ]);
    assert.deepEqual(ran(), ["a", "b", "c"]);
    assert.equal(r.trips, 1);
    assert.deepEqual(results, [
      { code: 0, stdout: "out a\n", stderr: "note a" },
      { code: 0, stdout: "two\nlines", stderr: "" },
      { code: 0, stdout: "", stderr: "" },
    ]);
  });

  it("runs a single step alone, so batching runners still see its argv", async () => {
    const r = counting();
    const seen: string[][] = [];
    await transaction({ ...r, run: (argv) => (seen.push([...argv]), r.run(argv)) }, [{ run: step("a") }]);
    assert.deepEqual(seen, [step("a")]);
  });

  it("step by step, runs each step as its own command and stops at the first that fails, undoing the ones before", async () => {
    const r = counting();
    const seen: string[][] = [];
    const spied: Runner = { ...r, run: (argv) => (seen.push([...argv]), r.run(argv)) };
    const ok = await transaction(spied, [{ run: step("a", 0, "", "out a") }, { run: step("b") }], { stepByStep: true });
    assert.deepEqual(ok, [
      { code: 0, stdout: "out a", stderr: "" },
      { code: 0, stdout: "", stderr: "" },
    ]);
    assert.deepEqual(seen, [step("a", 0, "", "out a"), step("b")]);
    await assert.rejects(
      transaction(
        spied,
        [
          { run: step("c"), undo: step("undo c") },
          { run: step("d", 2, "RTNETLINK answers: File exists"), undo: step("undo d") },
          { run: step("e"), undo: step("undo e") },
        ],
        { stepByStep: true },
      ),
      /^CommandError: running "sh -c .*": RTNETLINK answers: File exists$/,
    );
    assert.deepEqual(ran(), ["a", "b", "c", "d", "undo c"]);
    assert.equal(r.trips, 5);
  });

  it("stops at the failing step, undoes finished steps newest first, and reports the failing command", async () => {
    await assert.rejects(
      transaction(counting(), [
        { run: step("a"), undo: step("undo a") },
        { run: step("b"), undo: step("undo b") },
        { run: step("c", 2, "RTNETLINK answers: Invalid argument"), undo: step("undo c") },
        { run: step("d") },
      ]),
      /^CommandError: running "sh -c .*": RTNETLINK answers: Invalid argument$/,
    );
    assert.deepEqual(ran(), ["a", "b", "c", "undo b", "undo a"]);
  });

  it("undoes a step that exited 0 but its explanation calls failed, and what ran after it", async () => {
    await assert.rejects(
      transaction(counting(), [
        {
          run: step("a", 0, "Error detected while setting up 'p'"),
          undo: step("undo a"),
          explain: (x) => (/Error detected/.test(x.stderr) ? new Error("p: no such device") : undefined),
        },
        { run: step("b"), undo: step("undo b") },
      ]),
      /p: no such device/,
    );
    assert.deepEqual(ran(), ["a", "b", "undo b", "undo a"]);
  });

  it("undoes every step when the connection breaks mid-script, since any may have run", async () => {
    await assert.rejects(
      transaction(counting(true), [
        { run: step("a"), undo: step("undo a") },
        { run: step("b"), undo: step("undo b") },
      ]),
      /connection closed/,
    );
    assert.deepEqual(ran(), ["a", "b", "undo b", "undo a"]);
  });

  it("undoes a single step cut off mid-way", async () => {
    const r = counting();
    const cut: Runner = {
      ...r,
      run: async (argv) => (await r.run(argv), Promise.reject(new Error("connection closed"))),
    };
    await assert.rejects(transaction(cut, [{ run: step("a"), undo: step("undo a") }]), /connection closed/);
    assert.deepEqual(ran(), ["a", "undo a"]);
  });

  it("uses a step's own explanation, and says what could not be rolled back", async () => {
    await assert.rejects(
      transaction(counting(), [
        { run: step("a"), undo: step("undo a", 1, "Device or resource busy") },
        {
          run: step("b", 1, "File exists"),
          explain: (res) => (/File exists/.test(res.stderr) ? new ExistsError('link "b"') : undefined),
        },
      ]),
      /link "b" already exists and was not made by this resource.*rolling back also failed, clean up by hand: running "sh -c .*": Device or resource busy/,
    );
  });

  it("treats a script that ends before a step reports back as that step having maybe run", async () => {
    const r = counting();
    // The second step kills the script's shell itself, so it never reports.
    await assert.rejects(
      transaction(r, [
        { run: step("a"), undo: step("undo a") },
        { run: ["sh", "-c", `echo b >> "$0"; kill -9 $PPID`, log], undo: step("undo b") },
      ]),
      /stopped before this step reported back/,
    );
    assert.deepEqual(ran(), ["a", "b", "undo b", "undo a"]);
  });

  it("frames steps whose output lacks a final newline or mimics the frame", () => {
    const script = stepsScript([{ run: ["x"] }, { run: ["y"] }]);
    // It stops without `exit`, which would end the host's session shell it may run in.
    assert.doesNotMatch(script, /\bexit\b/);
    const res = parseSteps({
      code: 0,
      stdout: `no newline\n${FRAME} 0 0\n${FRAME}-ish\n\n${FRAME} 1 3\n`,
      stderr: `warn\n${FRAME} 0\nbad\n\n${FRAME} 1\n`,
    });
    assert.deepEqual(res, [
      { code: 0, stdout: "no newline", stderr: "warn" },
      { code: 3, stdout: `${FRAME}-ish\n`, stderr: "bad\n" },
    ]);
  });
});
