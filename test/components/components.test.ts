// Components and resources under Pulumi's mocks: names as Neutron makes them, where each resource runs, and bad
// arguments refused with the property named before anything is registered.
import { strict as assert } from "node:assert";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";

import { inputsOf, settle } from "../helpers/mocks";

// After the mocks are set (by the import above): the SDK reads its settings when the resources load.
const { Host, Instance, LoadBalancer, Namespace, Network, Overlay, Router } =
  require("../../provider") as typeof import("../../provider");

/**
 * A second copy of the package, as a component library with its own copy of pulumi-netns holds one. Loaded with this
 * file, not inside a test: code that runs while a test runs is that test's (docs/TESTS.md, "Mutation testing").
 */
const other = (() => {
  const ours = Object.keys(require.cache).filter((k) => k.startsWith(join(__dirname, "..", "..", "provider")));
  const saved = ours.map((k) => [k, require.cache[k]] as const);
  ours.forEach((k) => delete require.cache[k]);
  const copy = require("../../provider") as typeof import("../../provider");
  saved.forEach(([k, m]) => (require.cache[k] = m));
  return copy;
})();

describe("components (mocks)", () => {
  it("lays a network out as Neutron does: qdhcp-<id>, tap<11 of the port id>, DHCP handing out the gateway", async () => {
    const net = new Network("red-net", { bridge: "OVS1", vlan: 100, subnet: "10.50.50.0/24" });
    await settle();
    assert.match(net.networkId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(
      new Network("red-net2", { bridge: "OVS1", vlan: 100, subnet: "10.50.50.0/24" }).networkId === net.networkId,
      false,
    );
    assert.equal(inputsOf("Namespace", "red-net-dhcp")?.name, `qdhcp-${net.networkId}`);
    const tap = inputsOf("OvsPort", "red-net-dhcp")!;
    assert.match(String(tap.name), /^tap[0-9a-f-]{11}$/);
    assert.deepEqual([tap.type, tap.tag], ["internal", 100]);
    assert.equal(inputsOf("Address", "red-net-dhcp")?.cidr, "10.50.50.2/24");
    const dhcp = inputsOf("DhcpServer", "red-net-dhcp")!;
    assert.deepEqual([dhcp.gateway, dhcp.rangeStart, dhcp.rangeEnd], ["10.50.50.1", "10.50.50.10", "10.50.50.254"]);
  });

  it("names a router's ports qr-/qg- and puts SNAT and floating IPs on the gateway port", async () => {
    const ext = new Network("ext", {
      bridge: "OVS1",
      vlan: 300,
      subnet: "203.0.113.0/24",
      dhcp: false,
      networkId: "ext",
    });
    const tenant = new Network("t", { bridge: "OVS1", vlan: 101, subnet: "10.9.0.0/24", networkId: "t" });
    const r = new Router("r1", {
      networks: [tenant],
      gateway: { network: ext, address: "203.0.113.10" },
      floatingIps: [{ floatingIp: "203.0.113.50", fixedIp: "10.9.0.20" }],
      routerId: "r1",
    });
    await settle();
    assert.match(r.gatewayPort!, /^qg-[0-9a-f-]{11}$/);
    assert.equal(inputsOf("Namespace", "r1")?.name, "qrouter-r1");
    assert.deepEqual(inputsOf("Sysctl", "r1"), { ...inputsOf("Sysctl", "r1"), key: "net.ipv4.ip_forward", value: "1" });
    assert.match(String(inputsOf("OvsPort", "r1-t")?.name), /^qr-[0-9a-f-]{11}$/);
    assert.equal(inputsOf("Address", "r1-t")?.cidr, "10.9.0.1/24");
    assert.equal(inputsOf("Route", "r1-gateway")?.via, "203.0.113.1");
    const nat = inputsOf("Nat", "r1")!;
    assert.deepEqual(nat.snat, [{ source: "10.9.0.0/24", outInterface: r.gatewayPort, to: "203.0.113.10" }]);
    assert.deepEqual(nat.floatingIps, [
      { floatingIp: "203.0.113.50", fixedIp: "10.9.0.20", outInterface: r.gatewayPort },
    ]);
    assert.equal(inputsOf("Address", "r1-fip-203.0.113.50")?.cidr, "203.0.113.50/32");
  });

  it("puts a load balancer's VIP on a qlbaas- namespace's tap port, with HAProxy bound to it", async () => {
    const net = new Network("lbnet", {
      bridge: "OVS1",
      vlan: 102,
      subnet: "10.8.0.0/24",
      allocationEnd: "10.8.0.199",
      networkId: "lbnet",
    });
    const lb = new LoadBalancer("lb", {
      network: net,
      vip: "10.8.0.200",
      listeners: [{ port: 80 }],
      members: [{ name: "w1", address: "10.8.0.11", port: 8080 }],
      loadBalancerId: "lb",
    });
    await settle();
    assert.equal(inputsOf("Namespace", "lb")?.name, "qlbaas-lb");
    assert.match(String(inputsOf("OvsPort", "lb")?.name), /^tap[0-9a-f-]{11}$/);
    assert.equal(inputsOf("Address", "lb")?.cidr, "10.8.0.200/24");
    assert.equal(inputsOf("Route", "lb")?.via, "10.8.0.1");
    assert.deepEqual([inputsOf("Haproxy", "lb")?.vip, lb.vip], ["10.8.0.200", "10.8.0.200"]);
  });

  it("puts an instance on its own host, with the network's MTU unless it sets one, on a network whose DHCP lives elsewhere", async () => {
    const net = new Network("span", { bridge: "OVS1", vlan: 103, subnet: "10.6.0.0/24", networkId: "span", mtu: 1450 });
    new Instance("far", { network: net, connection: { host: "192.0.2.7", hostKey: "SHA256:x" } });
    new Instance("own", { network: net, mtu: 1400 });
    await settle();
    const veth = inputsOf("VethPair", "far")!;
    assert.equal(veth.mtu, 1450, "the network's MTU");
    assert.equal(inputsOf("VethPair", "own")?.mtu, 1400, "the instance's own MTU wins");
    // The connection is a secret input: its value sits inside the SDK's secret wrapper.
    assert.match(JSON.stringify(veth.connection), /192\.0\.2\.7/, "the instance's host, not the network's");
    assert.equal(inputsOf("DhcpServer", "span-dhcp")?.connection, undefined, "the network's DHCP stays where it is");
  });

  it("runs a resource where its Host is, a Host made by another copy or an older version of the package included", async () => {
    assert.notEqual(other.Host, Host, "a second copy");
    const theirs = new other.Host("theirs", { connection: { host: "192.0.2.9", hostKey: "SHA256:x" } });
    const local = new Host("local", {});
    // A Host of an older version keeps nothing of its own: its `connection` output is read, as before.
    class OldHost extends pulumi.dynamic.Resource {
      constructor() {
        const provider = { create: async () => ({ id: "old" }) };
        super(provider, "old", { connection: { host: "192.0.2.8", hostKey: "SHA256:x" } });
      }
    }
    const old = new OldHost();
    new Namespace("on-theirs", { name: "a", host: theirs });
    new Namespace("on-local", { name: "b", host: local });
    new Namespace("on-old", { name: "c", host: old as unknown as typeof theirs });
    await settle();
    assert.match(JSON.stringify(inputsOf("Namespace", "on-theirs")?.connection), /192\.0\.2\.9/);
    assert.equal(inputsOf("Namespace", "on-local")?.connection, undefined, "a Host on this machine: none");
    assert.match(JSON.stringify(inputsOf("Namespace", "on-old")?.connection), /192\.0\.2\.8/);
  });

  it("gives every port on a network an overlay carries the overlay's MTU, unless the network sets its own", async () => {
    const at = (host: string) => new Host(host, { connection: { host, hostKey: "SHA256:x" } });
    const [a, b] = [at("192.0.2.1"), at("192.0.2.2")];
    const overlay = new Overlay("ov", {
      members: [
        { host: a, name: "a", bridge: "OVS1", underlayIp: "10.254.100.1" },
        { host: b, name: "b", bridge: "OVS1", underlayIp: "10.254.100.2" },
      ],
      vlans: [104, 105],
    });
    const own = new Network("ovm", {
      bridge: "OVS1",
      vlan: 105,
      subnet: "10.5.0.0/24",
      networkId: "ovm",
      overlay,
      mtu: 1400,
    });
    const net = new Network("ovn", {
      bridge: "OVS1",
      vlan: 104,
      subnet: "10.4.0.0/24",
      allocationEnd: "10.4.0.199",
      networkId: "ovn",
      overlay,
      host: a,
    });
    new Router("ovr", { networks: [net], gateway: { network: own, address: "10.5.0.5" }, routerId: "ovr" });
    new LoadBalancer("ovl", {
      network: net,
      vip: "10.4.0.200",
      listeners: [{ port: 80 }],
      members: [{ name: "w1", address: "10.4.0.11", port: 8080 }],
      loadBalancerId: "ovl",
    });
    new Instance("ovi", { network: net, host: b });
    new Instance("ovj", { network: net, host: b, mtu: 1300 });
    await settle();
    assert.equal(overlay.mtu, 1450);
    assert.deepEqual(inputsOf("OvsPort", "ov-a-104")?.remoteIps, ["10.254.100.2"], "a's tunnel reaches b");
    assert.equal(inputsOf("OvsPort", "ovn-dhcp")?.mtu, 1450, "the DHCP port");
    assert.equal(inputsOf("OvsPort", "ovr-ovn")?.mtu, 1450, "the router's port on the network");
    assert.equal(inputsOf("OvsPort", "ovr-gateway")?.mtu, 1400, "its gateway port, on the other network");
    assert.equal(inputsOf("OvsPort", "ovl")?.mtu, 1450, "a load balancer's VIP port");
    assert.equal(inputsOf("VethPair", "ovi")?.mtu, 1450, "an instance");
    assert.equal(inputsOf("VethPair", "ovj")?.mtu, 1300, "an instance's own MTU wins");
    assert.equal([own.mtu, inputsOf("OvsPort", "ovm-dhcp")?.mtu].join(), "1400,1400", "the network's own MTU wins");
    assert.throws(
      () => new Network("ovx", { bridge: "OVS1", vlan: 106, subnet: "10.6.0.0/24", overlay }),
      /Network "ovx": overlay: does not carry VLAN 106 \(it carries 104, 105\)/,
    );
  });

  it("passes adopt to every resource it makes: a network's to those attached to it, unless they say otherwise", async () => {
    const net = new Network("adopt-net", { bridge: "OVS1", vlan: 7, subnet: "10.7.0.0/24", adopt: true });
    new Instance("adopt-vm", { network: net });
    new Instance("own-vm", { network: net, adopt: false });
    new Network("plain-net", { bridge: "OVS1", vlan: 8, subnet: "10.8.0.0/24" });
    await settle();
    for (const [type, name] of [
      ["Namespace", "adopt-net-dhcp"],
      ["OvsPort", "adopt-net-dhcp"],
      ["DhcpServer", "adopt-net-dhcp"],
      ["Namespace", "adopt-vm"],
      ["VethPair", "adopt-vm"],
      ["DhcpClient", "adopt-vm"],
    ])
      assert.equal(inputsOf(type, name)?.adopt, true, `${type} ${name}`);
    assert.equal(inputsOf("Namespace", "own-vm")?.adopt, false, "an instance's own adopt wins");
    assert.equal(inputsOf("Namespace", "plain-net-dhcp")?.adopt, undefined, "none given, none passed (control)");
  });

  it("refuses bad arguments, naming the component, the property and the rule", () => {
    const net = new Network("ok", { bridge: "OVS1", vlan: 5, subnet: "10.1.0.0/24", networkId: "ok" });
    const noDhcp = new Network("nd", { bridge: "OVS1", vlan: 6, subnet: "10.2.0.0/24", dhcp: false, networkId: "nd" });
    const cases: Array<[() => unknown, RegExp]> = [
      [
        () => new Network("a", { bridge: "b", vlan: 4095, subnet: "10.0.0.0/24" }),
        /Network "a": vlan: must be a VLAN id/,
      ],
      [
        () => new Network("b", { bridge: "b", vlan: 1, subnet: "10.0.0.1/24" }),
        /Network "b": subnet: must be an IPv4 network/,
      ],
      [
        () => new Network("c", { bridge: "b", vlan: 1, subnet: "10.0.0.0/24", gatewayIp: "10.9.9.1" }),
        /gatewayIp: must lie inside subnet/,
      ],
      [
        () => new Network("d", { bridge: "b", vlan: 1, subnet: "10.0.0.0/24", networkId: "../x" }),
        /networkId: must be 1-56/,
      ],
      [
        () => new Instance("e", { network: net, address: "10.7.0.5/24" }),
        /Instance "e": address: must lie inside the network's subnet/,
      ],
      [() => new Instance("f", { network: noDhcp }), /Instance "f": address: is required on a network without DHCP/],
      [() => new Instance("g", { network: net, namespace: "a;b" }), /Instance "g": namespace: must be 1-64/],
      [() => new Instance("g2", { network: net, mtu: 60 }), /Instance "g2": mtu: must be 68 to 65535/],
      [
        () => new Router("h", { networks: [net], gateway: { network: noDhcp, address: "10.9.9.9" } }),
        /Router "h": gateway.address: must lie inside the network's subnet 10.2.0.0\/24/,
      ],
      [
        () => new Router("i", { networks: [net], floatingIps: [{ floatingIp: "10.2.0.9", fixedIp: "10.1.0.5" }] }),
        /Router "i": floatingIps: need a gateway/,
      ],
      [
        () =>
          new Router("j", {
            networks: [net],
            gateway: { network: noDhcp, address: "10.2.0.10" },
            floatingIps: [{ floatingIp: "192.0.2.1", fixedIp: "x" }],
          }),
        /Router "j": floatingIps.0.floatingIp: must lie inside the network's subnet 10.2.0.0\/24/,
      ],
      [() => new Router("k", { networks: [net, net] }), /Router "k": networks.1: is attached twice/],
      // dnsmasq would lease an address in its range to a client too: fixed addresses stay out of it.
      [
        () => new Instance("e2", { network: net, address: "10.1.0.10/24" }),
        /Instance "e2": address: must lie outside the addresses the network's DHCP hands out \(10\.1\.0\.10 to 10\.1\.0\.254: set allocationStart or allocationEnd to leave room\)/,
      ],
      [
        () => new LoadBalancer("l2", { network: net, vip: "10.1.0.254", listeners: [{ port: 80 }], members: [] }),
        /LoadBalancer "l2": vip: must lie outside the addresses the network's DHCP hands out \(10\.1\.0\.10 to/,
      ],
      [
        () => new Router("k2", { networks: [noDhcp], gateway: { network: net, address: "10.1.0.100" } }),
        /Router "k2": gateway.address: must lie outside the addresses the network's DHCP hands out/,
      ],
      [
        () =>
          new Router("k3", {
            networks: [noDhcp],
            gateway: { network: net, address: "10.1.0.3" },
            floatingIps: [{ floatingIp: "10.1.0.50", fixedIp: "10.2.0.5" }],
          }),
        /Router "k3": floatingIps.0.floatingIp: must lie outside the addresses the network's DHCP hands out/,
      ],
      [
        () => new Network("m", { bridge: "b", vlan: 1, subnet: "10.0.0.0/24", gatewayIp: "10.0.0.20" }),
        /Network "m": gatewayIp: must lie outside the addresses the network's DHCP hands out \(10\.0\.0\.10 to 10\.0\.0\.254/,
      ],
      [
        () =>
          new Network("n", {
            bridge: "b",
            vlan: 1,
            subnet: "10.0.0.0/24",
            dhcpAddress: "10.0.0.9",
            allocationStart: "10.0.0.5",
          }),
        /Network "n": dhcpAddress: must lie outside the addresses the network's DHCP hands out \(10\.0\.0\.5 to/,
      ],
      [
        () =>
          new Network("o", {
            bridge: "b",
            vlan: 1,
            subnet: "10.0.0.0/24",
            allocationStart: "10.0.0.50",
            allocationEnd: "10.0.0.40",
          }),
        /Network "o": allocationEnd: must not come before allocationStart \(10\.0\.0\.50\)/,
      ],
      [
        () => new Network("o2", { bridge: "b", vlan: 1, subnet: "10.0.0.0/29", allocationStart: "10.0.0.7" }),
        /Network "o2": allocationStart: must not come after the range's default end \(10\.0\.0\.6\)/,
      ],
      [
        () => new LoadBalancer("l", { network: net, vip: "10.9.0.200", listeners: [{ port: 80 }], members: [] }),
        /LoadBalancer "l": vip: must lie inside the network's subnet 10.1.0.0\/24/,
      ],
    ];
    for (const [make, message] of cases) assert.throws(make, message);
  });
});
