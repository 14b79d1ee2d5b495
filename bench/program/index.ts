// The benchmark topology: N hosts, each a namespace with a veth end inside, a VLAN-tagged OVS port and an address,
// on one machine or spread over several.
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

// Config `targets` (a JSON list of {host, port, hostKey}) spreads the namespaces over several hosts, round robin,
// each with its own bridge; without it everything goes to `connection` (or this machine).
const targets = cfg.getObject<{ host: string; port: number; hostKey: string }[]>("targets");
const connections: (pulumi.Input<ConnectionArgs> | undefined)[] = targets
  ? targets.map((t) => ({
      host: t.host,
      port: t.port,
      privateKey: cfg.requireSecret("privateKey"),
      hostKey: t.hostKey,
    }))
  : [connection];
const bridges = connections.map(
  (c, k) => new OvsBridge(targets ? `br${k}` : "br", { name: `${p}br`, datapathType: "netdev", connection: c }),
);
for (let i = 0; i < hosts; i++) {
  const [bridge, connection] = [bridges[i % bridges.length], connections[i % connections.length]];
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
