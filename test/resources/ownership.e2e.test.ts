// Ownership marks and adoption against the lab host: a create whose state was lost takes back only its own objects.
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { Deployed, Made, create, destroy, refresh, up } from "../helpers/engine";
import { RUN_PREFIX, labConnection } from "../../lab/access";
import { sweep } from "../../lab/sweep";
import { recordPath, releaseRecord } from "../../provider/ownership/records";
import { claimRecord } from "../helpers/claim";
import { runnerFor } from "../../provider/transport";
import { spyOnSent } from "../helpers/sent-spy";

const P = `${RUN_PREFIX.slice(0, -1)}o-`;
const connection = labConnection();
const urn = (kind: string, name: string, stack = "test") =>
  `urn:pulumi:${stack}::ownership::pulumi-nodejs:dynamic/netns:${kind}::${name}`;

const sh = (cmd: string) => execFileSync("/bin/sh", ["-c", cmd], { stdio: ["ignore", "pipe", "pipe"] }).toString();
const count = (cmd: string, pattern: string) =>
  sh(cmd)
    .split("\n")
    .filter((l) => l.includes(pattern)).length;

/** A small topology, each object owned by its own resource URN. */
function topology(stack = "test"): Array<[string, Record<string, unknown>]> {
  const o = (kind: string, name: string) => urn(kind, name, stack);
  return [
    ["Namespace", { name: `${P}ns`, owner: o("Namespace", "ns") }],
    ["OvsBridge", { name: `${P}br`, datapathType: "netdev", owner: o("OvsBridge", "br") }],
    ["VethPair", { name: "eth0", namespace: `${P}ns`, peerName: `${P}v`, owner: o("VethPair", "v") }],
    ["OvsPort", { bridge: `${P}br`, name: `${P}v`, tag: 10, owner: o("OvsPort", "v") }],
    ["Address", { namespace: `${P}ns`, device: "eth0", cidr: "10.77.0.1/24", owner: o("Address", "a") }],
    ["Route", { namespace: `${P}ns`, destination: "10.78.0.0/16", via: "10.77.0.254", owner: o("Route", "r") }],
  ];
}

describe("ownership marks and adoption (e2e, lab host over SSH)", function () {
  this.timeout(120_000);
  const made = new Made(connection);
  after(async () => {
    await made.destroy().catch(() => undefined);
    sweep(P);
    sh(`rm -rf /run/pulumi-netns/owners/*/*${P}* 2>/dev/null; true`);
  });

  let deployed: Deployed[] = [];

  it("marks each object with its owner: a record per object, the OVS owner id and the veth's alias on the host", async () => {
    for (const [kind, inputs] of topology()) deployed.push(await made.create(kind, inputs));
    for (const d of deployed) {
      const record = readFileSync(recordPath(d.kind, d.id), "utf8");
      assert.equal(record, `${d.inputs.owner}\n${d.outs.generation}`, `${d.kind} record: owner, then generation`);
    }
    assert.match(sh(`ovs-vsctl get port ${P}v external_ids:pulumi-netns-owner`), /OvsPort::v/);
    assert.match(sh(`ovs-vsctl get bridge ${P}br external_ids:pulumi-netns-owner`), /OvsBridge::br/);
    // The end on the host carries the mark (read and delete go through it); the end inside needs no nsenter at all.
    assert.match(sh(`ip link show dev ${P}v`), /alias urn:pulumi:test::ownership::.*VethPair::v/);
    assert.match(sh(`ip -n ${P}ns link show dev eth0`), /state (UP|LOWERLAYERDOWN)/);
    assert.doesNotMatch(sh(`ip -n ${P}ns link show dev eth0`), /alias/);
  });

  it("adopts every object when the same resources create again with their state lost, duplicating nothing", async () => {
    for (const [kind, inputs] of topology()) {
      const again = await create(kind, { ...inputs, connection });
      const before = deployed.find((d) => d.kind === kind)!;
      assert.equal(again.id, before.id, `${kind} keeps its id`);
      assert.deepEqual(await refresh(again), again, `${kind} reads back as created`);
      assert.notEqual(again.outs.generation, before.outs.generation, `${kind}: a create is a new generation`);
      const record = readFileSync(recordPath(kind, again.id), "utf8").split("\n");
      assert.equal(record[1], again.outs.generation, `${kind}: adopting moves the object to the new generation`);
      deployed[deployed.indexOf(before)] = made.replace(before, again);
    }
    // As after a create-before-delete replacement: the old generation's delete leaves every object alone.
    for (const d of [...deployed].reverse()) {
      const old = { ...d, outs: { ...d.outs, generation: "0123456789abcdef" } };
      await destroy(old);
      assert.ok(await refresh(d), `${d.kind} survives the old generation's delete`);
    }
    assert.equal(count(`ovs-vsctl list-ports ${P}br`, `${P}v`), 1, "one port");
    assert.equal(count(`ip -n ${P}ns -4 addr show dev eth0`, "10.77.0.1/24"), 1, "one address");
    assert.equal(count(`ip -n ${P}ns route show`, "10.78.0.0/16"), 1, "one route");
  });

  it("refuses the same names for another stack's resources and leaves the objects and records alone", async () => {
    for (const [kind, inputs] of topology("other")) {
      await assert.rejects(
        create(kind, { ...inputs, connection }),
        /already exists and was not made by this resource/,
        `${kind} refused`,
      );
    }
    for (const d of deployed) {
      const record = readFileSync(recordPath(d.kind, d.id), "utf8");
      assert.equal(record.split("\n")[0], d.inputs.owner, `${d.kind} record kept`);
      assert.ok(await refresh(d), `${d.kind} still there`);
    }
  });

  it("with the records gone (a reboot empties /run), takes back the bridge, port and pair its marks name, and refuses them to another owner", async () => {
    const marked = deployed.filter((d) => ["OvsBridge", "OvsPort", "VethPair"].includes(d.kind));
    const dropRecords = () => sh(marked.map((d) => `rm -f '${recordPath(d.kind, d.id)}'`).join("; "));
    dropRecords();
    for (const d of marked) {
      const inputs = topology().find(([kind]) => kind === d.kind)![1];
      // Control: the marks of this owner only; another stack's resource of the same name is still refused.
      await assert.rejects(
        create(d.kind, { ...topology("other").find(([kind]) => kind === d.kind)![1], connection }),
        /already exists and was not made by this resource/,
        `${d.kind} refused to another owner without a record too`,
      );
      assert.equal(existsSync(recordPath(d.kind, d.id)), false, `${d.kind}: the refused claim is withdrawn`);
      const again = await create(d.kind, { ...inputs, connection });
      assert.equal(again.id, d.id, `${d.kind} taken back by its mark`);
      assert.deepEqual(await refresh(again), again, `${d.kind} reads back as created`);
      const record = readFileSync(recordPath(d.kind, again.id), "utf8").split("\n");
      assert.deepEqual(record, [d.inputs.owner, again.outs.generation], `${d.kind}: recorded again, new generation`);
      deployed[deployed.indexOf(d)] = made.replace(d, again);
    }
    assert.equal(count(`ovs-vsctl list-ports ${P}br`, `${P}v`), 1, "one port");
    assert.equal(count(`ip -n ${P}ns link show`, "eth0@"), 1, "one pair");
  });

  it("withdraws its claim when the name was taken by an object nobody recorded", async () => {
    const name = `${P}hand`;
    sh(`ip netns add ${name}`);
    try {
      await assert.rejects(
        create("Namespace", { name, owner: urn("Namespace", "hand"), connection }),
        /already exists and was not made by this resource/,
      );
      assert.equal(existsSync(recordPath("Namespace", name)), false, "no record claims the hand-made namespace");
    } finally {
      sh(`ip netns del ${name}`);
    }
  });

  it("does not read or delete an OVS port or veth marked for another owner", async () => {
    const port = deployed.find((d) => d.kind === "OvsPort")!;
    const veth = deployed.find((d) => d.kind === "VethPair")!;
    for (const d of [port, veth]) {
      const stranger: Deployed = { ...d, outs: { ...d.outs, owner: urn(d.kind, "stranger") } };
      assert.equal(await refresh(stranger), undefined, `${d.kind} is not the stranger's`);
      await destroy(stranger);
      assert.ok(await refresh(d), `${d.kind} survives the stranger's delete`);
    }
  });

  it("finishes a half-made object on adoption: a veth made but never marked or brought up", async () => {
    const owner = urn("VethPair", "half");
    const inputs = { name: `${P}ha`, peerName: `${P}hb`, owner, connection };
    // What a crash between `ip link add` and marking leaves: the record claimed, the link unmarked and down.
    sh(`ip link add name ${P}ha type veth peer name ${P}hb`);
    sh(`mkdir -p /run/pulumi-netns/owners/VethPair && printf '%s' '${owner}' > '${recordPath("VethPair", `/${P}ha`)}'`);
    const d = await create("VethPair", inputs);
    made.all.push(d);
    assert.match(sh(`ip link show dev ${P}ha`), /state (UP|LOWERLAYERDOWN|UNKNOWN)/);
    assert.match(
      sh(`ip link show dev ${P}hb`),
      new RegExp(`state (UP|LOWERLAYERDOWN|UNKNOWN).*\\n.*\\n.*alias ${owner}`),
    );
    assert.equal((await refresh(d))?.outs.up, true);
  });

  it("takes over a record another owner left behind once its object is gone", async () => {
    const name = `${P}stale`;
    const path = recordPath("Namespace", name);
    sh(`mkdir -p /run/pulumi-netns/owners/Namespace && printf '%s' '${urn("Namespace", "gone", "other")}' > '${path}'`);
    const d = await create("Namespace", { name, owner: urn("Namespace", "stale"), connection });
    made.all.push(d);
    assert.equal(readFileSync(path, "utf8"), `${urn("Namespace", "stale")}\n${d.outs.generation}`);
  });

  it("reports a removed mark as drift, and the next update puts it back", async () => {
    const veth = deployed.find((d) => d.kind === "VethPair")!;
    sh(`ip link set dev ${P}v alias ''`);
    const drifted = await refresh(veth);
    assert.equal(drifted?.outs.owner, undefined, "the missing alias shows as a changed owner");
    const { action, deployed: now } = await up(drifted!, { ...veth.inputs, connection });
    assert.equal(action, "update");
    made.replace(veth, now);
    deployed = deployed.map((d) => (d === veth ? now : d));
    assert.match(sh(`ip link show dev ${P}v`), /alias urn:pulumi:test::ownership::.*VethPair::v/);
  });

  it("acts on each record alone when several are released and claimed in one round trip", async () => {
    const [ours, theirs, none] = [`${P}mine`, `${P}theirs`, `${P}none`];
    const write = (name: string, text: string) =>
      sh(`mkdir -p /run/pulumi-netns/owners/Namespace && printf '%s' '${text}' > '${recordPath("Namespace", name)}'`);
    write(ours, `${urn("Namespace", "mine")}\n1111111111111111`);
    write(theirs, `${urn("Namespace", "theirs", "other")}\n2222222222222222`);
    const { sent, stop } = spyOnSent(runnerFor(connection));
    try {
      // Another owner's record comes first: a later script that saw its values would answer for the wrong record.
      const released = await Promise.all([
        releaseRecord(runnerFor(connection), "Namespace", theirs, urn("Namespace", "theirs"), "3333333333333333"),
        releaseRecord(runnerFor(connection), "Namespace", none, urn("Namespace", "none"), "4444444444444444"),
        releaseRecord(runnerFor(connection), "Namespace", ours, urn("Namespace", "mine"), "1111111111111111"),
        claimRecord(runnerFor(connection), "Namespace", none, urn("Namespace", "none"), "5555555555555555"),
      ]);
      assert.equal(sent.length, 1, `one round trip: ${sent.join("\n---\n")}`);
      assert.deepEqual(released, [
        { heldBy: `${urn("Namespace", "theirs", "other")} (generation 2222222222222222)`, ours: false },
        { heldBy: "", ours: false },
        { heldBy: "", ours: true },
        { owner: "", generation: "" },
      ]);
    } finally {
      stop();
    }
    assert.equal(existsSync(recordPath("Namespace", ours)), false, "our record released");
    assert.match(readFileSync(recordPath("Namespace", theirs), "utf8"), /::theirs\n2222222222222222$/, "kept");
    assert.equal(readFileSync(recordPath("Namespace", none), "utf8"), `${urn("Namespace", "none")}\n5555555555555555`);
    sh(`rm -f '${recordPath("Namespace", theirs)}' '${recordPath("Namespace", none)}'`);
  });

  it("deletes a pair its records vouch for without reading its marks, and a port and a pair without records by their marks", async () => {
    // A newer generation's state and objects, as a create-before-delete replacement leaves them: the older state's
    // delete must leave them alone. With the records gone (/run emptied by a reboot), only the marks can tell.
    const stateOf = (kind: string) => deployed.find((d) => d.kind === kind)!;
    const older = (d: Deployed): Deployed => ({ ...d, outs: { ...d.outs, generation: "0123456789abcdef" } });
    const { sent, stop } = spyOnSent(runnerFor(connection));
    try {
      for (const kind of ["OvsPort", "VethPair"]) {
        const d = stateOf(kind);
        const record = recordPath(kind, d.id);
        const kept = readFileSync(record, "utf8");
        sh(`rm -f '${record}'`);
        sent.length = 0;
        await destroy(older(d));
        assert.ok(await refresh(d), `${kind}: the newer generation's object survives`);
        assert.ok(
          sent.some((t) => t.includes('"table":"Port"') || t.includes("ip -d -json addr show")),
          `${kind}: read its marks: ${sent.join("\n---\n")}`,
        );
        // Releasing the missing record took its directory, empty then, along.
        sh(`mkdir -p '${record.slice(0, record.lastIndexOf("/"))}' && printf '%s' '${kept}' > '${record}'`);
      }
      // Control: the records back, the states' own deletes (the port first, as destroy orders): the pair's reads no
      // marks; a system port's reads its row either way, for the UUID it is removed by (ovs-port/commands.ts delRows).
      sent.length = 0;
      for (const kind of ["OvsPort", "VethPair"]) await made.destroyOne(stateOf(kind));
      assert.deepEqual(
        sent.filter((t) => t.includes("ip -d -json addr show")),
        [],
        "no mark read",
      );
      assert.ok(
        sent.some((t) => t.includes('["ports","delete",["uuid",')),
        "the port removed by its UUID",
      );
      assert.equal(sent.filter((t) => t.includes("ovs-vsctl")).length, 0, "no ovs-vsctl");
      assert.equal(sh(`ip link show ${P}v 2>&1; true`).includes("does not exist"), true, "the pair is gone");
      assert.equal(sh(`ovs-vsctl --if-exists get port ${P}v tag`), "", "the port is gone");
    } finally {
      stop();
    }
    deployed = deployed.filter((d) => d.kind !== "OvsPort" && d.kind !== "VethPair");
  });

  it("reads, adopts and deletes pairs marked on both ends, as creates before 2026-12-03 marked them", async () => {
    // One pair with an end on the host (marked there now), one with both ends inside (marked on the peer end now).
    const pairs = [
      { name: "eth1", namespace: `${P}ns`, peerName: `${P}ov`, inside: ["eth1"], outside: [`${P}ov`] },
      {
        name: `${P}oa`,
        namespace: `${P}ns`,
        peerName: `${P}ob`,
        peerNamespace: `${P}ns`,
        inside: [`${P}oa`, `${P}ob`],
      },
    ];
    for (const { inside, outside = [], ...spec } of pairs) {
      const inputs = { ...spec, owner: urn("VethPair", spec.peerName) };
      const d = await made.create("VethPair", inputs);
      const ends = [...outside.map((dev) => ["", dev]), ...inside.map((dev) => [`-n ${P}ns `, dev])];
      const alias = ([ns, dev]: string[]) => /alias (.*)/.exec(sh(`ip ${ns}link show dev ${dev}`))?.[1];
      const mark = ends.map(alias).find((a) => a !== undefined)!;
      assert.equal(ends.map(alias).filter(Boolean).length, 1, `${spec.peerName}: one end marked now`);
      for (const [ns, dev] of ends) sh(`ip ${ns}link set dev ${dev} alias '${mark}'`);
      assert.equal(
        ends.map(alias).filter((a) => a === mark).length,
        2,
        `${spec.peerName}: both ends marked, as before`,
      );

      assert.deepEqual(await refresh(d), d, `${spec.peerName} reads the same`);
      const stranger: Deployed = { ...d, outs: { ...d.outs, owner: urn("VethPair", "stranger") } };
      assert.equal(await refresh(stranger), undefined, `${spec.peerName} is not the stranger's`);
      const again = await create("VethPair", { ...inputs, connection });
      assert.equal(again.id, d.id, `${spec.peerName} adopted, not made again`);
      assert.notEqual(again.outs.generation, d.outs.generation);
      assert.deepEqual(await refresh(again), again, `${spec.peerName} reads back as adopted`);
      // The replaced state's delete, with no record to vouch: the end created before still carries its generation,
      // the near end the new one, and only the near end decides.
      const record = recordPath("VethPair", d.id);
      const kept = readFileSync(record, "utf8");
      sh(`rm -f '${record}'`);
      await destroy(d);
      assert.ok(await refresh(again), `${spec.peerName} survives the older generation's delete`);
      sh(`mkdir -p '${record.slice(0, record.lastIndexOf("/"))}' && printf '%s' '${kept}' > '${record}'`);

      await made.destroyOne(made.replace(d, again));
      for (const [ns, dev] of ends) {
        assert.match(sh(`ip ${ns}link show dev ${dev} 2>&1; true`), /does not exist/, `${dev} deleted`);
      }
      assert.equal(existsSync(recordPath("VethPair", d.id)), false, `${spec.peerName} record released`);
    }
  });

  it("destroy removes every record and leaves no empty directory behind", async () => {
    const records = made.all.map((d) => recordPath(d.kind, d.id));
    await made.destroy();
    deployed = [];
    for (const r of records) assert.equal(existsSync(r), false, `${r} removed`);
    assert.equal(sh("find /run/pulumi-netns -type d -empty 2>/dev/null; true"), "", "no empty directory left");
  });
});
