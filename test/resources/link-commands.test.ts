// OvsPort's and VethPair's pure parts beyond the add and the plain read: tunnel devices read back from a real listing
// (test/resources/fixtures/vxlan-show.txt, a vxlan device with two remotes and one learned address), deletes, marks
// rewritten on update, and the owner mark and generation read from OVS's rows.
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as port from "../../provider/ovs-port/commands";
import * as veth from "../../provider/veth/commands";
import { ownerMark } from "../../provider/ownership/marks";
import { interfaceRow, ovsTables, portRow } from "../helpers/ovs-tables";

const SHOWN = readFileSync(join(__dirname, "fixtures", "vxlan-show.txt"), "utf8");

describe("OvsPort commands: tunnels, deletes, marks", () => {
  it("reads a vxlan device's VNI and its remotes (the all-zeros entries), not its learned addresses", () => {
    assert.deepEqual(port.parseTunnel(SHOWN, "vxlan"), {
      key: "5005",
      remotes: ["10.0.0.2", "10.0.0.3"],
      geneveRemote: undefined,
    });
    assert.equal(port.parseTunnel(SHOWN, "geneve"), undefined, "a device of another kind is none");
    assert.equal(port.parseTunnel("null\n\n[]\n", "vxlan"), undefined, "no device");
    assert.equal(port.parseTunnel("", "vxlan"), undefined, "nothing printed");
    assert.equal(port.parseTunnel('[{"ifname":"eth0"}]\n[]\n', "vxlan"), undefined, "a device with no link info");
  });

  it("lists a missing device as no device through sh, without failing", () => {
    const out = execFileSync("/bin/sh", ["-c", port.tunnelShowScript("pn-no-dev")]).toString();
    assert.equal(port.parseTunnel(out, "vxlan"), undefined);
    assert.deepEqual(out.split("\n").filter(Boolean), ["null", "[]"]);
  });

  it("takes the remotes from remoteIps, else remoteIp, else none", () => {
    assert.deepEqual(port.remotesOf({ remoteIps: ["192.0.2.1", "192.0.2.2"], remoteIp: "192.0.2.9" }), [
      "192.0.2.1",
      "192.0.2.2",
    ]);
    assert.deepEqual(port.remotesOf({ remoteIp: "192.0.2.9" }), ["192.0.2.9"]);
    assert.deepEqual(port.remotesOf({}), []);
  });

  it("deletes: the port (waiting for the switch to let go of a device it made), and a tunnel's device", () => {
    assert.deepEqual(port.delAndWait({ bridge: "OVS1", name: "tap" }), [
      "ovs-vsctl",
      "--if-exists",
      "del-port",
      "OVS1",
      "tap",
    ]);
    assert.deepEqual(port.tunnelDel("vx5"), ["ip", "link", "del", "vx5"]);
  });

  it("writes the marks again for a new owner or generation, and clears trunks emptied", () => {
    const p = { bridge: "OVS1", name: "veth-r", type: "system" as const, checksumOffload: "auto" as const };
    assert.deepEqual(port.update(p, { ...p, owner: "urn:y", generation: "g3" }), [
      "ovs-vsctl",
      "--",
      "set",
      "port",
      "veth-r",
      "external_ids:pulumi-netns=managed",
      `external_ids:pulumi-netns-owner=${JSON.stringify(ownerMark("urn:y"))}`,
      "external_ids:pulumi-netns-generation=g3",
    ]);
    assert.deepEqual(port.update({ ...p, trunks: [10] }, { ...p, trunks: [] }), [
      "ovs-vsctl",
      "--",
      "clear",
      "port",
      "veth-r",
      "trunks",
    ]);
    assert.deepEqual(port.update({ ...p, trunks: [10] }, { ...p, trunks: [10, 20] }), [
      "ovs-vsctl",
      "--",
      "set",
      "port",
      "veth-r",
      "trunks=10,20",
    ]);
  });

  it("reads a port's owner mark whoever made it, and the generation it carries", () => {
    const ids: [string, string][] = [
      ["pulumi-netns", "managed"],
      ["pulumi-netns-owner", "urn:other"],
      ["pulumi-netns-generation", "g7"],
    ];
    const tables = ovsTables(
      [{ uuid: "b1", name: "OVS1", ports: ["p1"] }],
      [portRow("p1", "veth-r", { tag: 100, ids })],
      [interfaceRow("veth-r")],
    );
    assert.equal(port.portMark(tables, "veth-r"), "urn:other");
    assert.equal(port.portMark(tables, "missing"), undefined);
    assert.equal(port.portFields(tables, tables.ports[0]).generation, "g7");
    assert.equal(port.parsePort(tables, "veth-r")?.generation, "g7");
  });
});

describe("VethPair commands: finishing an end, and telling where a link is", () => {
  it("finishes an end in one `ip link set`: the mark as its alias where there is one, and up where asked", () => {
    assert.deepEqual(veth.finish("red", "eth0", "urn:x", true), [
      "nsenter",
      "--net=/run/netns/red",
      "ip",
      "link",
      "set",
      "dev",
      "eth0",
      "alias",
      "urn:x",
      "up",
    ]);
    assert.deepEqual(veth.finish(undefined, "veth-r", undefined, false), ["ip", "link", "set", "dev", "veth-r"]);
    assert.deepEqual(veth.setAlias(undefined, "veth-r", "urn:y"), [
      "ip",
      "link",
      "set",
      "dev",
      "veth-r",
      "alias",
      "urn:y",
    ]);
  });

  it("finds where a link is through sh: nowhere, for a name no namespace holds", () => {
    const out = execFileSync("/bin/sh", ["-c", veth.whereIsScript("pn-no-link")]).toString();
    assert.equal(out, "");
    assert.equal(veth.parseWhereIs(out), undefined);
    const lo = execFileSync("/bin/sh", ["-c", veth.whereIsScript("lo")]).toString();
    assert.equal(veth.parseWhereIs(lo), "", "control: the host's own loopback is found, in the host's namespace");
  });

  it("reads the first place whereIsScript printed", () => {
    assert.equal(veth.parseWhereIs("/\nred\n"), "");
    assert.equal(veth.parseWhereIs("\nred\ngreen\n"), "red");
    assert.equal(veth.parseWhereIs("   \n"), undefined);
  });

  it("takes only a URN or a hashed URN at the start of an alias for a mark", () => {
    assert.equal(veth.isMark("urn:pulumi:dev::p::t::n"), true);
    assert.equal(veth.isMark("sha256:abc"), true);
    assert.equal(veth.isMark("uplink to urn:pulumi:dev"), false, "a person's alias that mentions one");
    assert.equal(veth.isMark(""), false);
    assert.equal(veth.isMark(undefined), false);
  });
});
