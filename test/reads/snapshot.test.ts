// Host snapshots for refresh: the script's output parsed into each namespace's links and the OVS tables.
import { strict as assert } from "node:assert";
import { execFileSync, spawnSync } from "node:child_process";
import { FRAME } from "../../provider/shell/frames";
import { linksIn, vethPeer } from "../../provider/reads/readers";
import {
  HostSnapshots,
  Snapshot,
  SnapshotRunner,
  parseSnapshot,
  snapshotReads,
  snapshotScript,
} from "../../provider/reads/snapshot";

/** One part of the snapshot script's output, as shell/frames.ts frames it. */
const part = (label: string, body: string, code = 0) => `${body}\n\n${FRAME} ${label} ${code}\n`;
const link = (ifname: string) => ({ ifname, flags: ["UP"], mtu: 1500 });
const tables = JSON.stringify([{ rows: [{ name: "br0" }] }, { rows: [] }, { rows: [] }]);

describe("host snapshot", () => {
  it("lists the host's links, each namespace's (names with spaces too) and the OVS tables", () => {
    const out =
      part("host", JSON.stringify([link("lo"), link("v1")])) +
      part("ns red", JSON.stringify([link("lo"), link("eth0")])) +
      part("ns odd name", "[]") +
      part("namespaces", "2") +
      part("ovs", tables);
    const s = parseSnapshot(out);
    assert.deepEqual([...s.links.keys()], ["", "red", "odd name"]);
    assert.deepEqual(
      (s.links.get("red") as Array<{ ifname: string }>).map((l) => l.ifname),
      ["lo", "eth0"],
    );
    assert.deepEqual(s.ovs, { bridges: [{ name: "br0" }], ports: [], interfaces: [] });
  });

  it("takes a snapshot of this machine through /bin/sh: its links and namespaces as ip lists them, OVS as it answers", () => {
    const snap = parseSnapshot(execFileSync("/bin/sh", ["-c", snapshotScript()], { maxBuffer: 1 << 28 }).toString());
    const names = (links: unknown) => (links as Array<{ ifname: string }>).map((l) => l.ifname).sort();
    const ipSays = JSON.parse(execFileSync("ip", ["-json", "link", "show"]).toString()) as Array<{ ifname: string }>;
    assert.deepEqual(names(snap.links.get("")), names(ipSays));
    assert.ok(names(snap.links.get("")).includes("lo"), "control: the host's loopback");
    const listed = execFileSync("ip", ["netns", "list"]).toString();
    for (const ns of snap.links.keys()) if (ns) assert.ok(listed.includes(ns), `${ns} is a named namespace`);
    for (const m of listed.matchAll(/^(\S+) \(id: (\d+)\)$/gm)) assert.equal(snap.netnsIds.get(Number(m[2])), m[1]);
    const ovsAnswers = spawnSync("ovs-vsctl", ["--timeout=5", "list-br"]).status === 0;
    assert.equal(snap.ovs instanceof Error, !ovsAnswers, String(snap.ovs));
  });

  it("says a snapshot with no OVS part holds no OVS tables", () => {
    const s = parseSnapshot(part("host", "[]") + part("namespaces", "0"));
    assert.match(String(s.ovs), /the snapshot holds no OVS tables/);
  });

  it("drops a namespace deleted while listed, keeps another failure for whoever reads it, and keeps OVS's error", () => {
    const out =
      part("host", "[]") +
      part("ns gone", 'Cannot open network namespace "gone": No such file or directory', 1) +
      part("ns broken", "Error: something else", 1) +
      part("namespaces", "2") +
      part("ovs", "sh: 1: ovsdb-client: not found", 127);
    const s = parseSnapshot(out);
    assert.equal(s.links.has("gone"), false);
    assert.match(String(s.links.get("broken")), /reading links in namespace "broken": Error: something else/);
    assert.ok(s.ovs instanceof Error);
    assert.match(s.ovs.message, /ovsdb-client: not found/);
  });

  it("finds where each host veth's peer is from the snapshot: a named namespace by its id, or the host's", async () => {
    const veth = (ifname: string, ifindex: number, peer: number, netnsid?: number) => ({
      ...link(ifname),
      ifindex,
      link_index: peer,
      ...(netnsid !== undefined && { link_netnsid: netnsid }),
      linkinfo: { info_kind: "veth" },
    });
    const out =
      part(
        "host",
        JSON.stringify([
          veth("v-red", 10, 2, 0),
          veth("v-blue", 11, 2, 1),
          // A peer in the same namespace: ip names it, with no ifindex.
          { ...link("h1"), ifindex: 12, link: "h2", linkinfo: { info_kind: "veth" } },
          { ...link("h2"), ifindex: 13, link: "h1", linkinfo: { info_kind: "veth" } },
          veth("v-far", 14, 2, 7),
          veth("v-lost", 15, 9, 0),
          { ...link("br0"), ifindex: 16 },
        ]),
      ) +
      part("ns red", JSON.stringify([{ ...veth("eth0", 2, 10, 0) }])) +
      part("ns blue", JSON.stringify([{ ...veth("eth1", 2, 11, 0) }])) +
      part("namespaces", "2") +
      part("ovs", tables) +
      part("ids", "red (id: 0)\nblue (id: 1)\nnoid");
    const s = parseSnapshot(out);
    assert.deepEqual(
      [...s.netnsIds],
      [
        [0, "red"],
        [1, "blue"],
      ],
    );
    const runner: SnapshotRunner = {
      target: "fake",
      base: undefined as never,
      run: async () => assert.fail("no command: the snapshot answers"),
      script: async () => assert.fail("no command: the snapshot answers"),
      snapshot: () => Promise.resolve(s as Snapshot),
    };
    assert.deepEqual(await vethPeer(runner, "v-red"), { namespace: "red", device: "eth0" });
    assert.deepEqual(await vethPeer(runner, "v-blue"), { namespace: "blue", device: "eth1" }, "same ifindex, other id");
    assert.deepEqual(await vethPeer(runner, "h1"), { namespace: "", device: "h2" }, "both ends on the host");
    assert.equal(await vethPeer(runner, "v-far"), null, "a namespace without a name");
    assert.equal(await vethPeer(runner, "br0"), null, "no veth");
    assert.equal(await vethPeer(runner, "v-lost"), undefined, "the peer is not in the snapshot: ask the host");
    assert.equal(await vethPeer(runner, "gone"), undefined);
    const plain = { ...runner, snapshot: undefined } as unknown as SnapshotRunner;
    assert.equal(await vethPeer({ target: plain.target, run: plain.run, script: plain.script }, "v-red"), undefined);
  });

  it("refuses a snapshot cut short, or one that read fewer namespaces than it listed: a missing one reads as deleted", () => {
    const ns = part("ns red", "[]") + part("ns blue", "[]");
    const cut = /the host snapshot was cut short before its namespaces were all read/;
    assert.throws(() => parseSnapshot(""), cut);
    assert.throws(() => parseSnapshot(part("host", "[]") + ns), cut, "no count: the listing never finished");
    assert.throws(() => parseSnapshot(part("host", "[]") + ns + part("namespaces", "", 1)), cut, "the count failed");
    assert.throws(() => parseSnapshot(ns + part("namespaces", "2")), cut, "no host part");
    assert.throws(
      () => parseSnapshot(part("host", "[]") + ns + part("namespaces", "3")),
      /the host snapshot read 2 of the 3 namespaces it listed/,
    );
    // Control: the same parts with the count they add up to.
    assert.deepEqual(
      [...parseSnapshot(part("host", "[]") + ns + part("namespaces", "2")).links.keys()],
      ["", "red", "blue"],
    );
  });

  it("lists the named namespaces once and reads them in four shells, one ip per namespace (entered by nsenter)", () => {
    const script = snapshotScript();
    assert.match(script, /set -- \/run\/netns\/\*/);
    assert.match(script, /nsenter --net="\/run\/netns\/\$n" ip -d -json addr show/);
    assert.match(script, /while \[ "\$k" -lt 4 \]/);
  });
});

describe("host snapshot rules (a scripted host that is slow to list)", () => {
  const OUTPUT =
    part("host", "[]") +
    part("namespaces", "0") +
    part("ovs", JSON.stringify([{ rows: [] }, { rows: [] }, { rows: [] }]));
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  /** A runner whose snapshot script takes `ms` to answer; counts the snapshots taken. */
  function slowHost(ms: number) {
    const host = {
      scripts: 0,
      target: "slow",
      run: async () => ({ code: 0, stdout: "", stderr: "" }),
      script: async () => {
        host.scripts++;
        await sleep(ms);
        return { code: 0, stdout: OUTPUT, stderr: "" };
      },
    };
    return host;
  }

  it("takes a few snapshots, not one per batch of reads, when listing takes longer than the window", async () => {
    // Scaled down: listing takes 4x the window, as 1,000 namespaces do against 5 s.
    const host = slowHost(200);
    const snapshots = new HostSnapshots(host, 50);
    let next = 0;
    const reader = async () => {
      // Eight reads at a time, each a little work after its snapshot, as the engine's refresh sends them.
      for (let i = next++; i < 96; i = next++) {
        await snapshots.get(`r${i}`);
        await sleep(5);
      }
    };
    await Promise.all(Array.from({ length: 8 }, reader));
    assert.ok(host.scripts <= 2, `96 reads took ${host.scripts} snapshots`);
  });

  it("serves a read that arrives while the snapshot is still being taken, however long that takes", async () => {
    const host = slowHost(120);
    const snapshots = new HostSnapshots(host, 20);
    const first = snapshots.get("a");
    await sleep(80);
    assert.equal(snapshots.get("b"), first);
    await first;
    assert.equal(host.scripts, 1);
  });

  it("expires: a read after the window (MAX_AGE, or ten times the listing's own time if longer) takes a new one", async () => {
    const host = slowHost(10);
    const snapshots = new HostSnapshots(host, 40);
    await snapshots.get("a");
    await sleep(60);
    await snapshots.get("b");
    assert.equal(host.scripts, 1, "inside the window: ten times the 10 ms listing outlasts MAX_AGE's 40 ms");
    await sleep(120);
    await snapshots.get("c");
    assert.equal(host.scripts, 2, "after it");
  });

  it("counts the window from the snapshot's completion, at MAX_AGE or ten times the listing's time (a set clock)", async () => {
    const realNow = Date.now;
    let now = 1_000_000;
    Date.now = () => now;
    try {
      let finish = () => {};
      const host = {
        scripts: 0,
        target: "clocked",
        run: async () => ({ code: 0, stdout: "", stderr: "" }),
        script: async () => {
          host.scripts++;
          await new Promise<void>((r) => (finish = r));
          return { code: 0, stdout: OUTPUT, stderr: "" };
        },
      };
      const snapshots = new HostSnapshots(host, 1000);
      // Listing took 5 s: the window is 50 s (ten times that, over MAX_AGE's 1 s), counted from completion.
      const slow = snapshots.get("a");
      now += 5000;
      finish();
      await slow;
      now += 50_000 - 1;
      assert.equal(snapshots.get("b"), slow, "55 s after it began, 1 ms before its window ends: still served");
      now += 1;
      const next = snapshots.get("c");
      assert.notEqual(next, slow, "at the window's end: a new one");
      assert.equal(host.scripts, 2);
      now += 10;
      finish();
      await next;
      // Listing took 10 ms: MAX_AGE's 1 s is the longer, counted from completion.
      now += 999;
      assert.equal(snapshots.get("d"), next, "1 ms before MAX_AGE ends");
      now += 1;
      assert.notEqual(snapshots.get("e"), next, "at MAX_AGE");
      finish();
    } finally {
      Date.now = realNow;
    }
  });

  it("keeps no failed snapshot: the next read takes a new one", async () => {
    let fail = true;
    const host = {
      scripts: 0,
      target: "flaky",
      run: async () => ({ code: 0, stdout: "", stderr: "" }),
      script: async () => {
        host.scripts++;
        return fail ? { code: 255, stdout: "", stderr: "connection lost" } : { code: 0, stdout: OUTPUT, stderr: "" };
      },
    };
    const snapshots = new HostSnapshots(host, 1000);
    await assert.rejects(snapshots.get("a")!);
    fail = false;
    await snapshots.get("b");
    assert.equal(host.scripts, 2);
  });

  it("never serves the same resource twice, nor any read once a write of ours has begun", async () => {
    const host = slowHost(10);
    const snapshots = new HostSnapshots(host, 1000);
    await snapshots.get("a");
    await snapshots.get("a");
    assert.equal(host.scripts, 2, "a second look at the same resource looks anew");
    await snapshots.write(async () => {
      assert.equal(snapshots.get("b"), undefined, "no snapshot while we write");
    });
    await snapshots.get("c");
    assert.equal(host.scripts, 3, "nothing taken before the write serves after it");
  });
});

describe("snapshot reads", () => {
  it("run commands on the runner, and ask the host's snapshot once for all their reads", async () => {
    const calls: string[] = [];
    const runner = {
      target: `reads-${Math.random()}`,
      run: async (argv: readonly string[]) => (calls.push(argv.join(" ")), { code: 0, stdout: "ran", stderr: "" }),
      script: async (text: string, inSession?: boolean) => (
        calls.push(`${text} ${inSession}`),
        { code: 0, stdout: "scripted", stderr: "" }
      ),
    };
    const r = snapshotReads(runner, "Namespace red");
    assert.equal(r.base, runner);
    assert.equal(r.target, runner.target);
    assert.equal((await r.run(["true"])).stdout, "ran");
    assert.equal((await r.script("echo", true)).stdout, "scripted");
    assert.deepEqual(calls, ["true", "echo true"]);
    const first = r.snapshot();
    assert.ok(first, "a snapshot for the first read");
    assert.equal(r.snapshot(), first, "the same one for every read of this resource");
    await first!.catch(() => undefined);
  });

  it("fail when the host's listing lost a namespace, rather than read it as deleted", async () => {
    /** A host whose snapshot holds red and blue, and says it listed `listed` namespaces. */
    const host = (listed: number) => ({
      target: `reads-${Math.random()}`,
      run: async () => assert.fail("no command: the snapshot answers"),
      script: async () => ({
        code: 0,
        stdout: part("host", "[]") + part("ns red", "[]") + part("ns blue", "[]") + part("namespaces", String(listed)),
        stderr: "",
      }),
    });
    await assert.rejects(
      linksIn(snapshotReads(host(3), "Namespace green"), "green"),
      /the host snapshot read 2 of the 3 namespaces it listed/,
    );
    // Control: the same host with the count its parts add up to reads green as gone, and red as there.
    assert.equal(await linksIn(snapshotReads(host(2), "Namespace green"), "green"), undefined);
    assert.deepEqual(await linksIn(snapshotReads(host(2), "Namespace red"), "red"), []);
  });
});
