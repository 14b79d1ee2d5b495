// What each component registers, stated in full: every child's kind, name, parent, dependencies and inputs, for the
// shapes a component takes (DHCP or not, fixed addresses with and without a gateway, a router with a gateway and a
// floating IP, a load balancer, a three-host overlay). Under Pulumi's mocks; no host.
import { strict as assert } from "node:assert";
import { registered, registeredSince, settle } from "../helpers/mocks";

// After the mocks are set (by the import above): the SDK reads its settings when the resources load.
const { Host, Instance, LoadBalancer, Network, Overlay, Router } =
  require("../../provider") as typeof import("../../provider");

type Row = [kind: string, name: string, dependencies: string[], inputs: Record<string, unknown>];
const byKindAndName = (a: Row, b: Row) => `${a[0]} ${a[1]}`.localeCompare(`${b[0]} ${b[1]}`);
/** The rows a component should register, in any order. */
const expected = (...rows: Row[]) => rows.sort(byKindAndName);
/** Rows registered since `from`: the components themselves (no parent) apart, each child as a Row under `parent`. */
async function since(from: number) {
  await settle();
  const all = registeredSince(from);
  return {
    components: all.filter((r) => !r.parent).map((r) => `${r.kind} ${r.name}`),
    // In order of kind and name: the order registrations reach the engine in is not the component's to promise.
    children: (parent: string): Row[] =>
      all
        .filter((r) => r.parent === parent)
        .map((r): Row => [r.kind, r.name, r.dependencies, r.inputs])
        .sort(byKindAndName),
  };
}

/** A network with DHCP on VLAN 100 whose range leaves room for fixed addresses, and one without DHCP. */
function networks() {
  const net = new Network("net", {
    bridge: "OVS1",
    vlan: 100,
    subnet: "10.50.50.0/24",
    networkId: "n1",
    allocationStart: "10.50.50.100",
    allocationEnd: "10.50.50.199",
    dnsServers: ["10.50.50.3"],
  });
  const ext = new Network("ext", {
    bridge: "OVS1",
    vlan: 300,
    subnet: "203.0.113.0/24",
    dhcp: false,
    networkId: "x1",
    gatewayIp: "203.0.113.254",
    mtu: 1400,
  });
  return { net, ext };
}

describe("components register what they promise (mocks)", () => {
  it("Network: a qdhcp- namespace, an internal tap port, its address and dnsmasq; none without DHCP", async () => {
    const from = registered.length;
    const { net, ext } = networks();
    const r = await since(from);
    assert.deepEqual(r.components, ["Network net", "Network ext"]);
    const tap = "tap3812d1df-c8";
    assert.deepEqual(
      r.children("net"),
      expected(
        ["Namespace", "net-dhcp", [], { name: "qdhcp-n1" }],
        [
          "OvsPort",
          "net-dhcp",
          ["Namespace net-dhcp"],
          { bridge: "OVS1", name: tap, namespace: "qdhcp-n1", tag: 100, type: "internal" },
        ],
        [
          "Address",
          "net-dhcp",
          ["Namespace net-dhcp", "OvsPort net-dhcp"],
          { cidr: "10.50.50.2/24", device: tap, namespace: "qdhcp-n1" },
        ],
        [
          "DhcpServer",
          "net-dhcp",
          ["Address net-dhcp", "Namespace net-dhcp", "OvsPort net-dhcp"],
          {
            dnsServers: ["10.50.50.3"],
            gateway: "10.50.50.1",
            device: tap,
            namespace: "qdhcp-n1",
            rangeEnd: "10.50.50.199",
            rangeStart: "10.50.50.100",
            subnet: "10.50.50.0/24",
          },
        ],
      ),
    );
    assert.deepEqual(r.children("ext"), [], "no DHCP: nothing on the host");
    assert.deepEqual(
      [net.networkId, net.vlan, net.subnet, net.gatewayIp, net.mtu, net.dhcpNamespace !== undefined],
      ["n1", 100, "10.50.50.0/24", "10.50.50.1", undefined, true],
    );
    assert.deepEqual([ext.gatewayIp, ext.mtu, ext.dhcpNamespace], ["203.0.113.254", 1400, undefined]);
  });

  it("Instance: DHCP after the network's server, or a fixed address with the gateway it should have", async () => {
    const { net, ext } = networks();
    const from = registered.length;
    const vm = new Instance("vm", { network: net, portId: "p1" });
    new Instance("fx", { network: net, portId: "p2", address: "10.50.50.5/24", namespace: "fixed" });
    new Instance("ng", { network: ext, portId: "p3", address: "203.0.113.7/24", gateway: false });
    new Instance("gw", { network: ext, portId: "p4", address: "203.0.113.254/24" });
    new Instance("og", { network: ext, portId: "p5", address: "203.0.113.8/24", gateway: "203.0.113.9", mtu: 9000 });
    const r = await since(from);
    assert.deepEqual(
      r.components.filter((c) => c.startsWith("Instance ")),
      ["Instance vm", "Instance fx", "Instance ng", "Instance gw", "Instance og"],
    );
    assert.equal(vm.portName, "tapp1");
    const veth = (n: string, ns: string, tap: string, mtu?: number): Row => [
      "VethPair",
      n,
      [`Namespace ${n}`],
      { ...(mtu && { mtu }), name: "eth0", namespace: ns, peerName: tap },
    ];
    const port = (n: string, tap: string, tag: number): Row => [
      "OvsPort",
      n,
      [`VethPair ${n}`],
      { bridge: "OVS1", name: tap, tag },
    ];
    const address = (n: string, ns: string, cidr: string): Row => [
      "Address",
      n,
      [`Namespace ${n}`, `VethPair ${n}`],
      { cidr, device: "eth0", namespace: ns },
    ];
    const route = (n: string, ns: string, via: string): Row => [
      "Route",
      n,
      [`Address ${n}`, `Namespace ${n}`],
      { destination: "default", namespace: ns, via },
    ];
    assert.deepEqual(
      r.children("vm"),
      expected(["Namespace", "vm", [], { name: "vm" }], veth("vm", "vm", "tapp1"), port("vm", "tapp1", 100), [
        "DhcpClient",
        "vm",
        // The network's server and everything before it, and the instance's own port.
        [
          "Address net-dhcp",
          "DhcpServer net-dhcp",
          "Namespace net-dhcp",
          "Namespace vm",
          "OvsPort net-dhcp",
          "OvsPort vm",
          "VethPair vm",
        ],
        { device: "eth0", namespace: "vm" },
      ]),
    );
    assert.deepEqual(
      r.children("fx"),
      expected(
        ["Namespace", "fx", [], { name: "fixed" }],
        veth("fx", "fixed", "tapp2"),
        port("fx", "tapp2", 100),
        address("fx", "fixed", "10.50.50.5/24"),
        route("fx", "fixed", "10.50.50.1"),
      ),
    );
    assert.deepEqual(
      r.children("ng"),
      expected(
        ["Namespace", "ng", [], { name: "ng" }],
        veth("ng", "ng", "tapp3", 1400),
        port("ng", "tapp3", 300),
        address("ng", "ng", "203.0.113.7/24"),
      ),
    );
    assert.deepEqual(
      r.children("gw").map((c) => c[0]),
      ["Address", "Namespace", "OvsPort", "VethPair"],
      "its own address is the gateway: no route",
    );
    assert.deepEqual(
      r.children("og"),
      expected(
        ["Namespace", "og", [], { name: "og" }],
        veth("og", "og", "tapp5", 9000),
        port("og", "tapp5", 300),
        address("og", "og", "203.0.113.8/24"),
        route("og", "og", "203.0.113.9"),
      ),
    );
  });

  it("Router: qr- ports holding the networks' gateways, a qg- gateway with its route, SNAT and a floating IP", async () => {
    const { net, ext } = networks();
    const from = registered.length;
    const router = new Router("r", {
      networks: [net],
      gateway: { network: ext, address: "203.0.113.10" },
      floatingIps: [{ floatingIp: "203.0.113.50", fixedIp: "10.50.50.20" }],
      routerId: "r1",
    });
    new Router("plain", {
      networks: [net],
      routerId: "r2",
      gateway: { network: ext, address: "203.0.113.11", snat: false },
    });
    const r = await since(from);
    const [qr, qg, ns] = ["qr-3b6f11cc-05", "qg-c49281af-43", "qrouter-r1"];
    assert.deepEqual([router.routerId, router.gatewayPort], ["r1", qg]);
    assert.deepEqual(
      r.children("r"),
      expected(
        ["Namespace", "r", [], { name: ns }],
        ["OvsPort", "r-n1", ["Namespace r"], { bridge: "OVS1", name: qr, namespace: ns, tag: 100, type: "internal" }],
        [
          "OvsPort",
          "r-gateway",
          ["Namespace r"],
          { bridge: "OVS1", mtu: 1400, name: qg, namespace: ns, tag: 300, type: "internal" },
        ],
        ["Address", "r-n1", ["Namespace r", "OvsPort r-n1"], { cidr: "10.50.50.1/24", device: qr, namespace: ns }],
        [
          "Address",
          "r-gateway",
          ["Namespace r", "OvsPort r-gateway"],
          { cidr: "203.0.113.10/24", device: qg, namespace: ns },
        ],
        [
          "Address",
          "r-fip-203.0.113.50",
          ["Namespace r", "OvsPort r-gateway"],
          { cidr: "203.0.113.50/32", device: qg, namespace: ns },
        ],
        [
          "Route",
          "r-gateway",
          ["Address r-gateway", "Namespace r", "OvsPort r-gateway"],
          { destination: "default", device: qg, namespace: ns, via: "203.0.113.254" },
        ],
        ["Sysctl", "r", ["Namespace r"], { key: "net.ipv4.ip_forward", namespace: ns, value: "1" }],
        [
          "Nat",
          "r",
          ["Namespace r", "OvsPort r-gateway", "Sysctl r"],
          {
            floatingIps: [{ fixedIp: "10.50.50.20", floatingIp: "203.0.113.50", outInterface: qg }],
            namespace: ns,
            snat: [{ outInterface: qg, source: "10.50.50.0/24", to: "203.0.113.10" }],
          },
        ],
      ),
    );
    const nat = r.children("plain").find((c) => c[0] === "Nat");
    assert.deepEqual(nat?.[3].snat, [], "snat: false translates nothing");
  });

  it("LoadBalancer: a qlbaas- namespace with the VIP on a tap port, a default route, and HAProxy on the VIP", async () => {
    const { net } = networks();
    const from = registered.length;
    const listeners = [{ port: 80 }, { port: 443, protocol: "tcp" as const }];
    const members = [
      { name: "w1", address: "10.50.50.11", port: 8080 },
      { name: "w2", address: "10.50.50.12", port: 8080 },
    ];
    const healthCheck = { intervalMs: 500, timeoutMs: 400, rise: 1, fall: 2 };
    const lb = new LoadBalancer("lb", {
      network: net,
      vip: "10.50.50.200",
      listeners,
      members,
      loadBalancerId: "l1",
      balance: "leastconn",
      healthCheck,
    });
    const r = await since(from);
    const [tap, ns] = ["tap0cc52e60-77", "qlbaas-l1"];
    assert.deepEqual([lb.loadBalancerId, lb.vip], ["l1", "10.50.50.200"]);
    assert.deepEqual(
      r.children("lb"),
      expected(
        ["Namespace", "lb", [], { name: ns }],
        ["OvsPort", "lb", ["Namespace lb"], { bridge: "OVS1", name: tap, namespace: ns, tag: 100, type: "internal" }],
        ["Address", "lb", ["Namespace lb", "OvsPort lb"], { cidr: "10.50.50.200/24", device: tap, namespace: ns }],
        ["Route", "lb", ["Address lb", "Namespace lb"], { destination: "default", namespace: ns, via: "10.50.50.1" }],
        [
          "Haproxy",
          "lb",
          ["Address lb", "Namespace lb"],
          { balance: "leastconn", healthCheck, listeners, members, name: "lb", namespace: ns, vip: "10.50.50.200" },
        ],
      ),
    );
  });

  it("Overlay: one vxlan port per host and VLAN, each to every other host, with the MTU that fits", async () => {
    const at = (host: string) => new Host(host, { connection: { host, hostKey: "SHA256:x" } });
    const [a, b, c] = [at("192.0.2.1"), at("192.0.2.2"), at("192.0.2.3")];
    const from = registered.length;
    const overlay = new Overlay("ov", {
      members: [
        { host: a, name: "a", bridge: "OVS1", underlayIp: "10.254.100.1" },
        { host: b, name: "b", bridge: "OVS2", underlayIp: "10.254.100.2" },
        { host: c, name: "c", bridge: "OVS3", underlayIp: "10.254.100.3" },
      ],
      vlans: [104, 105],
      vniBase: 5000,
      underlayMtu: 9000,
      devicePrefix: "p-",
    });
    const r = await since(from);
    assert.deepEqual([overlay.mtu, overlay.vnis], [8950, { 104: 5104, 105: 5105 }]);
    const secret = (host: string) => ({
      "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
      value: { host, hostKey: "SHA256:x" },
    });
    const tunnel = (m: string, host: string, bridge: string, vlan: number, remoteIps: string[]): Row => [
      "OvsPort",
      `ov-${m}-${vlan}`,
      [`Host ${host}`],
      {
        bridge,
        connection: secret(host),
        key: String(vlan + 5000),
        name: `p-vx${vlan}`,
        remoteIps,
        tag: vlan,
        type: "vxlan",
      },
    ];
    const [ua, ub, uc] = ["10.254.100.1", "10.254.100.2", "10.254.100.3"];
    assert.deepEqual(
      r.children("ov"),
      expected(
        tunnel("a", "192.0.2.1", "OVS1", 104, [ub, uc]),
        tunnel("a", "192.0.2.1", "OVS1", 105, [ub, uc]),
        tunnel("b", "192.0.2.2", "OVS2", 104, [ua, uc]),
        tunnel("b", "192.0.2.2", "OVS2", 105, [ua, uc]),
        tunnel("c", "192.0.2.3", "OVS3", 104, [ua, ub]),
        tunnel("c", "192.0.2.3", "OVS3", 105, [ua, ub]),
      ),
    );
  });
});
