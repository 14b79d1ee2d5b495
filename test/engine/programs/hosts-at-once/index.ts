// On each lab host a namespace and a Process that is ready only once every host's Process has started: the program
// behind test/engine/hosts-at-once.e2e.test.ts, where one up can only succeed by working on all hosts at once.
import * as pulumi from "@pulumi/pulumi";
import { Namespace, Process } from "pulumi-netns";

interface HostConfig {
  name: string;
  host: string;
  port: number;
  user: string;
  hostKey: string;
}

const cfg = new pulumi.Config();
const p = cfg.require("namePrefix");
const privateKey = cfg.requireSecret("privateKey");
// Files on the machine the lab hosts share (their /run is their own, /tmp is not): one per host, made by its Process.
const markers = cfg.require("markerPrefix");
const hosts = cfg.requireObject<HostConfig[]>("hosts");
// Touch mine, wait for every host's, then listen: nobody is ready until all have started.
const WAIT_FOR_ALL = `touch "$1"; shift; for f in "$@"; do until [ -e "$f" ]; do sleep 0.05; done; done; exec "$0" -e "require('net').createServer().listen(8080)"`;

for (const h of hosts) {
  const connection = { host: h.host, port: h.port, user: h.user, hostKey: h.hostKey, privateKey };
  const ns = new Namespace(`ns-${h.name}`, { name: `${p}once`, connection });
  new Process(`wait-${h.name}`, {
    namespace: ns.name,
    name: "wait",
    command: [
      "sh",
      "-c",
      WAIT_FOR_ALL,
      process.execPath,
      `${markers}${h.name}`,
      ...hosts.map((o) => `${markers}${o.name}`),
    ],
    readyTcpPort: 8080,
    readyTimeoutMs: cfg.getNumber("readyTimeoutMs") ?? 30_000,
    connection,
  });
}
