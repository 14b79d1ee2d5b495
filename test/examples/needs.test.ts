// The examples under Pulumi's mocks: each Host lists in `needs` the tools its example's resources run, so that the
// example deploys on a fresh machine (a Host installs only what it is told; lab hosts have every tool anyway). The
// examples load the package by its name, so `dist/`: left out of mutation runs (test/mutation.json).
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";

import { registered, settle } from "../helpers/mocks";

/** The Host need (provider/host/schema.ts) each kind's resources run a tool of, given the resource's inputs. */
const NEEDED: Record<string, (inputs: Record<string, unknown>) => string | undefined> = {
  OvsBridge: () => "openvswitch",
  OvsPort: () => "openvswitch",
  DhcpServer: () => "dnsmasq",
  DhcpClient: () => "dhclient",
  Nat: () => "nftables",
  Haproxy: () => "haproxy",
  // An icmp probe runs ping; tcp and udp use bash alone (provider/probe/commands.ts).
  Probe: (i) => ((i.protocol ?? "icmp") === "icmp" ? "ping" : undefined),
};
/** What a Host needs when the program leaves `needs` unset (provider/host/schema.ts). */
const DEFAULT_NEEDS = ["openvswitch", "dnsmasq", "dhclient"];

/** Loads an example's program, and returns each Host's needs and the needs its other resources have. */
async function load(example: string): Promise<{ hosts: string[][]; used: Set<string> }> {
  const from = registered.length;
  require(`../../examples/${example}/index.ts`);
  await settle();
  const mine = registered.slice(from);
  const kind = (t: string) => t.slice(t.lastIndexOf(":") + 1);
  const hosts = mine.filter((r) => kind(r.type) === "Host").map((r) => (r.inputs.needs as string[]) ?? DEFAULT_NEEDS);
  const used = new Set(mine.flatMap((r) => NEEDED[kind(r.type)]?.(r.inputs) ?? []));
  return { hosts, used };
}

describe("examples (mocks): each Host needs what its example uses", () => {
  before(() =>
    // multihost's three hosts, as lab/lab.sh's .lab/connection.json lists them.
    pulumi.runtime.setAllConfig(
      {
        "proj:hosts": JSON.stringify(
          ["A", "B", "C"].map((name, i) => ({
            name,
            host: `10.254.2${i + 1}.2`,
            hostKey: `SHA256:${"x".repeat(43)}`,
            underlayIp: `10.254.100.${i + 1}`,
          })),
        ),
        "proj:privateKey": "not a key",
      },
      ["proj:privateKey"],
    ),
  );

  for (const example of ["seed", "openstack", "multihost"])
    it(`${example}: every tool its resources run is in its Hosts' needs`, async () => {
      const { hosts, used } = await load(example);
      assert.ok(hosts.length > 0, "no Host registered");
      // The check below is only as good as the kinds it sees: each example runs Open vSwitch and pings.
      assert.ok(used.has("openvswitch") && used.has("ping"), `needs seen: ${[...used].join(", ")}`);
      for (const needs of hosts)
        assert.deepEqual(
          [...used].filter((n) => !needs.includes(n)),
          [],
          `a Host lists ${needs.join(", ")}`,
        );
    });
});
