// Refresh reads share host-wide snapshots (lab host over SSH): one round trip for many reads, never hiding our own
// writes or a second look at the same resource, and never past its window (MAX_AGE_MS, or ten times its listing time).
import { strict as assert } from "node:assert";
import { execFileSync, spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { Made, refresh } from "../helpers/engine";
import { RUN_PREFIX, labConnection } from "../../lab/access";
import { sweep } from "../../lab/sweep";
import { mustScript, runnerFor } from "../../provider/transport";
import { LISTING_DIR, MAX_AGE_MS, parseSnapshot, snapshotScript } from "../../provider/reads/snapshot";
import { remove } from "../../provider/dynamic/host";

const P = `${RUN_PREFIX}sn`;
const connection = labConnection();

describe("refresh snapshots (e2e, lab host over SSH)", function () {
  this.timeout(120_000);
  const made = new Made(connection);
  const runner = runnerFor(labConnection());
  // Every command and script the reads send to the host, counted at the runner they all share.
  let trips = 0;
  const original = { run: runner.run.bind(runner), script: runner.script.bind(runner) };

  before(() => {
    runner.run = (argv) => (trips++, original.run(argv));
    runner.script = (text) => (trips++, original.script(text));
  });
  after(async () => {
    Object.assign(runner, original);
    await made.destroy().catch(() => undefined);
    sweep(RUN_PREFIX);
  });

  it("serves the reads of many resources, namespaces, veths, addresses and OVS ports, from one snapshot", async () => {
    await made.create("OvsBridge", { name: `${P}br`, datapathType: "netdev" });
    for (let i = 0; i < 4; i++) {
      await made.create("Namespace", { name: `${P}${i}` });
      await made.create("VethPair", { name: "eth0", namespace: `${P}${i}`, peerName: `${P}v${i}` });
      // keep: checking the peers' checksum offload is a read of its own (offload.e2e.test.ts), not a snapshot's.
      await made.create("OvsPort", { bridge: `${P}br`, name: `${P}v${i}`, tag: i + 1, checksumOffload: "keep" });
      await made.create("Address", { namespace: `${P}${i}`, device: "eth0", cidr: `10.77.${i}.1/24` });
    }
    trips = 0;
    // One after another, as a refresh's reads mostly arrive: without the snapshot each would be a round trip.
    const seen = [];
    for (const d of made.all) seen.push(await refresh(d));
    assert.ok(seen.every(Boolean), "every resource is there");
    assert.equal(trips, 1, "one snapshot script for 17 reads");
    assert.deepEqual(
      seen.filter((d) => d!.kind === "OvsPort").map((d) => d!.outs.tag),
      [1, 2, 3, 4],
    );
  });

  it("never serves a read from a snapshot taken before one of our own writes", async () => {
    const [ns0, ns1] = made.all.filter((d) => d.kind === "Namespace");
    // A fresh snapshot (ns0 was served by the last one), which has seen ns1.
    assert.ok(await refresh(ns0));
    const veth1 = made.all.find((d) => d.kind === "VethPair" && d.inputs.namespace === ns1.inputs.name)!;
    const addr1 = made.all.find((d) => d.kind === "Address" && d.inputs.namespace === ns1.inputs.name)!;
    await remove("Address", addr1.outs);
    await remove("VethPair", veth1.outs);
    await remove("Namespace", ns1.outs);
    made.all.splice(made.all.indexOf(addr1), 1);
    made.all.splice(made.all.indexOf(veth1), 1);
    made.all.splice(made.all.indexOf(ns1), 1);
    assert.equal(await refresh(ns1), undefined, "the namespace our delete removed reads as gone");
  });

  it("looks again after its window, so a refresh sees what changed by hand since", async () => {
    const [ns0, ns2] = made.all.filter((d) => d.kind === "Namespace");
    assert.ok(await refresh(ns0)); // a new snapshot that has seen ns2 with its loopback up
    execFileSync("ip", ["-n", String(ns2.inputs.name), "link", "set", "lo", "down"]);
    const realNow = Date.now;
    // Far past any window: MAX_AGE_MS, or ten times a listing that took a few hundred ms on a busy machine.
    Date.now = () => realNow() + 20 * MAX_AGE_MS;
    try {
      assert.equal((await refresh(ns2))?.outs.loopbackUp, false);
    } finally {
      Date.now = realNow;
    }
  });
});

describe("the snapshot's listing of namespaces (e2e, lab host over SSH)", function () {
  this.timeout(60_000);
  // Nine besides those the lab host has, so that each of the four shells reads several and their shares differ;
  // one name with a space.
  const names = [...Array.from({ length: 8 }, (_, i) => `${P}l${i}`), `${P}l odd`];
  /** What listings left in the host's /tmp (the lab host is this machine, its SSH sessions without TMPDIR). */
  const leftInTmp = () => readdirSync("/tmp").filter((f) => f.startsWith(LISTING_DIR));
  after(() => {
    for (const n of names) spawnSync("ip", ["netns", "del", n]);
    sweep(RUN_PREFIX);
  });

  it("reads every named namespace once, however they fall to its shells, and leaves nothing in /tmp", async () => {
    for (const n of names) execFileSync("ip", ["netns", "add", n]);
    const before = leftInTmp();
    const snap = parseSnapshot(await mustScript(runnerFor(connection), snapshotScript()));
    for (const n of names)
      assert.deepEqual(
        (snap.links.get(n) as Array<{ ifname: string }>).map((l) => l.ifname),
        ["lo"],
        `${n} read`,
      );
    const listed = execFileSync("ip", ["netns", "list"]).toString().trim().split("\n").length;
    assert.equal(snap.links.size, listed + 1, "every namespace on the host, and the host's own links");
    assert.deepEqual(leftInTmp(), before);
  });
});
