// Host snapshots for refresh: the script's output parsed into each namespace's links and the OVS tables.
import { strict as assert } from "node:assert";
import { parseSnapshot, snapshotScript } from "../provider/snapshot";

const M = "@@pulumi-netns-snapshot@@";
const link = (ifname: string) => ({ ifname, flags: ["UP"], mtu: 1500 });
const tables = JSON.stringify([{ rows: [{ name: "br0" }] }, { rows: [] }, { rows: [] }]);

describe("host snapshot", () => {
  it("lists the host's links, each namespace's (names with spaces too) and the OVS tables", () => {
    const out =
      `\n${M} host\n${JSON.stringify([link("lo"), link("v1")])}\n` +
      `\n${M} ns red\n${JSON.stringify([link("lo"), link("eth0")])}\n` +
      `\n${M} ns odd name\n[]\n` +
      `\n${M} ovs 0\n${tables}\n`;
    const s = parseSnapshot(out);
    assert.deepEqual([...s.links.keys()], ["", "red", "odd name"]);
    assert.deepEqual(
      (s.links.get("red") as Array<{ ifname: string }>).map((l) => l.ifname),
      ["lo", "eth0"],
    );
    assert.deepEqual(s.ovs, { bridges: [{ name: "br0" }], ports: [], interfaces: [] });
  });

  it("drops a namespace deleted while listed, keeps another failure for whoever reads it, and keeps OVS's error", () => {
    const out =
      `\n${M} host\n[]\n` +
      `\n${M} ns gone\nCannot open network namespace "gone": No such file or directory\n` +
      `\n${M} ns broken\nError: something else\n` +
      `\n${M} ovs 127\nsh: 1: ovsdb-client: not found\n`;
    const s = parseSnapshot(out);
    assert.equal(s.links.has("gone"), false);
    assert.match(String(s.links.get("broken")), /reading links in namespace "broken": Error: something else/);
    assert.ok(s.ovs instanceof Error);
    assert.match(s.ovs.message, /ovsdb-client: not found/);
  });

  it("calls a snapshot cut short before the host's links unusable for OVS reads as well", () => {
    assert.ok(parseSnapshot("").ovs instanceof Error);
  });

  it("asks for every named namespace with one ip -n per namespace, quoting the name", () => {
    const script = snapshotScript();
    assert.match(script, /for f in \/run\/netns\/\*; do/);
    assert.match(script, /ip -n "\$n" -d -json addr show/);
  });
});
