// Which outputs a resource sets to a known undefined rather than registering: the inputs every up leaves unset.
import { strict as assert } from "node:assert";
import { staysUnset } from "../../provider/dynamic/fields";
import { routeFields, routeOutputs } from "../../provider/route/schema";
import { vethFields, vethOutputs } from "../../provider/veth/schema";

describe("dynamic/fields staysUnset", () => {
  const route = { destination: "10.72.0.0/16", device: "eth0" };

  it("names the optional inputs without a default that the program left unset", () => {
    assert.deepEqual(staysUnset(routeFields, routeOutputs, route), ["namespace", "via", "metric", "ipv6"]);
    assert.deepEqual(staysUnset(routeFields, routeOutputs, { ...route, metric: 5, namespace: "red" }), ["via", "ipv6"]);
  });

  it("leaves out inputs with a default and names that create computes", () => {
    const unset = staysUnset(vethFields, vethOutputs, { name: "a", peerName: "b" });
    assert.ok(unset.includes("mtu") && unset.includes("peerNamespace"), unset.join(","));
    assert.ok(!unset.includes("up"), "up has a default");
    assert.ok(!staysUnset(vethFields, { ...vethOutputs, mtu: vethFields.mtu }, { name: "a" }).includes("mtu"));
  });

  it("leaves out inputs whose old value ignoreChanges may keep", () => {
    for (const ignore of [["metric"], ["*"], ["metric.x"], ["metric[0]"]])
      assert.ok(!staysUnset(routeFields, routeOutputs, route, ignore).includes("metric"), ignore[0]);
    assert.ok(staysUnset(routeFields, routeOutputs, route, ["metrics"]).includes("metric"), "another input's name");
  });
});
