// The harness's command line: each flag read as `pulumi` reads it, --target-replace as a target and a replace.
import { strict as assert } from "node:assert";
import { parseArgs } from "../../engine/args";

const U = "urn:pulumi:dev::seed::pulumi-nodejs:dynamic/netns:Namespace::r";

describe("engine command line", () => {
  it("needs a verb it knows and a directory", () => {
    assert.equal(parseArgs([]), undefined);
    assert.equal(parseArgs(["up"]), undefined);
    assert.equal(parseArgs(["apply", "dir"]), undefined);
    assert.equal(parseArgs(["destroy", "dir"])?.verb, "destroy");
  });

  it("defaults: stack dev, no state file, no flags", () => {
    assert.deepEqual(parseArgs(["preview", "examples/seed"]), {
      verb: "preview",
      dir: "examples/seed",
      stack: "dev",
      state: undefined,
      config: {},
      parallel: undefined,
      replace: [],
      target: [],
      diff: false,
      refresh: false,
      expectNoChanges: false,
    });
  });

  it("reads --target-replace URN as --target URN --replace URN, beside the flags' own values", () => {
    const a = parseArgs(["up", "d", "--replace", "R", "--target-replace", U, "--target", "T"])!;
    assert.deepEqual(a.replace, ["R", U]);
    assert.deepEqual(a.target, ["T", U]);
  });

  it("reads every other flag: repeated config (a value may hold '='), the last stack, state and parallel", () => {
    const a = parseArgs([
      "up",
      "d",
      "--config",
      "a=1",
      "--config",
      "b=x=y",
      "--stack",
      "s1",
      "--stack",
      "s2",
      "--state",
      "/tmp/s.json",
      "--parallel",
      "4",
      "--diff",
      "--refresh",
      "--expect-no-changes",
    ])!;
    assert.deepEqual(a.config, { a: "1", b: "x=y" });
    assert.deepEqual([a.stack, a.state, a.parallel], ["s2", "/tmp/s.json", 4]);
    assert.deepEqual([a.diff, a.refresh, a.expectNoChanges], [true, true, true]);
  });

  it("ignores a flag left without its value", () => {
    assert.deepEqual(parseArgs(["up", "d", "--target"])!.target, []);
  });
});
