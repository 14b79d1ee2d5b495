// The seed topology: OVS1 with red and green on VLANs 100 and 200, each VLAN with its own DHCP server namespace.
import * as pulumi from "@pulumi/pulumi";
import { connectionFromConfig, namePrefix } from "../config";
import { Address, DhcpClient, DhcpServer, Host, Namespace, OvsBridge, OvsPort, Probe, VethPair } from "pulumi-netns";

const cfg = new pulumi.Config();

const connection = connectionFromConfig();
/**
 * The host, stated once: on this machine it installs what is missing and starts Open vSwitch unless told not to
 * (config `install`); every other resource takes it as `host`.
 */
const host = new Host("host", {
  connection,
  // ping for the icmp Probes below.
  needs: ["openvswitch", "dnsmasq", "dhclient", "ping"],
  install: cfg.getBoolean("install") ?? connection === undefined,
});
const prefix = namePrefix;

const bridge = new OvsBridge("ovs1", { name: `${prefix}OVS1`, datapathType: host.datapathType, host });

interface Segment {
  key: string;
  /** The client namespace's name. */
  namespace: string;
  /** The VLAN of the segment's DHCP server. */
  vlan: number;
  /**
   * The addresses its DHCP server hands out. The two segments' ranges do not overlap: a client could otherwise lease
   * the very address the other VLAN's client holds, and red's probe of green would reach red itself.
   */
  range: [string, string];
  /** The VLAN of the client's port: normally the segment's own. */
  clientTag: number;
}

/** One VLAN: a DHCP namespace on an internal port, and a client namespace on a veth. */
function segment(s: Segment) {
  const dhcpNs = new Namespace(`dhcp-${s.key}`, { name: `${prefix}dhcp-${s.key}`, host });
  const tap = new OvsPort(`tap-${s.key}`, {
    bridge: bridge.name,
    name: `${prefix}tap-${s.key}`,
    type: "internal",
    tag: s.vlan,
    namespace: dhcpNs.name,
    host,
  });
  const serverAddress = new Address(`tap-${s.key}`, {
    namespace: dhcpNs.name,
    device: tap.name,
    cidr: "10.50.50.2/24",
    host,
  });
  const server = new DhcpServer(
    `dhcp-${s.key}`,
    {
      namespace: dhcpNs.name,
      device: serverAddress.device,
      subnet: "10.50.50.0/24",
      rangeStart: s.range[0],
      rangeEnd: s.range[1],
      host,
    },
    { dependsOn: [serverAddress] },
  );

  const ns = new Namespace(s.key, { name: `${prefix}${s.namespace}`, host });
  const veth = new VethPair(s.key, {
    name: `eth0-${s.key}`,
    namespace: ns.name,
    peerName: `${prefix}veth-${s.key}`,
    host,
  });
  const port = new OvsPort(`veth-${s.key}`, { bridge: bridge.name, name: veth.peerName, tag: s.clientTag, host });
  const client = new DhcpClient(s.key, { namespace: ns.name, device: veth.name, host }, { dependsOn: [port, server] });
  // The segment proves itself (README, "Probes"): the client reaches its VLAN's server by ping, and by TCP too: nothing
  // listens on the server's port 22, so the reset that comes back shows TCP gets through (with checksum offload on,
  // the bridge would drop the SYN and nothing would come back).
  const after = { dependsOn: [client] };
  new Probe(`${s.key}-server`, { namespace: ns.name, target: "10.50.50.2", host }, after);
  new Probe(
    `${s.key}-server-tcp`,
    { namespace: ns.name, target: "10.50.50.2", protocol: "tcp", port: 22, expect: "refused", host },
    after,
  );
  return { namespace: ns.name, client };
}

const red = segment({
  key: "r",
  namespace: cfg.get("redNamespace") ?? "red",
  vlan: 100,
  range: ["10.50.50.10", "10.50.50.100"],
  clientTag: cfg.getNumber("redTag") ?? 100,
});
const green = segment({
  key: "g",
  namespace: cfg.get("greenNamespace") ?? "green",
  vlan: 200,
  range: ["10.50.50.110", "10.50.50.200"],
  clientTag: cfg.getNumber("greenTag") ?? 200,
});

// Red and green share a subnet but not a VLAN: red must never reach green.
new Probe(
  "red-not-green",
  {
    namespace: red.namespace,
    target: green.client.address.apply((a) => a.split("/")[0]),
    expect: "blocked",
    host,
  },
  { dependsOn: [red.client] },
);

export const redAddress = red.client.address;
export const greenAddress = green.client.address;
