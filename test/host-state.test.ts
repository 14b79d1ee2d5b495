// Shared host reads: the per-namespace links script's output, and the coalescer that batches requests arriving together.
import { strict as assert } from "node:assert";
import { Coalescer } from "../provider/coalesce";
import { parseLinksOutput } from "../provider/host-state";

describe("host-state", () => {
  it("splits the links script's output per namespace, with missing namespaces as undefined", () => {
    const out =
      '@@pulumi-netns@@ -\n[{"ifname":"lo","flags":["UP"],"mtu":65536}]\n\n' +
      '@@pulumi-netns@@ red\n[{"ifname":"eth0","flags":[],"mtu":1500}]\n\n' +
      '@@pulumi-netns@@ gone\nCannot open network namespace "gone": No such file or directory\n\n';
    const m = parseLinksOutput(out);
    assert.deepEqual(
      m.get("")?.map((l) => l.ifname),
      ["lo"],
    );
    assert.deepEqual(
      m.get("red")?.map((l) => l.ifname),
      ["eth0"],
    );
    assert.ok(m.has("gone") && m.get("gone") === undefined);
    assert.throws(
      () => parseLinksOutput("@@pulumi-netns@@ x\nsomething else broke\n"),
      /reading links in namespace "x": something else broke/,
    );
  });

  it("batches requests that arrive together and never serves one from a fetch that began before it", async () => {
    const batches: string[][] = [];
    let release: () => void = () => undefined;
    const c = new Coalescer<string, string>(async (keys) => {
      batches.push(keys);
      if (batches.length === 1) await new Promise<void>((r) => (release = r));
      return new Map(keys.map((k) => [k, `${k}@${batches.length}`]));
    });
    const first = [c.get("a"), c.get("b"), c.get("a")];
    await new Promise((r) => setImmediate(r));
    const late = c.get("a"); // arrives while the first fetch is in flight
    release();
    assert.deepEqual(await Promise.all(first), ["a@1", "b@1", "a@1"]);
    assert.equal(await late, "a@2");
    assert.deepEqual(batches, [["a", "b"], ["a"]]);
  });

  it("rejects every waiter of a failed batch", async () => {
    const c = new Coalescer<string, string>(async () => {
      throw new Error("down");
    });
    await assert.rejects(Promise.all([c.get("a"), c.get("b")]), /down/);
  });
});
