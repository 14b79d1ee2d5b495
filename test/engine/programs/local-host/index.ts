// A Host that is this machine (no connection) and five resources on it, one of them reading an output that another
// left unset: the program behind test/engine/local-host.e2e.test.ts.
import * as pulumi from "@pulumi/pulumi";
import { Address, Host, Namespace, Route, VethPair } from "pulumi-netns";

const cfg = new pulumi.Config();
const p = cfg.require("namePrefix");

// Only iproute2, which every Host needs: nothing to install or start.
const host = new Host("host", { needs: [] });
const ns = new Namespace("ns", { name: `${p}ns`, host });
const link = new VethPair("link", { name: "eth0", namespace: ns.name, peerName: `${p}v`, host });
new Address("ns", { namespace: ns.name, device: link.name, cidr: cfg.get("cidr") ?? "10.71.0.1/24", host });

// A second route with the first one's metric, or 100 where it has none: it reads an output the program never set.
const first = new Route("first", { namespace: ns.name, destination: "10.72.0.0/16", device: link.name, host });
new Route("second", {
  namespace: ns.name,
  destination: "10.73.0.0/16",
  device: link.name,
  metric: first.metric.apply((m) => m ?? 100),
  host,
});
