// PerHost: one value per runner, made once on first use.
import { strict as assert } from "node:assert";
import { PerHost } from "../provider/per-host";
import { Runner } from "../provider/transport/runner";

const runner = (target: string): Runner => ({
  target,
  run: async () => ({ code: 0, stdout: "", stderr: "" }),
  script: async () => ({ code: 0, stdout: "", stderr: "" }),
});

describe("PerHost", () => {
  it("makes a runner's value once, on first use, and keeps hosts apart", () => {
    const made: string[] = [];
    const values = new PerHost((r) => (made.push(r.target), { of: r.target }));
    const [a, b] = [runner("a"), runner("b")];
    assert.deepEqual(made, []);
    const first = values.of(a);
    assert.equal(values.of(a), first);
    assert.deepEqual(values.of(b), { of: "b" });
    assert.notEqual(values.of(b), first);
    assert.deepEqual(made, ["a", "b"]);
  });
});

describe("PerHost with wrapping runners", () => {
  it("gives a wrapping runner (a snapshot reader, a create's prelude) the value of the runner it wraps", () => {
    const made: Runner[] = [];
    const values = new PerHost((r) => (made.push(r), {}));
    const host = runner("a");
    const wrapping = { ...runner("a"), base: host };
    assert.equal(values.of(wrapping), values.of(host));
    assert.deepEqual(made, [host], "made once, for the runner underneath");
  });
});
