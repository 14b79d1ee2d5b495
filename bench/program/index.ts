// The benchmark topology: N hosts, each a namespace with a veth end inside, a VLAN-tagged OVS port and an address.
import * as pulumi from "@pulumi/pulumi";
import { Address, ConnectionArgs, Namespace, OvsBridge, OvsPort, VethPair } from "pulumi-netns";

const cfg = new pulumi.Config();
const hosts = cfg.requireNumber("hosts");
const p = cfg.require("namePrefix");
/** The ports' checksum offload handling (default auto), so its cost can be measured on its own. */
const checksumOffload = (cfg.get("checksumOffload") ?? "auto") as "auto" | "keep" | "off";
const connection: pulumi.Input<ConnectionArgs> | undefined = cfg.get("host")
  ? {
      host: cfg.require("host"),
      port: cfg.requireNumber("port"),
      privateKey: cfg.requireSecret("privateKey"),
      hostKey: cfg.require("hostKey"),
    }
  : undefined;

const bridge = new OvsBridge("br", { name: `${p}br`, datapathType: "netdev", connection });
for (let i = 0; i < hosts; i++) {
  const ns = new Namespace(`h${i}`, { name: `${p}h${i}`, connection });
  const veth = new VethPair(`h${i}`, { name: "eth0", namespace: ns.name, peerName: `${p}v${i}`, connection });
  new OvsPort(`h${i}`, { bridge: bridge.name, name: veth.peerName, tag: (i % 4094) + 1, checksumOffload, connection });
  new Address(`h${i}`, {
    namespace: ns.name,
    device: veth.name,
    cidr: `10.${100 + (i >> 8)}.${i & 255}.1/24`,
    connection,
  });
}
