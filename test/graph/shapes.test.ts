// The graph's model for the shapes the examples never take: patch ports (a pair, and one whose peer is elsewhere),
// a physical uplink with trunks, an internal port left in the host, a tunnel with no peer in the stack, a veth on no
// bridge, and what runs in a namespace (routes, NAT, forwarding, HAProxy, processes, probes, DHCP).
import { strict as assert } from "node:assert";
import { topology } from "../../provider/graph/model";
import { StoredResource } from "../../provider/graph/state";

const res = (kind: string, name: string, inputs: Record<string, unknown>, outputs = {}): StoredResource => ({
  urn: `urn:pulumi:dev::p::pulumi-nodejs:dynamic/netns:${kind}::${name}`,
  type: `pulumi-nodejs:dynamic/netns:${kind}`,
  custom: true,
  inputs,
  outputs,
  dependencies: [],
  propertyDependencies: {},
});

const STACK = [
  res("OvsBridge", "br0", { name: "br0" }),
  res("OvsBridge", "br1", { name: "br1" }),
  res("OvsPort", "p1", { bridge: "br1", name: "p1", type: "patch", peer: "p0" }),
  res("OvsPort", "p0", { bridge: "br0", name: "p0", type: "patch", peer: "p1" }),
  res("OvsPort", "lone", { bridge: "br0", name: "lone", type: "patch", peer: "far" }),
  res("OvsPort", "uplink", { bridge: "br0", name: "eth1", type: "system", trunks: [10, 20] }),
  res("OvsPort", "mgmt", { bridge: "br1", name: "mgmt", type: "internal", tag: 5 }),
  res("OvsPort", "vx", { bridge: "br0", name: "vx9", type: "vxlan", key: "9", remoteIps: ["192.0.2.1", "192.0.2.2"] }),
  res("OvsPort", "gre", { bridge: "br1", name: "gre0", type: "gre", remoteIp: "192.0.2.3" }),
  res("VethPair", "link", { name: "a0", namespace: "a", peerName: "h0" }),
  res("Route", "r1", { namespace: "a", destination: "default", via: "10.0.0.1" }),
  res("Route", "r2", { namespace: "a", destination: "10.9.0.0/16", device: "a0" }),
  res("Nat", "nat", {
    namespace: "q",
    snat: [
      { source: "10.0.0.0/24", outInterface: "qg" },
      { source: "10.1.0.0/24", to: "192.0.2.9" },
    ],
    floatingIps: [{ floatingIp: "192.0.2.50", fixedIp: "10.0.0.5" }],
  }),
  res("Sysctl", "fwd", { namespace: "f", key: "net.ipv4.ip_forward", value: "1" }),
  res("Sysctl", "other", { namespace: "g", key: "net.ipv4.conf.all.rp_filter", value: "1" }),
  res("Haproxy", "lb", { namespace: "l", vip: "10.0.0.200", listeners: [{ port: 80 }], members: [] }),
  res("Process", "web", { namespace: "a", name: "web" }),
  res("Probe", "p-tcp", { namespace: "a", target: "10.0.0.2", protocol: "tcp", port: 80, expect: "refused" }),
  res("Probe", "p-icmp", { namespace: "a", target: "10.0.0.3" }),
  res("DhcpServer", "d", { namespace: "a", device: "a0", rangeStart: "10.0.0.10", rangeEnd: "10.0.0.20" }),
];

describe("graph model: shapes beyond the examples", () => {
  const t = topology(STACK);

  it("draws each port as what it is", () => {
    const edges = t.edges.map((e) => [e.kind, e.from, e.to, e.lines.join(" | ")]);
    assert.deepEqual(edges, [
      ["patch", "bridge:connection:br0", "bridge:connection:br1", "p0 ↔ p1 (patch)"],
      ["port", "bridge:connection:br0", "host:connection:host namespace", "eth1 | trunk 10,20"],
      ["patch", "bridge:connection:br0", "remote:connection:patch peer far", "lone"],
      [
        "tunnel",
        "bridge:connection:br0",
        "remote:connection:remote 192.0.2.1, 192.0.2.2",
        "vx9 (vxlan key 9) | to 192.0.2.1, 192.0.2.2",
      ],
      ["port", "bridge:connection:br1", "host:connection:host namespace", "mgmt (internal) | VLAN 5"],
      ["tunnel", "bridge:connection:br1", "remote:connection:remote 192.0.2.3", "gre0 (gre) | to 192.0.2.3"],
      ["veth", "namespace:connection:a", "host:connection:host namespace", "a0 ↔ h0"],
    ]);
  });

  it("lists what runs in each namespace, and marks routers", () => {
    const nodes = t.nodes.map((n) => [n.id, n.kind, n.lines.join(" | ")]);
    assert.deepEqual(nodes, [
      ["bridge:connection:br0", "bridge", "br0 | OVS bridge"],
      ["bridge:connection:br1", "bridge", "br1 | OVS bridge"],
      ["host:connection:host namespace", "host", "host namespace"],
      [
        "namespace:connection:a",
        "namespace",
        "a | DHCP on a0: 10.0.0.10-10.0.0.20 | route default via 10.0.0.1 | route 10.9.0.0/16 dev a0 | process web | probe icmp 10.0.0.3 reach | probe tcp 10.0.0.2:80 refused",
      ],
      ["namespace:connection:f", "router", "f | IPv4 forwarding"],
      ["namespace:connection:l", "namespace", "l | HAProxy 10.0.0.200 tcp/80 → no members"],
      [
        "namespace:connection:q",
        "router",
        "q | SNAT 10.0.0.0/24 out qg → masquerade | SNAT 10.1.0.0/24 → 192.0.2.9 | floating IP 192.0.2.50 → 10.0.0.5",
      ],
      ["remote:connection:patch peer far", "remote", "patch peer far"],
      ["remote:connection:remote 192.0.2.1, 192.0.2.2", "remote", "remote 192.0.2.1, 192.0.2.2"],
      ["remote:connection:remote 192.0.2.3", "remote", "remote 192.0.2.3"],
    ]);
  });

  it("puts resources that name no Host in one cluster, and tables every object with its stored fields", () => {
    assert.deepEqual(t.clusters, [{ id: "host:connection", label: "host (by connection)" }]);
    assert.equal(t.objects.length, STACK.length);
    assert.deepEqual(
      t.objects.find((o) => o.name === "uplink"),
      {
        kind: "OvsPort",
        name: "uplink",
        host: "(connection)",
        detail: "bridge=br0 name=eth1 type=system trunks=[10,20]",
      },
    );
    assert.deepEqual(
      t.objects.slice(0, 3).map((o) => `${o.kind} ${o.name}`),
      ["DhcpServer d", "Haproxy lb", "Nat nat"],
      "by kind, then name",
    );
  });
});
