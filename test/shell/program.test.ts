// Which argv the SSH session may start without a subshell: programs yes, the shell's own words and builtins no.
import { strict as assert } from "node:assert";
import { runsAsProgram } from "../../provider/shell/program";

describe("shell/program", () => {
  it("lets programs run in the session's shell", () => {
    for (const p of ["ip", "nsenter", "ovs-vsctl", "ovsdb-client", "ethtool", "/usr/sbin/ip", "rm"])
      assert.equal(runsAsProgram([p, "x"]), true, p);
  });

  it("keeps builtins that could end or change that shell, and reserved words, in a subshell", () => {
    for (const b of ["exit", "exec", "cd", "set", "export", "unset", "trap", "umask", "ulimit", ".", "source", "eval"])
      assert.equal(runsAsProgram([b]), false, b);
    for (const w of ["if", "while", "{", "!", "case"]) assert.equal(runsAsProgram([w]), false, w);
    // Harmless builtins too: a name only has to be the shell's own to be kept apart.
    for (const b of ["kill", "printf", "test", "[", "true", "command"]) assert.equal(runsAsProgram([b]), false, b);
  });

  it("keeps a first word with '=' in a subshell: the shell would take it for an assignment", () => {
    assert.equal(runsAsProgram(["PATH=/tmp"]), false);
    assert.equal(runsAsProgram(["PATH=/tmp", "ip"]), false);
  });

  it("has nothing to run for an empty argv", () => {
    assert.equal(runsAsProgram([]), false);
  });
});
