// netns: the argv that enters a namespace, exactly.
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { inNetOnly, inNetns, ip } from "../../provider/shell/netns";

describe("shell/netns", () => {
  it("enters a namespace's network alone (nsenter) for ip and tools like ethtool, and runs them plainly outside", () => {
    assert.deepEqual(inNetOnly("red", ["ethtool", "-k", "eth0"]), [
      "nsenter",
      "--net=/run/netns/red",
      "ethtool",
      "-k",
      "eth0",
    ]);
    assert.deepEqual(inNetOnly(undefined, ["ethtool"]), ["ethtool"]);
    assert.deepEqual(ip("red", "link", "show"), ["nsenter", "--net=/run/netns/red", "ip", "link", "show"]);
    assert.deepEqual(ip(undefined, "link", "show"), ["ip", "link", "show"]);
  });

  it("has nsenter on this machine, which ip's namespace commands rely on", () => {
    assert.match(execFileSync("nsenter", ["--version"]).toString(), /nsenter from util-linux/);
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
