// The core resources against the lab host over SSH: the seed topology's first part, VLANs, drift, rollback, re-create.
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { Deployed, Made, create, destroy, refresh, up } from "../helpers/engine";
import { RUN_PREFIX, labConnection } from "../../lab/access";
import { batchLine, batchResults, batchScript, batchingHostIp } from "../../provider/ip/batch";
import { recordPath } from "../../provider/ownership/records";
import { runnerFor } from "../../provider/transport";
import { spyOnSent } from "../helpers/sent-spy";
import { sweep } from "../../lab/sweep";
import { tcpWorks } from "../helpers/tcp";

const P = RUN_PREFIX;
const connection = labConnection();

function sh(cmd: string): { ok: boolean; out: string } {
  try {
    return { ok: true, out: execFileSync("/bin/sh", ["-c", cmd], { stdio: ["ignore", "pipe", "pipe"] }).toString() };
  } catch (e) {
    return { ok: false, out: String((e as { stderr?: Buffer }).stderr ?? e) };
  }
}

const ping = (ns: string, addr: string) => sh(`ip netns exec ${ns} ping -c1 -W1 ${addr}`).ok;
/** Pings up to a few times: the userspace switch learns MACs on the first packets. */
async function reachable(ns: string, addr: string): Promise<boolean> {
  for (let i = 0; i < 4; i++) if (ping(ns, addr)) return true;
  return false;
}

describe("core resources (e2e, lab host over SSH)", function () {
  this.timeout(120_000);
  const made = new Made(connection);
  const make = (kind: string, inputs: Record<string, unknown>) => made.create(kind, inputs);
  after(async () => {
    await made.destroy().catch(() => undefined);
    sweep(P);
  });

  describe("seed part one: a bridge, red and green", () => {
    let green: Deployed;
    const br = `${P}br`;
    const red = `${P}red`;
    const grn = `${P}green`;
    /** On red's VLAN: the positive control for every "cannot reach". */
    const blue = `${P}blue`;

    before(async () => {
      await make("OvsBridge", { name: br, datapathType: "netdev" });
      for (const [ns, inner, outer, ip, tag] of [
        [red, "eth0-r", `${P}vr`, "10.0.0.1/24", 100],
        [grn, "eth0-g", `${P}vg`, "10.0.0.2/24", 200],
        [blue, "eth0-b", `${P}vb`, "10.0.0.3/24", 100],
      ] as const) {
        await make("Namespace", { name: ns });
        await make("VethPair", { name: inner, namespace: ns, peerName: outer });
        const port = await make("OvsPort", { bridge: br, name: outer, tag });
        if (ns === grn) green = port;
        await make("Address", { namespace: ns, device: inner, cidr: ip });
      }
    });

    it("keeps VLAN 100 and 200 apart: red reaches blue on its own VLAN, by ping and TCP, but never green", async () => {
      assert.ok(await reachable(red, "10.0.0.3"), "red pings blue (control)");
      assert.ok(await tcpWorks(blue, "10.0.0.3", red), "TCP red -> blue (control)");
      assert.equal(ping(red, "10.0.0.2"), false, "no ping to green");
      assert.equal(await tcpWorks(grn, "10.0.0.2", red), false, "no TCP to green");
    });

    it("updates green's tag to 100 in place, after which red pings green", async () => {
      const r = await up(green, { ...green.inputs, tag: 100, connection });
      assert.equal(r.action, "update");
      made.replace(green, (green = r.deployed));
      assert.equal(sh(`ovs-vsctl get port ${P}vg tag`).out.trim(), "100");
      assert.ok(await reachable(red, "10.0.0.2"), "red pings green on VLAN 100");
      assert.ok(await tcpWorks(grn, "10.0.0.2", red), "and reaches it over TCP");
    });

    it("reports nothing to do when nothing changed", async () => {
      assert.equal((await up(green, { ...green.inputs, connection })).action, "same");
    });

    it("reads a tag changed by hand as the actual tag, and the next up restores it", async () => {
      sh(`ovs-vsctl set port ${P}vg tag=300`);
      const seen = await refresh(green);
      assert.equal(seen?.outs.tag, 300);
      const r = await up(seen!, { ...green.inputs, connection });
      assert.equal(r.action, "update");
      assert.equal(sh(`ovs-vsctl get port ${P}vg tag`).out.trim(), "100");
    });
  });

  describe("drift and ownership", () => {
    it("reads a namespace deleted by hand as gone", async () => {
      const ns = await make("Namespace", { name: `${P}drift` });
      assert.ok(await refresh(ns), "present at first");
      sh(`ip netns del ${P}drift`);
      assert.equal(await refresh(ns), undefined);
    });

    it("gives each link flag one owner: a pair's end stays as the pair set it, an internal port's is the port's", async () => {
      const br = await make("OvsBridge", { name: `${P}brf`, datapathType: "netdev" });
      await make("VethPair", { name: `${P}fa`, peerName: `${P}fb`, up: false });
      const sys = await make("OvsPort", { bridge: br.id, name: `${P}fb` });
      const isUp = (dev: string) => /<[^>]*\bUP\b/.test(sh(`ip link show dev ${dev}`).out);
      assert.equal(isUp(`${P}fb`), false, "the port did not set the pair's end up");
      const seen = await refresh(sys);
      assert.equal((await up(seen!, { ...sys.inputs, connection })).action, "same", "and reads no drift");
      await assert.rejects(
        create("OvsPort", { bridge: br.id, name: `${P}fa`, up: true, connection }),
        /up: is only for type "internal"/,
      );

      const tap = await make("OvsPort", { bridge: br.id, name: `${P}ft`, type: "internal" });
      assert.ok(isUp(`${P}ft`), "an internal port is up unless told otherwise (control)");
      sh(`ip link set dev ${P}ft down`);
      const drifted = await refresh(tap);
      assert.equal(drifted?.outs.up, false, "set down by hand: drift");
      assert.equal((await up(drifted!, { ...tap.inputs, connection })).action, "update");
      assert.ok(isUp(`${P}ft`), "the next up sets it up again");
    });

    it("sets an internal port's MTU in its namespace, sees it changed by hand, and changes it in place", async () => {
      const br = await make("OvsBridge", { name: `${P}brm`, datapathType: "netdev" });
      const ns = await make("Namespace", { name: `${P}mtu` });
      const mtuOf = (dev: string) => Number(/ mtu (\d+)/.exec(sh(`ip -n ${ns.id} link show dev ${dev}`).out)?.[1]);
      const plain = await make("OvsPort", { bridge: br.id, name: `${P}m0`, type: "internal", namespace: ns.id });
      assert.equal(mtuOf(`${P}m0`), 1500, "without mtu the kernel's default (control)");
      const tap = await make("OvsPort", {
        bridge: br.id,
        name: `${P}m1`,
        type: "internal",
        namespace: ns.id,
        mtu: 1450,
      });
      assert.equal(mtuOf(`${P}m1`), 1450);
      sh(`ip -n ${ns.id} link set dev ${P}m1 mtu 1500`);
      const drifted = await refresh(tap);
      assert.equal(drifted?.outs.mtu, 1500, "changed by hand: drift");
      assert.equal((await up(drifted!, { ...tap.inputs, connection })).action, "update");
      assert.equal(mtuOf(`${P}m1`), 1450, "the next up sets it back");
      const lower = await up((await refresh(tap))!, { ...tap.inputs, mtu: 1400, connection });
      assert.deepEqual([lower.action, lower.deployed.id, mtuOf(`${P}m1`)], ["update", tap.id, 1400], "in place");
      assert.equal((await refresh(plain))?.outs.mtu, undefined, "an unset MTU is not read as drift");
      await make("VethPair", { name: `${P}ma`, peerName: `${P}mb` });
      await assert.rejects(
        create("OvsPort", { bridge: br.id, name: `${P}mb`, mtu: 1400, connection }),
        /mtu: is only for type "internal"/,
      );
    });

    it("refuses to create what already exists when no record says it is this resource's", async () => {
      await make("Namespace", { name: `${P}twice` });
      await assert.rejects(
        create("Namespace", { name: `${P}twice`, connection }),
        /namespace "pn.*twice" already exists and was not made by this resource/,
      );
      await make("OvsBridge", { name: `${P}brx`, datapathType: "netdev" });
      await assert.rejects(
        create("OvsBridge", { name: `${P}brx`, datapathType: "netdev", connection }),
        /OVS bridge .* already exists and was not made by this resource/,
      );
      await assert.rejects(
        create("VethPair", { name: `${P}brx`, peerName: `${P}brx2`, connection }),
        /already exists and was not made by this resource/,
      );
    });

    it("does not read or delete a bridge it did not mark", async () => {
      const name = `${P}alien`;
      sh(`ovs-vsctl add-br ${name} -- set bridge ${name} datapath_type=netdev`);
      const fake: Deployed = {
        kind: "OvsBridge",
        id: name,
        inputs: {},
        outs: { name, datapathType: "netdev", externalIds: {}, connection },
      };
      assert.equal(await refresh(fake), undefined);
      await destroy(fake);
      assert.ok(sh(`ovs-vsctl br-exists ${name}`).ok, "the unmarked bridge is untouched");
      sh(`ovs-vsctl del-br ${name}`);
    });
  });

  describe("rollback", () => {
    it("removes the port when moving it into a missing namespace fails", async () => {
      const br = await make("OvsBridge", { name: `${P}rb`, datapathType: "netdev" });
      await assert.rejects(
        create("OvsPort", {
          bridge: br.outs.name,
          name: `${P}tap`,
          type: "internal",
          namespace: `${P}missing`,
          connection,
        }),
        /running "ip link set dev pn.*tap netns pn.*missing": .*/,
      );
      assert.equal(sh(`ovs-vsctl --bare --columns=name list Port`).out.includes(`${P}tap`), false, "no port left");
      assert.equal(sh(`ip link show ${P}tap`).ok, false, "no link left");
    });

    it("leaves no link behind when a veth end's namespace does not exist", async () => {
      await assert.rejects(
        create("VethPair", { name: `${P}ra`, peerName: `${P}rb2`, peerNamespace: `${P}nowhere`, connection }),
        /running "ip link add/,
      );
      assert.equal(sh(`ip link show ${P}ra`).ok, false);
      assert.equal(sh(`ip link show ${P}rb2`).ok, false);
    });

    it("fails a bridge whose datapath OVS cannot open, and removes it", async function () {
      if (sh("test -d /sys/module/openvswitch").ok) this.skip(); // the kernel datapath works here
      await assert.rejects(
        create("OvsBridge", { name: `${P}sys`, datapathType: "system", connection }),
        /could not open a datapath of type "system" .*use datapathType "netdev"/,
      );
      assert.equal(sh(`ovs-vsctl br-exists ${P}sys`).ok, false, "no bridge left");
    });

    it("fails a port for a missing device instead of leaving a broken port", async () => {
      const br = await make("OvsBridge", { name: `${P}rc`, datapathType: "netdev" });
      await assert.rejects(
        create("OvsPort", { bridge: br.outs.name, name: `${P}nodev`, connection }),
        /could not open network device/,
      );
      assert.equal(sh(`ovs-vsctl --bare --columns=name list Port`).out.includes(`${P}nodev`), false);
    });

    it("fails a port on a bridge that does not exist, and one whose name a port has, leaving no row behind", async () => {
      const br = await make("OvsBridge", { name: `${P}rd`, datapathType: "netdev" });
      sh(`ip link add ${P}rp type veth peer name ${P}rq`);
      try {
        const ports = () => sh(`ovs-vsctl --bare --columns=name list Port`).out.split(/\s+/);
        await assert.rejects(
          create("OvsPort", { bridge: `${P}nobr`, name: `${P}rp`, connection }),
          new RegExp(`no bridge named ${P}nobr`),
        );
        assert.equal(ports().includes(`${P}rp`), false, "no row left");
        sh(`ovs-vsctl add-port ${br.outs.name} ${P}rq`); // a port made by hand
        await assert.rejects(
          create("OvsPort", { bridge: br.outs.name, name: `${P}rq`, connection }),
          new RegExp(`OVS port "${P}rq" already exists`),
        );
        // Control: the same create on the bridge that exists adds the port.
        await create("OvsPort", { bridge: br.outs.name, name: `${P}rp`, connection });
        assert.ok(ports().includes(`${P}rp`));
      } finally {
        sh(`ip link del ${P}rp`);
      }
    });
  });

  describe("host ip writes that share one batch", () => {
    /** A link as `ip -j` shows it on the host: kind, alias, whether up. */
    const linkOf = (dev: string) => {
      const l = sh(`ip -j -d link show dev ${dev}`);
      if (!l.ok) return undefined;
      const [j] = JSON.parse(l.out) as Array<{ ifalias?: string; flags: string[]; linkinfo?: { info_kind: string } }>;
      return { kind: j.linkinfo?.info_kind, alias: j.ifalias, up: j.flags.includes("UP") };
    };

    it("reach ip word for word, whatever a word holds", async () => {
      // Deleting namespaces that do not exist changes nothing and makes ip print each name as it read it.
      const names = [`${P}plain`, `${P}two words`, `${P}it's`, `${P}say "hi"`, `'${P}quoted`, `${P}tab\there`];
      const lines = names.map((n) => batchLine(["ip", "netns", "del", n])!);
      const r = await runnerFor(connection).script(batchScript(lines));
      const said = batchResults(r, lines.length).map((x) => (x instanceof Error ? x.message : x.stderr));
      assert.deepEqual(
        said,
        names.map((n) => `Cannot remove namespace file "/run/netns/${n}": No such file or directory`),
      );
    });

    it("leave each line where it belongs: a pair added after a namespace in one batch is on the host", async () => {
      const { sent, stop } = spyOnSent(runnerFor(connection));
      try {
        await Promise.all([
          make("Namespace", { name: `${P}bn` }),
          make("VethPair", { name: `${P}bh`, peerName: `${P}bh2` }),
        ]);
        assert.ok(
          sent.some((t) => t.includes(`\nnetns add ${P}bn\nlink add name ${P}bh `)),
          sent.join("\n---\n"),
        );
        assert.equal(linkOf(`${P}bh`)?.kind, "veth", "on the host");
        assert.equal(sh(`ip -n ${P}bn link show ${P}bh`).ok, false, "not in the new namespace");
      } finally {
        stop();
      }
    });

    it("fail only the create whose line fails, undo only its steps, and leave what was there alone", async () => {
      sh(`ip link add ${P}bx type veth peer name ${P}by`); // in the way of the second pair's peer
      const { sent, stop } = spyOnSent(runnerFor(connection));
      try {
        const owner = (n: string) => `urn:pulumi:test::core::pulumi-nodejs:dynamic/netns:VethPair::${n}`;
        const pair = (n: string, peer: string) => make("VethPair", { name: n, peerName: peer, owner: owner(n) });
        const got = await Promise.allSettled([
          pair(`${P}ba`, `${P}ba2`),
          pair(`${P}bb`, `${P}bx`),
          pair(`${P}bc`, `${P}bc2`),
        ]);
        const adds = sent.find((t) => t.includes("ip -force -batch") && t.includes(`link add name ${P}bb`));
        assert.ok(
          adds && adds.includes(`link add name ${P}ba `) && adds.includes(`link add name ${P}bc `),
          sent.join("\n---\n"),
        );
        // Each create's ownership claim rides in the same round trip, ahead of the batch (writes/prelude.ts).
        for (const n of ["ba", "bb", "bc"]) {
          const claim = adds.indexOf(`owners/VethPair/%2F${P}${n}`);
          assert.ok(claim >= 0 && claim < adds.indexOf("ip -force -batch"), `${n}'s claim first:\n${adds}`);
        }
        assert.equal(got[1].status, "rejected");
        assert.match(
          String((got[1] as PromiseRejectedResult).reason),
          new RegExp(`"${P}bx" in the host namespace already exists and was not made by this resource`),
        );
        // The control: the pairs beside it in the same batches were made, marked (on the end near: the other) and up.
        for (const i of [0, 2])
          assert.equal(got[i].status, "fulfilled", String((got[i] as PromiseRejectedResult).reason));
        for (const [dev, mark] of [
          [`${P}ba`, undefined],
          [`${P}ba2`, owner(`${P}ba`)],
          [`${P}bc`, undefined],
          [`${P}bc2`, owner(`${P}bc`)],
        ]) {
          const l = linkOf(dev!);
          assert.deepEqual([l?.kind, l?.up, l?.alias?.split(" ")[0]], ["veth", true, mark], dev);
        }
        assert.equal(linkOf(`${P}bb`), undefined, "nothing of the failed pair is left");
        assert.equal(existsSync(recordPath("VethPair", `/${P}bb`)), false, "nor its ownership record");
        assert.ok(existsSync(recordPath("VethPair", `/${P}ba`)), "the pairs made have theirs");
        assert.deepEqual(
          linkOf(`${P}bx`),
          { kind: "veth", alias: undefined, up: false },
          "the link in the way is as it was",
        );

        const pairs = made.all.filter((d) => [`${P}ba`, `${P}bc`].includes(d.outs.name as string));
        sent.length = 0;
        await Promise.all(pairs.map((d) => made.destroyOne(d)));
        const grouped = new RegExp(
          `link set dev ${P}ba2 group (\\d+)\nlink set dev ${P}bc2 group \\1\nlink del group \\1\n`,
        );
        assert.ok(
          sent.some((t) => t.startsWith("ip -force -batch") && grouped.test(t)),
          sent.join("\n---\n"),
        );
        for (const dev of [`${P}ba`, `${P}ba2`, `${P}bc`, `${P}bc2`]) assert.equal(linkOf(dev), undefined, dev);
      } finally {
        stop();
        sh(`ip link del ${P}bx`);
      }
    });

    it("delete devices issued together as one group: a missing one fails alone, nothing else is touched", async () => {
      sh(`ip netns add ${P}gn`);
      try {
        sh(`ip link add ${P}g1 type veth peer name ${P}g1p netns ${P}gn`);
        sh(`ip link add ${P}g2 type veth peer name ${P}g2p`);
        sh(`ip link add ${P}gz type veth peer name ${P}gz2`); // a bystander, in no batch
        const { sent, stop } = spyOnSent(runnerFor(connection));
        const host = batchingHostIp(runnerFor(connection));
        try {
          const got = await Promise.all(
            [`${P}g1`, `${P}gx`, `${P}g2`].map((d) => host.run(["ip", "link", "del", "dev", d])),
          );
          assert.deepEqual(
            got.map((r) => r.code),
            [0, 1, 0],
          );
          assert.match(got[1].stderr, new RegExp(`Cannot find device "${P}gx"`));
          assert.ok(
            sent.some((t) => /\nlink del group \d+\n/.test(t)),
            sent.join("\n---\n"),
          );
        } finally {
          stop();
        }
        for (const dev of [`${P}g1`, `${P}g2`, `${P}g2p`]) assert.equal(linkOf(dev), undefined, dev);
        assert.equal(sh(`ip -n ${P}gn link show ${P}g1p`).ok, false, "the far end inside a namespace went with it");
        assert.deepEqual(linkOf(`${P}gz`), { kind: "veth", alias: undefined, up: false }, "the bystander is there");
      } finally {
        sh(`ip link del ${P}gz; ip link del ${P}g1; ip link del ${P}g2; ip netns del ${P}gn`);
      }
    });
  });

  describe("delete", () => {
    it("succeeds twice, and the same names can be re-created at once", async () => {
      for (let round = 0; round < 2; round++) {
        const ns = await create("Namespace", { name: `${P}again`, connection });
        const veth = await create("VethPair", {
          name: "eth0",
          namespace: `${P}again`,
          peerName: `${P}again`,
          connection,
        });
        // The MACs create reports (chosen by it, not read back) are the ends' own.
        const macOf = (dev: string, ns = "") =>
          JSON.parse(sh(`ip ${ns && `-n ${ns}`} -j link show dev ${dev}`).out)[0].address;
        assert.deepEqual([veth.outs.mac, veth.outs.peerMac], [macOf("eth0", `${P}again`), macOf(`${P}again`)]);
        await destroy(ns); // the namespace goes first on purpose: its veth must not linger
        await destroy(ns, veth);
        assert.equal(sh(`ip link show ${P}again`).ok, false, "the root end is gone at once");
      }
    });

    it("makes and deletes a pair through its end on the host, and from inside when that end was renamed by hand", async () => {
      // The pooled runner every call on this connection shares: what the creates and deletes send is recorded.
      const { sent, stop } = spyOnSent(runnerFor(connection));
      try {
        await make("Namespace", { name: `${P}near` });
        const owner = "urn:pulumi:test::core::pulumi-nodejs:dynamic/netns:VethPair::near";
        sent.length = 0;
        const pair = await make("VethPair", { name: "eth0", namespace: `${P}near`, peerName: `${P}near`, owner });
        assert.deepEqual(
          sent.filter((t) => t.includes("nsenter")),
          [],
          "the create entered no namespace",
        );
        // The add set the end inside up; the end on the host got the mark and up: both up, with carrier.
        const flags = (args: string) => /<([^>]*)>/.exec(sh(`ip -o ${args}`).out)?.[1].split(",");
        for (const args of [`-n ${P}near link show eth0`, `link show ${P}near`])
          assert.ok(
            ["UP", "LOWER_UP"].every((f) => flags(args)?.includes(f)),
            `${args}: ${flags(args)}`,
          );
        assert.match(sh(`ip link show ${P}near`).out, new RegExp(`alias ${owner} [0-9a-f]{16}`));
        sent.length = 0;
        await made.destroyOne(pair);
        assert.ok(
          sent.some((t) => t.includes(`ip link del dev ${P}near`)),
          sent.join("\n---\n"),
        );
        assert.deepEqual(
          sent.filter((t) => t.includes("nsenter")),
          [],
          "nothing entered the namespace",
        );
        assert.equal(sh(`ip -n ${P}near link show eth0`).ok, false, "the namespace's end is gone too");

        // Control: with the host's end renamed, the delete finds it gone and deletes the pair from inside.
        const again = await make("VethPair", { name: "eth0", namespace: `${P}near`, peerName: `${P}near` });
        assert.ok(sh(`ip link set dev ${P}near down && ip link set dev ${P}near name ${P}moved`).ok);
        sent.length = 0;
        await made.destroyOne(again);
        const inside = `nsenter --net=/run/netns/${P}near ip link del dev eth0`;
        assert.ok(sent.includes(inside), sent.join("\n---\n"));
        assert.equal(sh(`ip link show ${P}moved`).ok, false, "both ends gone");
      } finally {
        stop();
      }
    });

    it("refuses to delete a namespace with processes inside unless killProcesses is set", async () => {
      const ns = await make("Namespace", { name: `${P}busy` });
      sh(`ip netns exec ${P}busy sh -c 'sleep 300 >/dev/null 2>&1 &'`);
      await assert.rejects(destroy(ns), /still has processes inside \(\d+ sleep\).*killProcesses: true/);
      const { deployed } = await up(ns, { name: `${P}busy`, killProcesses: true, connection });
      await destroy(deployed);
      assert.equal(sh(`ip netns pids ${P}busy`).ok, false, "namespace gone");
    });

    it("deletes namespaces together with one look for the processes of them all, each refused or deleted alone", async () => {
      const names = ["quiet1", "busy2", "quiet3"].map((n) => `${P}${n}`);
      const states = await Promise.all(names.map((name) => make("Namespace", { name })));
      sh(`ip netns exec ${names[1]} sh -c 'sleep 300 >/dev/null 2>&1 &'`);
      const { sent, stop } = spyOnSent(runnerFor(connection));
      let results: PromiseSettledResult<void>[];
      try {
        results = await Promise.allSettled(states.map((ns) => destroy(ns)));
      } finally {
        stop();
      }
      assert.equal(sent.filter((t) => t.includes("/ns/net")).length, 1, `one look: ${sent.join("\n---\n")}`);
      assert.deepEqual(
        results.map((r) => r.status),
        ["fulfilled", "rejected", "fulfilled"],
      );
      assert.match(
        String((results[1] as PromiseRejectedResult).reason),
        /"[^"]*busy2" still has processes inside \(\d+ sleep\)/,
      );
      assert.equal(sh(`ip netns pids ${names[0]}`).ok, false, "quiet1 gone");
      assert.equal(sh(`ip netns pids ${names[2]}`).ok, false, "quiet3 gone");
      assert.match(
        sh(`ip netns pids ${names[1]} | xargs -r ps -o comm= -p`).out,
        /sleep/,
        "busy2 and its process stay",
      );
      const { deployed } = await up(states[1], { name: names[1], killProcesses: true, connection });
      await destroy(deployed);
      assert.equal(sh(`ip netns pids ${names[1]}`).ok, false, "busy2 gone with killProcesses");
    });
  });

  describe("names that are also ip keywords", () => {
    it("creates, reads, updates and deletes a pair named like ip's own keywords", async () => {
      const ns = `${P}kw`;
      await make("Namespace", { name: ns });
      const pair = await make("VethPair", { name: "a", namespace: ns, peerName: "type", peerNamespace: ns });
      await make("Address", { namespace: ns, device: "a", cidr: "10.8.0.1/24" });
      assert.ok(await refresh(pair));
      const { action, deployed } = await up(pair, {
        name: "a",
        namespace: ns,
        peerName: "type",
        peerNamespace: ns,
        mtu: 1400,
        connection,
      });
      assert.equal(action, "update");
      made.replace(pair, deployed);
      assert.match(sh(`ip -n ${ns} link show dev type`).out, /mtu 1400/);
    });
  });

  describe("IPv6 and routes", () => {
    it("puts an IPv6 address and a default route in a namespace", async () => {
      const ns = `${P}v6`;
      await make("Namespace", { name: ns });
      await make("VethPair", { name: "v6a", namespace: ns, peerName: "v6b", peerNamespace: ns });
      await make("Address", { namespace: ns, device: "v6a", cidr: "fd00:50::1/64", noDad: true });
      await make("Address", { namespace: ns, device: "v6a", cidr: "10.9.0.1/24" });
      const r6 = await make("Route", { namespace: ns, destination: "default", via: "fd00:50::ff", device: "v6a" });
      const r4 = await make("Route", { namespace: ns, destination: "default", via: "10.9.0.254" });
      assert.match(sh(`ip -n ${ns} addr show dev v6a`).out, /inet6 fd00:50::1\/64/);
      assert.match(sh(`ip -n ${ns} -6 route show default`).out, /default via fd00:50::ff dev v6a/);
      assert.match(sh(`ip -n ${ns} route show default`).out, /default via 10\.9\.0\.254 dev v6a/);
      assert.ok(await refresh(r6));
      const moved = await up(r4, { namespace: ns, destination: "default", via: "10.9.0.253", connection });
      assert.equal(moved.action, "update");
      assert.match(sh(`ip -n ${ns} route show default`).out, /default via 10\.9\.0\.253/);
      made.replace(r4, moved.deployed);
    });
  });
});
