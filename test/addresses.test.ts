// IPv4 and CIDR arithmetic, each function at its edges: prefixes 0 and 32, the last address, masks with holes,
// IPv6 where only IPv4 is meant, text around an address.
import { strict as assert } from "node:assert";
import * as a from "../provider/addresses";

describe("addresses", () => {
  it("parses a CIDR of either family, and nothing else", () => {
    assert.deepEqual(a.parseCidr("10.0.0.1/24"), { address: "10.0.0.1", prefix: 24, family: 4 });
    assert.deepEqual(a.parseCidr("fd00::1/128"), { address: "fd00::1", prefix: 128, family: 6 });
    assert.deepEqual(a.parseCidr("10.0.0.0/32")?.prefix, 32);
    assert.deepEqual(a.parseCidr("0.0.0.0/0")?.prefix, 0);
    for (const bad of ["10.0.0.1/33", "fd00::1/129", "10.0.0.1", "x/24", " 10.0.0.1/24", "10.0.0.1/24 ", "10.0.0.1/2a"])
      assert.equal(a.parseCidr(bad), undefined, bad);
  });

  it("turns IPv4 addresses into numbers and netmasks into prefixes, both ways", () => {
    assert.equal(a.ipv4ToInt("10.50.50.2"), 0x0a323202);
    assert.equal(a.ipv4ToInt("255.255.255.255"), 0xffffffff);
    assert.equal(a.ipv4ToInt("fd00::1"), undefined);
    assert.equal(a.ipv4ToInt("10.50.50"), undefined);
    assert.deepEqual([0, 1, 8, 24, 31, 32].map(a.prefixToNetmask), [
      "0.0.0.0",
      "128.0.0.0",
      "255.0.0.0",
      "255.255.255.0",
      "255.255.255.254",
      "255.255.255.255",
    ]);
    assert.deepEqual(
      ["0.0.0.0", "128.0.0.0", "255.255.255.0", "255.255.255.255"].map(a.netmaskToPrefix),
      [0, 1, 24, 32],
    );
    for (const bad of ["255.0.255.0", "0.255.255.255", "255.255.255.1", "x", "fd00::"])
      assert.equal(a.netmaskToPrefix(bad), undefined, bad);
  });

  it("tells which network an address lies in, at every edge", () => {
    assert.equal(a.inSubnet("10.50.50.255", "10.50.50.0/24"), true);
    assert.equal(a.inSubnet("10.50.50.0", "10.50.50.0/24"), true);
    assert.equal(a.inSubnet("10.50.51.0", "10.50.50.0/24"), false);
    assert.equal(a.inSubnet("10.50.49.255", "10.50.50.0/24"), false);
    assert.equal(a.inSubnet("10.50.51.0", "10.50.50.0/23"), true);
    assert.equal(a.inSubnet("192.0.2.9", "0.0.0.0/0"), true);
    assert.equal(a.inSubnet("fd00::1", "fd00::/64"), false, "IPv4 only");
    assert.equal(a.inSubnet("x", "10.0.0.0/8"), false);
    assert.equal(a.inSubnet("10.0.0.1", "10.0.0.0"), false, "no prefix: no network");
  });

  it("orders addresses and ranges, and says no for anything that is not an IPv4 address", () => {
    assert.equal(a.ipv4After("10.0.0.10", "10.0.0.9"), true, "numerically, not as text");
    assert.equal(a.ipv4After("10.0.1.0", "10.0.0.255"), true);
    assert.equal(a.ipv4After("10.0.0.2", "10.0.0.1"), true);
    assert.equal(a.ipv4After("10.0.0.1", "10.0.0.1"), false);
    assert.equal(a.ipv4After("10.0.0.1", "10.0.0.2"), false);
    assert.equal(a.ipv4After("x", "10.0.0.2"), false);
    assert.equal(a.ipv4After("10.0.0.3", "x"), false);
    assert.equal(a.inRange("10.0.0.5", "10.0.0.5", "10.0.0.9"), true);
    assert.equal(a.inRange("10.0.0.9", "10.0.0.5", "10.0.0.9"), true);
    assert.equal(a.inRange("10.0.0.4", "10.0.0.5", "10.0.0.9"), false);
    assert.equal(a.inRange("10.0.0.10", "10.0.0.5", "10.0.0.9"), false);
    for (const [x, s, e] of [
      ["x", "10.0.0.5", "10.0.0.9"],
      ["10.0.0.6", "x", "10.0.0.9"],
      ["10.0.0.6", "10.0.0.5", "x"],
    ])
      assert.equal(a.inRange(x, s, e), false, `${x} ${s} ${e}`);
  });

  it("knows a network from an address with host bits, and finds networks and addresses in them", () => {
    assert.equal(a.isIpv4Network("10.50.50.0/24"), true);
    assert.equal(a.isIpv4Network("10.50.50.1/24"), false);
    assert.equal(a.isIpv4Network("0.0.0.0/0"), true);
    assert.equal(a.isIpv4Network("10.0.0.1/32"), true);
    assert.equal(a.isIpv4Network("fd00::/64"), false);
    assert.equal(a.isIpv4Network("10.0.0.0"), false);
    assert.equal(a.networkOf("10.50.50.23", 24), "10.50.50.0/24");
    assert.equal(a.networkOf("10.50.50.23", 32), "10.50.50.23/32");
    assert.equal(a.networkOf("10.50.50.23", 0), "0.0.0.0/0");
    assert.equal(a.addressAt("10.50.50.0/24", 1), "10.50.50.1");
    assert.equal(a.addressAt("10.50.50.0/24", 0), "10.50.50.0");
    assert.equal(a.addressAt("10.50.50.0/24", -2), "10.50.50.254");
    assert.equal(a.addressAt("10.50.50.0/24", -1), "10.50.50.255");
  });

  it("finds the interface's network that holds an address: IPv4 only, the first that holds it", () => {
    const addrs = [
      { family: "inet6", local: "fd00::1", prefixlen: 64 },
      { family: "inet", local: "10.1.0.5", prefixlen: 16 },
      { family: "inet", local: "10.50.50.2", prefixlen: 24 },
    ];
    assert.equal(a.subnetHolding(addrs, "10.50.50.9"), "10.50.50.0/24");
    assert.equal(a.subnetHolding(addrs, "10.1.200.1"), "10.1.0.0/16");
    assert.equal(a.subnetHolding(addrs, "192.0.2.1"), undefined);
    assert.equal(a.subnetHolding(addrs, undefined), undefined);
    assert.equal(a.subnetHolding(undefined, "10.50.50.9"), undefined);
    assert.equal(a.subnetHolding([{ family: "inet6", local: "10.50.50.2", prefixlen: 24 }], "10.50.50.9"), undefined);
  });
});
