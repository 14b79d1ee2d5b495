// netns: the argv that enters a namespace, exactly.
import { strict as assert } from "node:assert";
import { inNetns, ip } from "../../provider/shell/netns";

describe("shell/netns", () => {
  it("uses ip -n for ip inside a namespace, plain ip outside", () => {
    assert.deepEqual(ip("red", "link", "show"), ["ip", "-n", "red", "link", "show"]);
    assert.deepEqual(ip(undefined, "link", "show"), ["ip", "link", "show"]);
  });

  it("wraps other programs in ip netns exec", () => {
    assert.deepEqual(inNetns("red", ["ping", "-c1", "10.0.0.2"]), [
      "ip",
      "netns",
      "exec",
      "red",
      "ping",
      "-c1",
      "10.0.0.2",
    ]);
    assert.deepEqual(inNetns(undefined, ["ping"]), ["ping"]);
  });
});
