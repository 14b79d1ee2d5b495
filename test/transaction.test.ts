// transaction(): steps in order; on failure, finished steps undone newest first, including one cut off mid-way.
import { strict as assert } from "node:assert";
import { ExistsError, transaction } from "../provider/transaction";
import { RunResult, Runner } from "../provider/transport/runner";

/** Answers from a script: a map from the command's first two words to a result, or a thrown error. */
function fakeRunner(answers: Record<string, RunResult | Error>): Runner & { ran: string[] } {
  const ran: string[] = [];
  return {
    target: "fake",
    ran,
    async run(argv) {
      ran.push(argv.join(" "));
      const a = answers[argv.slice(0, 2).join(" ")] ?? { code: 0, stdout: "", stderr: "" };
      if (a instanceof Error) throw a;
      return a;
    },
    async script() {
      throw new Error("not used");
    },
  };
}

const ok = { code: 0, stdout: "", stderr: "" };

describe("transaction", () => {
  it("runs every step when all succeed, undoing nothing", async () => {
    const r = fakeRunner({});
    await transaction(r, [{ run: ["a", "1"], undo: ["undo", "a"] }, { run: ["b", "1"] }]);
    assert.deepEqual(r.ran, ["a 1", "b 1"]);
  });

  it("undoes finished steps newest first and reports the failing command with its stderr", async () => {
    const r = fakeRunner({ "c 1": { code: 2, stdout: "", stderr: "RTNETLINK answers: Invalid argument\n" } });
    await assert.rejects(
      transaction(r, [
        { run: ["a", "1"], undo: ["undo", "a"] },
        { run: ["b", "1"], undo: ["undo", "b"] },
        { run: ["c", "1"], undo: ["undo", "c"] },
      ]),
      /^CommandError: running "c 1": RTNETLINK answers: Invalid argument$/,
    );
    assert.deepEqual(r.ran, ["a 1", "b 1", "c 1", "undo b", "undo a"]);
  });

  it("also undoes a step whose connection broke mid-way, since it may have run", async () => {
    const r = fakeRunner({ "b 1": new Error("the connection closed while running") });
    await assert.rejects(
      transaction(r, [
        { run: ["a", "1"], undo: ["undo", "a"] },
        { run: ["b", "1"], undo: ["undo", "b"] },
      ]),
      /connection closed/,
    );
    assert.deepEqual(r.ran, ["a 1", "b 1", "undo b", "undo a"]);
  });

  it("uses a step's own explanation, and says what could not be rolled back", async () => {
    const r = fakeRunner({
      "a 1": ok,
      "b 1": { code: 1, stdout: "", stderr: "File exists" },
      "undo a": { code: 1, stdout: "", stderr: "Device or resource busy" },
    });
    await assert.rejects(
      transaction(r, [
        { run: ["a", "1"], undo: ["undo", "a"] },
        {
          run: ["b", "1"],
          explain: (res) => (/File exists/.test(res.stderr) ? new ExistsError('link "b"') : undefined),
        },
      ]),
      /link "b" already exists and was not made by this resource.*rolling back also failed, clean up by hand: running "undo a": Device or resource busy/,
    );
  });
});
