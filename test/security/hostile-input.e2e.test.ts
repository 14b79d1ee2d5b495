// Hostile and bad input: every case is refused in check, naming the property, through the real provider host, with no SSH login.
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { makeProvider } from "../../provider/dynamic/provider";
import { ProviderHost } from "../../engine/provider-host";
import { REPO } from "../../lab/harness";
import { assertLoginsCounted, labConnection, logins } from "../../lab/access";

const veth = { name: "eth0", peerName: "veth-r" };
const port = { bridge: "OVS1", name: "veth-r" };
const addr = { device: "eth0", cidr: "10.0.0.1/24" };
const route = { destination: "10.1.0.0/16", via: "10.0.0.1" };
const server = {
  namespace: "dhcp-r",
  device: "tap-r",
  subnet: "10.50.50.0/24",
  rangeStart: "10.50.50.10",
  rangeEnd: "10.50.50.100",
};
const client = { namespace: "red", device: "eth0-r" };

/** [kind, inputs, the property that must be named]. */
const CASES: Array<[string, Record<string, unknown>, string]> = [
  ["Namespace", { name: "red;reboot" }, "name"],
  ["Namespace", { name: "$(reboot)" }, "name"],
  ["Namespace", { name: "`reboot`" }, "name"],
  ["Namespace", { name: "red'x" }, "name"],
  ["Namespace", { name: 'red"x' }, "name"],
  ["Namespace", { name: "red x" }, "name"],
  ["Namespace", { name: "red\nx" }, "name"],
  ["Namespace", { name: "../etc" }, "name"],
  ["Namespace", { name: "a/b" }, "name"],
  ["Namespace", { name: "." }, "name"],
  ["Namespace", { name: ".." }, "name"],
  ["Namespace", { name: "-rf" }, "name"],
  ["Namespace", { name: "rød" }, "name"],
  ["Namespace", { name: "" }, "name"],
  ["Namespace", { name: "x".repeat(65) }, "name"],
  ["Namespace", { name: "red", owner: "urn:pulumi:s::p::t::n\n$(reboot)" }, "owner"],
  ["Namespace", { name: "red", owner: "$(reboot)" }, "owner"],
  ["VethPair", { ...veth, name: "eth0;id" }, "name"],
  ["VethPair", { ...veth, peerName: "a-very-long-name" }, "peerName"],
  ["VethPair", { ...veth, name: "-eth0" }, "name"],
  ["VethPair", { ...veth, name: "eth 0" }, "name"],
  ["VethPair", { ...veth, name: "eth0/1" }, "name"],
  ["VethPair", { ...veth, namespace: "$(id)" }, "namespace"],
  ["VethPair", { ...veth, macAddress: "zz:00:00:00:00:00" }, "macAddress"],
  ["VethPair", { ...veth, mtu: 1e9 }, "mtu"],
  ["OvsBridge", { name: "br0;id" }, "name"],
  ["OvsBridge", { name: "br0", externalIds: { "a=b": "c" } }, "externalIds.a=b"],
  ["OvsBridge", { name: "br0", failMode: "open" }, "failMode"],
  ["OvsPort", { ...port, tag: 0 }, "tag"],
  ["OvsPort", { ...port, tag: 4095 }, "tag"],
  ["OvsPort", { ...port, tag: 1.5 }, "tag"],
  ["OvsPort", { ...port, trunks: [0] }, "trunks.0"],
  ["OvsPort", { ...port, bridge: "br`id`" }, "bridge"],
  ["OvsPort", { ...port, type: "vxlan", remoteIp: "10.0.0.1; id" }, "remoteIp"],
  ["OvsPort", { ...port, type: "vxlan", remoteIp: "10.0.0.1", key: "1 -- del-br OVS1" }, "key"],
  ["OvsPort", { ...port, type: "patch", peer: "p -- x" }, "peer"],
  ["Address", { ...addr, cidr: "10.0.0.1" }, "cidr"],
  ["Address", { ...addr, cidr: "10.0.0.256/24" }, "cidr"],
  ["Address", { ...addr, cidr: "10.0.0.1/33" }, "cidr"],
  ["Address", { ...addr, cidr: "10.0.0.1/24 dev lo" }, "cidr"],
  ["Address", { ...addr, device: "eth0 label x" }, "device"],
  ["Route", { ...route, destination: "10.1.0.0/16 table 5" }, "destination"],
  ["Route", { ...route, via: "10.0.0.1 dev lo" }, "via"],
  ["Route", { ...route, metric: -1 }, "metric"],
  ["DhcpServer", { ...server, rangeStart: "10.9.9.9" }, "rangeStart"],
  ["DhcpServer", { ...server, rangeStart: "10.50.50.200" }, "rangeStart"],
  ["DhcpServer", { ...server, extraOptions: [{ name: "dhcp-script", value: "/tmp/x" }] }, "extraOptions.0.name"],
  ["DhcpServer", { ...server, extraOptions: [{ name: "conf-file", value: "/etc/shadow" }] }, "extraOptions.0.name"],
  [
    "DhcpServer",
    { ...server, extraOptions: [{ name: "dhcp-option", value: "3\nconf-file=/etc/shadow" }] },
    "extraOptions.0.value",
  ],
  ["DhcpServer", { ...server, domain: "lab\nconf-file=/x" }, "domain"],
  [
    "DhcpServer",
    { ...server, staticHosts: [{ mac: "02:00:00:00:00:01", ip: "10.50.50.5", hostname: "a,b" }] },
    "staticHosts.0.hostname",
  ],
  ["DhcpServer", { ...server, device: "tap;id" }, "device"],
  ["DhcpClient", { ...client, device: "$(id)" }, "device"],
  ["DhcpClient", { ...client, namespace: "red\n" }, "namespace"],
  ["Namespace", { name: "red", connection: { host: "h", port: 70000 } }, "connection.port"],
  ["Namespace", { name: "red", connection: { host: "127.0.0.1; touch x" } }, "connection.host"],
  ["Namespace", { name: "red", connection: { host: "-oProxyCommand=id" } }, "connection.host"],
  ["Namespace", { name: "red", connection: { host: "lab host" } }, "connection.host"],
  ["Namespace", { name: "red", connection: { host: "h", command: "id" } }, "connection"],
];

describe("hostile input (through the real provider host)", function () {
  this.timeout(120_000);
  let host: ProviderHost;
  const providers = new Map<string, string>();
  let loginsBefore: number;

  before(async () => {
    // Serialized exactly as pulumi.dynamic.Resource does it.
    for (const [kind] of CASES) {
      const provider = makeProvider(kind);
      providers.set(kind, (await pulumi.runtime.serializeFunction(() => provider)).text);
    }
    host = await ProviderHost.start(REPO);
    loginsBefore = logins();
  });
  after(() => host?.stop());

  it(`covers at least 40 cases`, () => assert.ok(CASES.length >= 40, String(CASES.length)));

  for (const [kind, inputs, property] of CASES) {
    it(`refuses ${kind} ${JSON.stringify(inputs).slice(0, 90)} naming ${property}`, async () => {
      const connection = inputs.connection ?? labConnection();
      const urn = `urn:pulumi:test::p::pulumi-nodejs:dynamic/netns:${kind}::x`;
      const result = await host.check(urn, {}, { ...inputs, connection, __provider: providers.get(kind) });
      const named = result.failures.find((f) => f.property === property || f.property.startsWith(`${property}.`));
      assert.ok(named, `failures: ${JSON.stringify(result.failures)}`);
      assert.ok(named.reason.length > 10, "the reason states the rule");
    });
  }

  it("sent nothing to the host: no SSH login during all of the above", () => {
    assert.equal(logins(), loginsBefore);
    assertLoginsCounted();
  });
});
