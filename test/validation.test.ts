// The shared input rules: each accepts its edges and refuses what lies past them, with the message that states it.
import { strict as assert } from "node:assert";
import { z } from "zod";
import * as v from "../provider/validation";

/** The value as the rule leaves it, or the rule's message. */
const check = (rule: z.ZodType, value: unknown) => {
  const r = rule.safeParse(value);
  return r.success ? r.data : r.error.issues.map((i) => i.message).join("; ");
};

describe("validation rules", () => {
  it("interface names: 1-15 characters, letters, digits, '_', '-' and '.', not led by '-' or '.'", () => {
    const rule = v.ifName();
    for (const ok of ["a", "eth0", "_x", "veth-r.100", "a".repeat(15), "0"]) assert.equal(check(rule, ok), ok, ok);
    for (const bad of ["", "a".repeat(16), ".x", "-x", "..", "a b", "a/b", "x;", "é"])
      assert.match(String(check(rule, bad)), /^must be 1-15 characters \(the kernel's interface-name limit\)/, bad);
  });

  it("namespace names: 1-64 characters, the same alphabet, not led by '-' or '.'", () => {
    const rule = v.nsName();
    for (const ok of ["red", `qdhcp-${"f".repeat(36)}`, "a".repeat(64), "_x.y-z"]) assert.equal(check(rule, ok), ok);
    for (const bad of ["", "a".repeat(65), ".", "..", "-x", "a b", "a/b"])
      assert.match(String(check(rule, bad)), /^must be 1-64 characters/, bad);
  });

  it("addresses: either family, with a prefix where one is asked, IPv4 where only that will do", () => {
    assert.equal(check(v.ipAddress(), "fd00::1"), "fd00::1");
    assert.equal(check(v.ipAddress(), "10.0.0.1"), "10.0.0.1");
    assert.match(String(check(v.ipAddress(), "10.0.0.256")), /^must be an IPv4 or IPv6 address/);
    assert.equal(check(v.cidr(), "10.0.0.1/24"), "10.0.0.1/24");
    assert.equal(check(v.cidr(), "fd00::1/64"), "fd00::1/64");
    assert.match(String(check(v.cidr(), "10.0.0.1")), /^must be an address with a prefix length/);
    assert.equal(check(v.ipv4(), "192.0.2.1"), "192.0.2.1");
    assert.match(String(check(v.ipv4(), "fd00::1")), /^must be an IPv4 address/);
  });

  it("unicast IPv4: 1.0.0.0 to 223.255.255.255", () => {
    const rule = v.unicastIpv4();
    for (const ok of ["1.0.0.0", "10.0.0.1", "223.255.255.255"]) assert.equal(check(rule, ok), ok);
    for (const bad of ["0.0.0.0", "0.1.2.3", "224.0.0.1", "239.1.1.1", "255.255.255.255"])
      assert.match(String(check(rule, bad)), /^must be a unicast address/, bad);
    assert.match(String(check(rule, "x")), /^must be an IPv4 address/);
  });

  it("MAC addresses: six pairs of hex digits, unicast, kept in lower case", () => {
    assert.equal(check(v.mac(), "02:AB:cd:00:00:01"), "02:ab:cd:00:00:01");
    assert.match(String(check(v.mac(), "03:00:00:00:00:01")), /^must be a unicast MAC address/);
    for (const bad of [
      "02:00:00:00:00",
      "02:00:00:00:00:01:02",
      "02-00-00-00-00-01",
      "0g:00:00:00:00:01",
      " 02:00:00:00:00:01",
    ])
      assert.match(String(check(v.mac(), bad)), /^must be a MAC address like 02:00:00:00:00:01/, bad);
  });

  it("VLAN ids: whole numbers from 1 to 4094", () => {
    for (const ok of [1, 100, 4094]) assert.equal(check(v.vlanTag(), ok), ok);
    for (const bad of [0, 4095, -1])
      assert.equal(check(v.vlanTag(), bad), "must be a VLAN id from 1 to 4094", String(bad));
    assert.notEqual(check(v.vlanTag(), 1.5), 1.5, "not a fraction");
  });
});
