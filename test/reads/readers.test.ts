// Shared host reads: the per-namespace links script's output, and the coalescer that batches requests arriving together.
import { strict as assert } from "node:assert";
import { Coalescer } from "../../provider/coalesce";
import { bridgeDatapath, noteBridge, notePair, ovsNamed, vethPeer } from "../../provider/reads/readers";
import { linksScript, parseLinksOutput } from "../../provider/reads/links";
import { Snapshot, SnapshotRunner } from "../../provider/reads/snapshot";
import { Runner } from "../../provider/transport/runner";
import { FRAME } from "../../provider/shell/frames";

describe("shared reads (reads/readers.ts)", () => {
  it("splits the links script's output per query, with a missing namespace or device as undefined", () => {
    const keys = ["\n", "red\n", "gone\n", "red\neth9", "\nveth-r"];
    // What each `ip` prints, framed as the script frames it.
    const answers = [
      '[{"ifname":"lo","flags":["UP"],"mtu":65536}]',
      '[{"ifname":"eth0","flags":[],"mtu":1500}]',
      'Cannot open network namespace "gone": No such file or directory',
      'Device "eth9" does not exist.',
      '[{"ifname":"veth-r","flags":["UP"],"mtu":1500}]',
    ];
    const out = answers.map((a, i) => `${a}\n\n${FRAME} ${i} ${a.startsWith("[") ? 0 : 1}\n`).join("");
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
      () => parseLinksOutput(`something else broke\n${FRAME} 0 1\n`, ["x\n"]),
      /reading links in namespace "x": something else broke/,
    );
  });

  it("knows, outside a refresh, where the host ends of pairs this process created lead, until they are deleted", async () => {
    const runner: Runner = {
      target: "t",
      run: async () => assert.fail("no command"),
      script: async () => assert.fail("no command"),
    };
    const red = { namespace: "red", name: "eth0", peerName: "v-red" };
    assert.equal(await vethPeer(runner, "v-red"), undefined, "not made here: ask the host");
    notePair(runner, red, true);
    notePair(runner, { name: "h1", peerName: "h2" }, true);
    assert.deepEqual(await vethPeer(runner, "v-red"), { namespace: "red", device: "eth0" });
    assert.equal(await vethPeer(runner, "eth0"), undefined, "the end inside a namespace is not the host's eth0");
    assert.deepEqual(await vethPeer(runner, "h2"), { namespace: "", device: "h1" }, "both ends on the host");
    assert.deepEqual(await vethPeer(runner, "h1"), { namespace: "", device: "h2" });
    assert.equal(await vethPeer({ ...runner }, "v-red"), undefined, "another host's");
    notePair(runner, red, false);
    assert.equal(await vethPeer(runner, "v-red"), undefined, "deleted: ask the host");
    assert.deepEqual(await vethPeer(runner, "h2"), { namespace: "", device: "h1" }, "control: the other pair stays");
  });

  it("knows the datapath of bridges this process made or changed, and reads any other bridge's", async () => {
    const asked: string[] = [];
    const runner: Runner = {
      target: "t",
      script: async () => assert.fail("no script"),
      run: async (argv) => {
        const ops = (JSON.parse(argv[2]) as unknown[]).slice(1) as Array<{ where: string[][] }>;
        asked.push(...ops.map((o) => o.where[0][2]));
        return {
          code: 0,
          stdout: JSON.stringify(ops.map(() => ({ rows: [{ name: "old", datapath_type: "" }] }))),
          stderr: "",
        };
      },
    };
    assert.equal(await bridgeDatapath(runner, "old"), "system", "made elsewhere: read, and empty means system");
    noteBridge(runner, "new", "netdev");
    assert.equal(await bridgeDatapath(runner, "new"), "netdev");
    assert.deepEqual(asked, ["old"], "no read for the bridge made here");
    noteBridge(runner, "new", undefined);
    assert.equal(await bridgeDatapath(runner, "new"), undefined, "deleted: read again, and not found");
    assert.deepEqual(asked, ["old", "new"]);
  });

  it("picks the named bridge's datapath out of a refresh's snapshot of every bridge", async () => {
    const bridges = [
      { name: "sys", datapath_type: "" },
      { name: "user", datapath_type: "netdev" },
    ];
    const snapshot = { ovs: { bridges, ports: [], interfaces: [] } } as unknown as Snapshot;
    const runner: SnapshotRunner = {
      target: "fake",
      base: undefined as never,
      run: async () => assert.fail("no command: the snapshot answers"),
      script: async () => assert.fail("no command: the snapshot answers"),
      snapshot: () => Promise.resolve(snapshot),
    };
    noteBridge(runner, "user", "system");
    assert.equal(await bridgeDatapath(runner, "user"), "netdev", "the snapshot, not a note, under a refresh");
    assert.equal(await bridgeDatapath(runner, "sys"), "system");
    assert.equal(await bridgeDatapath(runner, "gone"), undefined);
  });

  it("asks ip for a whole namespace or for one device, each argument quoted", () => {
    const script = linksScript(["\n", "red\neth0"]);
    assert.match(script, /\nip -d -json addr show\n\} <\/dev\/null 2>&1; .*'0'/);
    assert.match(
      script,
      /\nnsenter --net=\/run\/netns\/red ip -d -json addr show dev eth0\n\} <\/dev\/null 2>&1; .*'1'/,
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

  it("reads named OVS rows without any table whole: a bridge without its port list, a port with its interface", async () => {
    const sent: unknown[][] = [];
    const runner: Runner = {
      target: "fake",
      script: async () => ({ code: 0, stdout: "", stderr: "" }),
      run: async (argv) => {
        const ops = (JSON.parse(argv[2]) as unknown[]).slice(1) as Array<{ table: string; where: unknown[] }>;
        sent.push(ops);
        const rows = ops.map((o) => ({ rows: [{ name: (o.where[0] as string[])[2], table: o.table }] }));
        return { code: 0, stdout: JSON.stringify(rows), stderr: "" };
      },
    };
    const [br, port] = await Promise.all([ovsNamed(runner, { bridge: "OVS1" }), ovsNamed(runner, { port: "veth-r" })]);
    assert.equal(sent.length, 1, "one transaction for reads issued together");
    assert.deepEqual(sent[0], [
      {
        op: "select",
        table: "Bridge",
        where: [["name", "==", "OVS1"]],
        columns: ["_uuid", "name", "datapath_type", "fail_mode", "external_ids"],
      },
      {
        op: "select",
        table: "Port",
        where: [["name", "==", "veth-r"]],
        columns: ["_uuid", "name", "tag", "trunks", "vlan_mode", "external_ids"],
      },
      {
        op: "select",
        table: "Interface",
        where: [["name", "==", "veth-r"]],
        columns: ["name", "type", "options", "error", "ofport"],
      },
    ]);
    assert.deepEqual(br, { bridges: [{ name: "OVS1", table: "Bridge" }], ports: [], interfaces: [] });
    assert.deepEqual(port, {
      bridges: [],
      ports: [{ name: "veth-r", table: "Port" }],
      interfaces: [{ name: "veth-r", table: "Interface" }],
    });
  });
});
