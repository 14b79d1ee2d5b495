// IPv4 address order and ranges, as the components' and DhcpServer's range rules use them.
import { strict as assert } from "node:assert";
import { inRange, inSubnet, ipv4After } from "../provider/addresses";

describe("IPv4 address order", () => {
  it("orders addresses numerically, not as text, and an address never comes after itself", () => {
    assert.equal(ipv4After("10.0.0.10", "10.0.0.9"), true);
    assert.equal(ipv4After("10.0.0.9", "10.0.0.10"), false);
    assert.equal(ipv4After("10.0.1.0", "10.0.0.255"), true);
    assert.equal(ipv4After("10.0.0.5", "10.0.0.5"), false);
    assert.equal(ipv4After("255.255.255.255", "0.0.0.0"), true);
  });

  it("says false when either side is no IPv4 address", () => {
    assert.equal(ipv4After("fd00::2", "10.0.0.1"), false);
    assert.equal(ipv4After("10.0.0.1", "not-an-address"), false);
  });

  it("takes both ends of a range as inside it", () => {
    assert.equal(inRange("10.0.0.10", "10.0.0.10", "10.0.0.20"), true);
    assert.equal(inRange("10.0.0.20", "10.0.0.10", "10.0.0.20"), true);
    assert.equal(inRange("10.0.0.21", "10.0.0.10", "10.0.0.20"), false);
    assert.equal(inRange("10.0.0.9", "10.0.0.10", "10.0.0.20"), false);
  });

  it("finds an address inside a subnet by its network bits", () => {
    assert.equal(inSubnet("10.0.0.255", "10.0.0.0/24"), true);
    assert.equal(inSubnet("10.0.1.0", "10.0.0.0/24"), false);
    assert.equal(inSubnet("10.0.1.0", "10.0.0.0/23"), true);
  });
});
