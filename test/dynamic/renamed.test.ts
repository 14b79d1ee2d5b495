// Inputs renamed with formerly(): the old name still accepted by the resource and by check, state written under it
// diffed as the same object, and an output of the old name (docs/ARCHITECTURE.md, "Renamed inputs").
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { settle, inputsOf } from "../helpers/mocks";
import * as host from "../../provider/dynamic/host";
import {
  currentNames,
  formerly,
  oldNames,
  outputNames,
  replaces,
  updates,
  withOldNames,
} from "../../provider/dynamic/fields";
import { definition, KINDS } from "../../provider/registry";
import { DhcpClient, DhcpServer } from "../../provider";

const server = { namespace: "dhcp-r", subnet: "10.50.50.0/24", rangeStart: "10.50.50.10", rangeEnd: "10.50.50.100" };

describe("renamed inputs", () => {
  it("keeps the change mark of the field it wraps, and names old to current", () => {
    const shape = { now: formerly("was", replaces(z.string())), other: updates(z.string()) };
    assert.deepEqual(oldNames(shape), { was: "now" });
    // Made once per shape, and never changed by a caller.
    assert.equal(oldNames(shape), oldNames(shape));
    assert.ok(Object.isFrozen(oldNames(shape)));
    assert.equal(z.globalRegistry.get(shape.now)?.change, "replace");
    assert.deepEqual(outputNames(shape, {}), ["now", "other", "was"]);
  });

  it("renames `interface` to `device` on DhcpServer and DhcpClient, and nothing on any other kind", () => {
    const renamed = KINDS.filter((k) => Object.keys(oldNames(definition(k).schema.shape)).length);
    assert.deepEqual(renamed.sort(), ["DhcpClient", "DhcpServer"]);
    for (const k of renamed) assert.deepEqual(oldNames(definition(k).schema.shape), { interface: "device" });
  });

  it("moves an old name to its current one, the current one winning, and mirrors it back on outputs", () => {
    const shape = definition("DhcpClient").schema.shape;
    assert.deepEqual(currentNames(shape, { namespace: "red", interface: "eth0" }), {
      namespace: "red",
      device: "eth0",
    });
    assert.deepEqual(currentNames(shape, { device: "eth1", interface: "eth0" }), { device: "eth1" });
    assert.deepEqual(withOldNames(shape, { device: "eth1", pid: 3 }), { device: "eth1", interface: "eth1", pid: 3 });
  });

  it("checks inputs given under the old name as the current one, and refuses both", async () => {
    const old = await host.check("DhcpServer", {}, { ...server, interface: "tap-r" });
    assert.deepEqual(old.failures, []);
    assert.equal(old.inputs.device, "tap-r");
    assert.ok(!("interface" in old.inputs), "stored under the current name only");
    const both = await host.check("DhcpServer", {}, { ...server, interface: "tap-r", device: "tap-r" });
    assert.deepEqual(both.failures, [{ property: "interface", reason: "is the old name of device: set one of them" }]);
    const bad = await host.check("DhcpClient", {}, { namespace: "red", interface: "$(id)" });
    assert.deepEqual(
      bad.failures.map((f) => f.property),
      ["device"],
      "the old name's value is checked by the field's rule",
    );
  });

  it("diffs a state written under the old name as the same object, and a changed device as a replacement", async () => {
    const state = { namespace: "red", interface: "eth0", timeout: 30, pid: 7, __provider: "x" };
    const same = await host.diff("DhcpClient", state, { namespace: "red", device: "eth0", timeout: 30 });
    assert.deepEqual(same, { changes: false, replaces: [], deleteBeforeReplace: false });
    const moved = await host.diff("DhcpClient", state, { namespace: "red", device: "eth1", timeout: 30 });
    assert.deepEqual(moved.replaces, ["device"]);
    // A state of this version carries both names (the output mirror): still the same.
    const mirrored = { ...state, device: "eth0" };
    assert.equal(
      (await host.diff("DhcpClient", mirrored, { namespace: "red", device: "eth0", timeout: 30 })).changes,
      false,
    );
  });

  it("registers a program's old name as the current input, keeps the old output name, and refuses both", async () => {
    const c = new DhcpClient("old-client", { namespace: "red", interface: "eth0" });
    new DhcpServer("old-server", { ...server, interface: "tap-r" });
    await settle();
    const inputs = inputsOf("DhcpClient", "old-client")!;
    assert.equal(inputs.device, "eth0");
    assert.equal(inputs.interface, undefined, "registered only as an output name");
    assert.equal(inputsOf("DhcpServer", "old-server")!.device, "tap-r");
    // Pulumi exposes only registered names: the old one is registered as an output (its value: the e2e tests).
    assert.ok(pulumi.Output.isInstance(c.interface), "an output of the old name");
    // The type's union lets both through (an object literal may carry more keys than one member names).
    assert.throws(
      () => new DhcpClient("both", { namespace: "red", interface: "eth0", device: "eth0" }),
      /DhcpClient "both": set device or interface \(its old name\), not both/,
    );
    // Neither is a compile error (typecheck fails if this line compiles).
    // @ts-expect-error one of the two is required
    const neither = () => new DhcpClient("neither", { namespace: "red" });
    assert.equal(typeof neither, "function");
  });
});
