// A Host that is this machine (no connection) and three resources on it: the program behind
// test/engine/local-host.e2e.test.ts.
import * as pulumi from "@pulumi/pulumi";
import { Address, Host, Namespace, VethPair } from "pulumi-netns";

const cfg = new pulumi.Config();
const p = cfg.require("namePrefix");

// Only iproute2, which every Host needs: nothing to install or start.
const host = new Host("host", { needs: [] });
const ns = new Namespace("ns", { name: `${p}ns`, host });
const link = new VethPair("link", { name: "eth0", namespace: ns.name, peerName: `${p}v`, host });
new Address("ns", { namespace: ns.name, device: link.name, cidr: cfg.get("cidr") ?? "10.71.0.1/24", host });
