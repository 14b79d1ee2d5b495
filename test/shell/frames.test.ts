// The one framing convention, through a real /bin/sh: each part's output, stderr, exit code and label come back.
import { strict as assert } from "node:assert";
import { execFileSync, spawnSync } from "node:child_process";
import { FRAME, framedScript, parseFrames } from "../../provider/shell/frames";

const sh = (script: string) => {
  const r = spawnSync("/bin/sh", ["-c", script], { encoding: "utf8" });
  return { stdout: r.stdout, stderr: r.stderr };
};

describe("shell/frames", () => {
  it("returns each part's output (stderr merged), exit code and label, whatever the label holds", () => {
    const parts = [
      { label: "0", script: "printf 'no newline'" },
      { label: "ns odd 'name'", script: "echo out; echo err >&2; exit 3" },
      { label: "last", script: `printf '%s\\n' '${FRAME}-ish'` },
    ];
    // `exit` in a braced part ends the whole script: parts that may exit run in subshells.
    const got = parseFrames(sh(framedScript(parts, { subshell: true })));
    assert.deepEqual(
      got.map((f) => [f.label, f.code, f.stdout]),
      [
        ["0", 0, "no newline"],
        ["ns odd 'name'", 3, "out\nerr\n"],
        ["last", 0, `${FRAME}-ish\n`],
      ],
    );
  });

  it("keeps stderr apart when asked, and stops after the first failure when asked", () => {
    const parts = [
      { label: "a", script: "echo 1; echo e1 >&2" },
      { label: "b", script: "false" },
      { label: "c", script: "echo never" },
    ];
    const got = parseFrames(sh(framedScript(parts, { separateStderr: true, stopOnFailure: true })));
    assert.deepEqual(got, [
      { label: "a", code: 0, stdout: "1\n", stderr: "e1\n" },
      { label: "b", code: 1, stdout: "", stderr: "" },
    ]);
  });

  it("gives fewer results than parts for a script cut short, and none for no output", () => {
    const out = sh(framedScript([{ label: "a", script: "echo 1" }])).stdout;
    assert.equal(parseFrames({ stdout: out.slice(0, out.indexOf(FRAME)), stderr: "" }).length, 0);
    assert.deepEqual(parseFrames({ stdout: "", stderr: "" }), []);
  });

  it("never reads a part's stdin from the script", () => {
    const got = parseFrames({
      // The shell drains its own stdin after the part: one that exited without reading it could fail the write of
      // "leak" with EPIPE before the test looks at anything.
      stdout: execFileSync("/bin/sh", ["-c", `${framedScript([{ label: "r", script: "cat" }])}\ncat >/dev/null`], {
        input: "leak",
      }).toString(),
      stderr: "",
    });
    assert.deepEqual(
      got.map((f) => f.stdout),
      [""],
    );
  });
});
