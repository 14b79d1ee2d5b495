// Shared host reads: the per-namespace links script's output, and the coalescer that batches requests arriving together.
import { strict as assert } from "node:assert";
import { Coalescer } from "../provider/coalesce";
import { linksScript, parseLinksOutput } from "../provider/host-state";

describe("host-state", () => {
  it("splits the links script's output per query, with a missing namespace or device as undefined", () => {
    const keys = ["\n", "red\n", "gone\n", "red\neth9", "\nveth-r"];
    const out =
      '@@pulumi-netns@@ 0\n[{"ifname":"lo","flags":["UP"],"mtu":65536}]\n\n' +
      '@@pulumi-netns@@ 1\n[{"ifname":"eth0","flags":[],"mtu":1500}]\n\n' +
      '@@pulumi-netns@@ 2\nCannot open network namespace "gone": No such file or directory\n\n' +
      '@@pulumi-netns@@ 3\nDevice "eth9" does not exist.\n\n' +
      '@@pulumi-netns@@ 4\n[{"ifname":"veth-r","flags":["UP"],"mtu":1500}]\n\n';
    const m = parseLinksOutput(out, keys);
    assert.deepEqual(
      m.get("\n")?.map((l) => l.ifname),
      ["lo"],
    );
    assert.deepEqual(
      m.get("red\n")?.map((l) => l.ifname),
      ["eth0"],
    );
    assert.ok(m.has("gone\n") && m.get("gone\n") === undefined);
    assert.ok(m.has("red\neth9") && m.get("red\neth9") === undefined);
    assert.equal(m.get("\nveth-r")?.[0].ifname, "veth-r");
    assert.throws(
      () => parseLinksOutput("@@pulumi-netns@@ 0\nsomething else broke\n", ["x\n"]),
      /reading links in namespace "x": something else broke/,
    );
  });

  it("asks ip for a whole namespace or for one device, each argument quoted", () => {
    assert.equal(
      linksScript(["\n", "red\neth0"]),
      "printf '%s\\n' '@@pulumi-netns@@ 0'; ip -d -json addr show 2>&1; echo\n" +
        "printf '%s\\n' '@@pulumi-netns@@ 1'; ip -n red -d -json addr show dev eth0 2>&1; echo",
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
