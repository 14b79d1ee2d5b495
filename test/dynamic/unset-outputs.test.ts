// Which outputs a resource gives as a value known beforehand rather than registering: the inputs the program left
// unset whose value every up knows (a default, or none).
import { strict as assert } from "node:assert";
import { registered, settle } from "../helpers/mocks";
import { Namespace } from "../../provider";
import { staysKnown } from "../../provider/dynamic/fields";
import { namespaceFields, namespaceOutputs } from "../../provider/namespace/schema";
import { routeFields, routeOutputs } from "../../provider/route/schema";
import { vethFields, vethOutputs } from "../../provider/veth/schema";

const entries = (m: Map<string, unknown>) => Object.fromEntries(m);

describe("dynamic/fields staysKnown", () => {
  const route = { destination: "10.72.0.0/16", device: "eth0" };

  it("names the optional inputs the program left unset, undefined where they have no default", () => {
    assert.deepEqual(entries(staysKnown(routeFields, routeOutputs, route)), {
      namespace: undefined,
      via: undefined,
      metric: undefined,
      ipv6: undefined,
    });
    assert.deepEqual(
      [...staysKnown(routeFields, routeOutputs, { ...route, metric: 5, namespace: "red" }).keys()],
      ["via", "ipv6"],
    );
  });

  it("gives an unset input with a default its default, and leaves out what the program set", () => {
    assert.deepEqual(entries(staysKnown(namespaceFields, namespaceOutputs, { name: "red" })), {
      loopbackUp: true,
      killProcesses: false,
    });
    assert.deepEqual(entries(staysKnown(namespaceFields, namespaceOutputs, { name: "red", loopbackUp: false })), {
      killProcesses: false,
    });
  });

  it("leaves out names that create computes, and required inputs", () => {
    const known = staysKnown(vethFields, vethOutputs, { name: "a", peerName: "b" });
    assert.ok(known.has("mtu") && known.has("peerNamespace"), [...known.keys()].join(","));
    assert.equal(known.get("up"), true, "up defaults to true");
    assert.ok(!known.has("mac") && !known.has("name"));
    assert.ok(!staysKnown(vethFields, { ...vethOutputs, mtu: vethFields.mtu }, { name: "a" }).has("mtu"));
  });

  it("leaves out inputs whose old value ignoreChanges may keep", () => {
    for (const ignore of [["metric"], ["*"], ["metric.x"], ["metric[0]"]])
      assert.ok(!staysKnown(routeFields, routeOutputs, route, ignore).has("metric"), ignore[0]);
    assert.ok(staysKnown(routeFields, routeOutputs, route, ["metrics"]).has("metric"), "another input's name");
  });

  it("gives a resource such an input as its value, on which a resource given it depends", async () => {
    const red = new Namespace("known-red", { name: "red" });
    const value = await new Promise((resolve) => red.loopbackUp.apply(resolve));
    assert.equal(value, true, "the default");
    assert.equal(await new Promise((resolve) => red.killProcesses.apply(resolve)), false);
    new Namespace("known-blue", { name: "blue", loopbackUp: red.loopbackUp });
    await settle();
    const blue = registered.find((r) => r.name === "known-blue")!;
    assert.deepEqual(blue.dependencies, ["Namespace known-red"]);
    assert.equal(blue.inputs.loopbackUp, true);
  });
});
