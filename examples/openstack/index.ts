// Neutron's layout on one host: two tenant networks with DHCP, a router between them with SNAT to an external
// network and floating IPs, a load balancer for three web instances, and `public` standing for the upstream router.
import * as pulumi from "@pulumi/pulumi";
import { connectionFromConfig, namePrefix as p } from "../config";
import { Host, Instance, LoadBalancer, Network, OvsBridge, Probe, Process, Router } from "pulumi-netns";

const cfg = new pulumi.Config();
const connection = connectionFromConfig();
const host = new Host("host", {
  connection,
  // nftables for the Router's NAT, haproxy for the LoadBalancer, ping for the icmp Probes below.
  needs: ["openvswitch", "dnsmasq", "dhclient", "nftables", "haproxy", "ping"],
  install: cfg.getBoolean("install") ?? connection === undefined,
});
const bridge = new OvsBridge("ovs1", { name: `${p}OVS1`, datapathType: host.datapathType, host });
/** With a name prefix (tests), ids carry it too, so every namespace this program makes starts with it. */
const id = (name: string) => (p ? `${p}${name}` : undefined);

const external = new Network("external", {
  bridge: bridge.name,
  vlan: 300,
  subnet: "203.0.113.0/24",
  dhcp: false,
  networkId: id("external"),
  host,
});
// The upstream router: it holds the external network's gateway address and has no route to the tenant subnets.
const upstream = new Instance("public", {
  network: external,
  namespace: `${p}public`,
  address: "203.0.113.1/24",
  host,
});

// DHCP hands out .10 to .199: the load balancer's VIP (.200) is a fixed address, kept out of the range.
const redNet = new Network("red-net", {
  bridge: bridge.name,
  vlan: 100,
  subnet: "10.50.50.0/24",
  allocationEnd: "10.50.50.199",
  networkId: id("red-net"),
  host,
});
const greenNet = new Network("green-net", {
  bridge: bridge.name,
  vlan: 200,
  subnet: "10.60.60.0/24",
  networkId: id("green-net"),
  host,
});
const red = new Instance("red", { network: redNet, namespace: `${p}red`, host });
const green = new Instance("green", { network: greenNet, namespace: `${p}green`, host });

// Three web instances on red-net behind a load balancer, each answering every TCP connection on port 8080 with its
// own name. The servers are Node one-liners run by the Node that runs this program, so the example needs nothing
// more on this machine; on another host, name whatever serves there. Config webMembers=N keeps the first N in the pool.
// A client that resets its connection (a probe's handshake, a health check) must not end the server.
const SERVE = `require("net").createServer((c) => c.on("error", () => {}).end(process.argv[1])).listen(8080)`;
const webs = ["web1", "web2", "web3"].map((w) => new Instance(w, { network: redNet, namespace: `${p}${w}`, host }));
const servers = webs.map(
  (w, i) =>
    new Process(`web${i + 1}-server`, {
      namespace: w.namespace,
      name: "web",
      command: [process.execPath, "-e", SERVE, `web${i + 1}`],
      readyTcpPort: 8080,
      host,
    }),
);
const lb = new LoadBalancer(
  "lb1",
  {
    network: redNet,
    vip: "10.50.50.200",
    listeners: [{ protocol: "tcp", port: 80 }],
    members: webs
      .slice(0, cfg.getNumber("webMembers") ?? webs.length)
      .map((w, i) => ({ name: `web${i + 1}`, address: w.ip, port: 8080 })),
    healthCheck: { intervalMs: 500, timeoutMs: 400, rise: 1, fall: 2 },
    loadBalancerId: id("lb1"),
    host,
    // The pool starts with its members serving, so no health check sees them down first.
  },
  { dependsOn: servers },
);

// Config attachRedFloatingIp=false removes red's floating IP in place, and the probe of it: an up deletes what it
// removes last, so a probe updated to expect "blocked" would still see the address.
const redFloating = cfg.getBoolean("attachRedFloatingIp") !== false;
const router = new Router("router1", {
  // Config attachGreen=false detaches green-net in place.
  networks: cfg.getBoolean("attachGreen") === false ? [redNet] : [redNet, greenNet],
  gateway: { network: external, address: "203.0.113.10" },
  floatingIps: [
    ...(redFloating ? [{ floatingIp: "203.0.113.50", fixedIp: red.ip }] : []),
    { floatingIp: "203.0.113.60", fixedIp: lb.vip },
  ],
  routerId: id("router1"),
  host,
});

// The layout proves itself (README, "Probes"): public reaches red at its floating IP and never at its fixed address
// (public has no route to the tenants), and the VIP serves red's network and, through its floating IP, the outside.
const proved = { dependsOn: [router, lb, red, upstream] };
if (redFloating)
  new Probe("public-to-red-floating-ip", { namespace: upstream.namespace, target: "203.0.113.50", host }, proved);
new Probe(
  "public-not-red-fixed-ip",
  { namespace: upstream.namespace, target: red.ip, expect: "blocked", host },
  proved,
);
for (const [name, namespace, target] of [
  ["red-to-vip", red.namespace, "10.50.50.200"],
  ["public-to-vip-floating-ip", upstream.namespace, "203.0.113.60"],
] as const)
  new Probe(name, { namespace, target, protocol: "tcp", port: 80, host }, proved);

export const redAddress = red.address;
export const greenAddress = green.address;
export const publicNamespace = upstream.namespace;
export const routerNamespace = router.namespace;
export const redFloatingIp = "203.0.113.50";
export const lbNamespace = lb.namespace;
export const lbFloatingIp = "203.0.113.60";
