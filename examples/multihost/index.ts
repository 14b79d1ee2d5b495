// The seed's VLANs over three hosts: DHCP servers for VLAN 100 and 200 on host A, red on host B, green and a second
// red on host C (a namespace named like B's), the hosts' bridges joined by a VXLAN overlay; one program, one up.
import * as pulumi from "@pulumi/pulumi";
import { namePrefix as p } from "../config";
import {
  Address,
  DhcpClient,
  DhcpServer,
  Host,
  Namespace,
  OvsBridge,
  OvsPort,
  Overlay,
  Probe,
  VethPair,
} from "pulumi-netns";

interface HostConfig {
  /** "A", "B" or "C". */
  name: string;
  host: string;
  port?: number;
  user?: string;
  hostKey: string;
  /** The host's address on the network the tunnels run over. */
  underlayIp: string;
}

const cfg = new pulumi.Config();
// Config `hosts`: a JSON list of the three hosts (as lab/lab.sh's .lab/connection.json lists them); `privateKey` (secret).
const configured = cfg.requireObject<HostConfig[]>("hosts");
if (configured.length !== 3) throw new Error(`config hosts: must list three hosts (A, B, C), not ${configured.length}`);
const privateKey = cfg.requireSecret("privateKey");
const [A, B, C] = configured.map(
  (h) =>
    new Host(h.name, {
      connection: {
        host: h.host,
        port: h.port ?? 22,
        user: h.user ?? "root",
        privateKey,
        hostKey: h.hostKey,
        // An unreachable host fails its resources after a few quick tries instead of ten of 15 s.
        dialErrorLimit: cfg.getNumber("dialErrorLimit") ?? 10,
        perDialTimeout: cfg.getNumber("perDialTimeout") ?? 15,
      },
      // ping for the icmp Probes below.
      needs: ["openvswitch", "dnsmasq", "dhclient", "ping"],
      install: cfg.getBoolean("install") ?? false,
    }),
);
const hosts = [A, B, C];
const bridges = hosts.map(
  (host, i) => new OvsBridge(`ovs1-${configured[i].name}`, { name: `${p}OVS1`, datapathType: host.datapathType, host }),
);
const overlay = new Overlay("overlay", {
  members: hosts.map((host, i) => ({
    host,
    name: configured[i].name.toLowerCase(),
    bridge: bridges[i].name,
    underlayIp: configured[i].underlayIp,
  })),
  vlans: [100, 200],
  devicePrefix: p,
});

/**
 * A DHCP server for `vlan` on host A: an internal port in its own namespace, as in the seed. The two VLANs share a
 * subnet but lease from disjoint ranges, so an address names one client across both: a ping from green to red's
 * address can then only be answered by red, never by green itself holding the same number.
 */
function dhcpServer(color: string, vlan: number, range: [string, string]) {
  const ns = new Namespace(`dhcp-${color}`, { name: `${p}dhcp-${color[0]}`, host: A });
  const port = new OvsPort(`tap-${color[0]}`, {
    bridge: bridges[0].name,
    name: `${p}tap-${color[0]}`,
    type: "internal",
    tag: vlan,
    namespace: ns.name,
    mtu: overlay.mtu,
    host: A,
  });
  const address = new Address(`tap-${color[0]}`, {
    namespace: ns.name,
    device: port.name,
    cidr: "10.50.50.2/24",
    host: A,
  });
  return new DhcpServer(
    `dhcp-${color[0]}`,
    {
      namespace: ns.name,
      device: port.name,
      subnet: "10.50.50.0/24",
      rangeStart: range[0],
      rangeEnd: range[1],
      host: A,
    },
    { dependsOn: [address] },
  );
}

/** A client namespace on `host`, on `vlan`, leasing its address across the overlay. */
function client(resource: string, namespace: string, hostIndex: number, vlan: number, server: DhcpServer) {
  const host = hosts[hostIndex];
  const ns = new Namespace(resource, { name: `${p}${namespace}`, host });
  const veth = new VethPair(resource, {
    name: "eth0",
    namespace: ns.name,
    peerName: `${p}v-${resource}`,
    mtu: overlay.mtu,
    host,
  });
  new OvsPort(`veth-${resource}`, { bridge: bridges[hostIndex].name, name: veth.peerName, tag: vlan, host });
  // The lease needs the tunnels of this host and of A (the server's), not those of the third host.
  const tunnels = [...overlay.ports.a, ...overlay.ports[configured[hostIndex].name.toLowerCase()]];
  return new DhcpClient(resource, { namespace: ns.name, device: veth.name, host }, { dependsOn: [server, ...tunnels] });
}

const red = dhcpServer("red", 100, ["10.50.50.10", "10.50.50.100"]);
const green = dhcpServer("green", 200, ["10.50.50.110", "10.50.50.200"]);
const redB = client("red-b", "red", 1, 100, red);
const redC = client("red-c", "red", 2, 100, red);
const greenC = client("green-c", "green", 2, 200, green);

// The overlay proves itself (README, "Probes"): red on B reaches A's VLAN-100 server and red on C across the tunnels,
// and green on C never reaches red on B.
const ipOf = (client: DhcpClient) => client.address.apply((a) => a.split("/")[0]);
const across = { dependsOn: [redB, redC, greenC] };
new Probe("red-b-to-server", { namespace: redB.namespace, target: "10.50.50.2", host: B }, across);
new Probe("red-b-to-red-c", { namespace: redB.namespace, target: ipOf(redC), host: B }, across);
new Probe("green-c-not-red-b", { namespace: greenC.namespace, target: ipOf(redB), expect: "blocked", host: C }, across);

export const overlayMtu = overlay.mtu;
export const redOnB = redB.address;
export const redOnC = redC.address;
export const greenOnC = greenC.address;
