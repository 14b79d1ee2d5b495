// Wires computed outputs (a veth's kernel MAC into a static DHCP lease, a leased gateway into a route), nests
// components two levels deep, and can hold one bad resource: the program behind test/engine/wiring.e2e.test.ts.
import * as pulumi from "@pulumi/pulumi";
import { Address, ConnectionArgs, DhcpClient, DhcpServer, Namespace, Route, VethPair } from "pulumi-netns";

const cfg = new pulumi.Config();
const p = cfg.require("namePrefix");
const connection: pulumi.Input<ConnectionArgs> | undefined = cfg.get("host")
  ? {
      host: cfg.require("host"),
      port: cfg.requireNumber("port"),
      privateKey: cfg.requireSecret("privateKey"),
      hostKey: cfg.require("hostKey"),
    }
  : undefined;

/** The inner component: one namespace. */
class Rack extends pulumi.ComponentResource {
  readonly namespace: pulumi.Output<string>;
  constructor(name: string, args: { namespace: string }, opts?: pulumi.ComponentResourceOptions) {
    super("netnstest:index:Rack", name, {}, opts);
    const ns = new Namespace(
      `${name}-ns`,
      { name: args.namespace, connection },
      { parent: this, retainOnDelete: cfg.getBoolean("retainDeep") ?? false },
    );
    this.namespace = ns.name;
    this.registerOutputs({ namespace: this.namespace });
  }
}

/** The outer component: a Rack inside. */
class Site extends pulumi.ComponentResource {
  readonly namespace: pulumi.Output<string>;
  constructor(name: string, args: { namespace: string }, opts?: pulumi.ComponentResourceOptions) {
    super("netnstest:index:Site", name, {}, opts);
    this.namespace = new Rack(`${name}-rack`, args, { parent: this }).namespace;
    this.registerOutputs({ namespace: this.namespace });
  }
}

const site = new Site("site", { namespace: `${p}deep` });

// A server and a client namespace joined by one veth pair.
const srv = new Namespace(
  "srv",
  { name: `${p}srv`, connection },
  { protect: cfg.getBoolean("protectServer") ?? false },
);
// Renamed in the program (config renameClient, and back), the alias to the other name keeps it the same resource.
const renamed = cfg.getBoolean("renameClient") ?? false;
const cli = new Namespace(
  renamed ? "client" : "cli",
  { name: `${p}cli`, connection },
  { aliases: [{ name: renamed ? "cli" : "client" }] },
);
const link = new VethPair("link", {
  name: "s0",
  namespace: srv.name,
  peerName: "c0",
  peerNamespace: cli.name,
  connection,
});
const srvAddress = new Address("srv", { namespace: srv.name, device: link.name, cidr: "10.61.0.1/24", connection });
const server = new DhcpServer(
  "srv",
  {
    namespace: srv.name,
    device: srvAddress.device,
    subnet: "10.61.0.0/24",
    rangeStart: cfg.get("rangeStart") ?? "10.61.0.100",
    rangeEnd: cfg.get("rangeEnd") ?? "10.61.0.150",
    gateway: "10.61.0.1",
    // The client's MAC is the kernel's choice, known only once the pair exists.
    staticHosts: [{ mac: link.peerMac, ip: "10.61.0.50" }],
    connection,
  },
  { ignoreChanges: cfg.getBoolean("ignoreRangeEnd") ? ["rangeEnd"] : [] },
);
// `oldNames`: the client as a program written before `interface` was renamed `device` says it.
const client = new DhcpClient(
  "cli",
  {
    namespace: cli.name,
    ...(cfg.getBoolean("oldNames") ? { interface: link.peerName } : { device: link.peerName }),
    connection,
  },
  { dependsOn: [server], deleteBeforeReplace: true },
);
// The gateway is whatever the lease says.
new Route("cli", {
  namespace: cli.name,
  destination: "10.62.0.0/16",
  via: client.gateway.apply((g) => g ?? ""),
  connection,
});

// A resource that config can make bad, with one that depends on it.
const extra = new Address(
  "extra",
  { namespace: cli.name, device: link.peerName, cidr: cfg.get("extraCidr") ?? "10.63.0.1/24", connection },
  { dependsOn: [client] },
);
new Route("extra", { namespace: cli.name, destination: "10.64.0.0/16", device: extra.device, connection });

export const clientAddress = client.address;
export const deepNamespace = site.namespace;
