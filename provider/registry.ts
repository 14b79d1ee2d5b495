// Every resource kind, in one list: the provider finds each by name here, and the package's exports, the serialized
// providers' modules, the graph and the tests' lists are checked against it (test/types/kinds.test.ts).
import { AnyDefinition } from "./dynamic/definition";
import { diffTable } from "./dynamic/fields";
import { assertRulesOnly } from "./dynamic/rules";
import { address } from "./address/ops";
import { dhcpClient } from "./dhcp-client/ops";
import { dhcpServer } from "./dhcp-server/ops";
import { namespace } from "./namespace/ops";
import { bridge } from "./ovs-bridge/ops";
import { port } from "./ovs-port/ops";
import { route } from "./route/ops";
import { veth } from "./veth/ops";
import { host } from "./host/ops";
import { sysctl } from "./sysctl/ops";
import { nat } from "./nat/ops";
import { haproxy } from "./haproxy/ops";
import { processKind } from "./process/ops";
import { probe } from "./probe/ops";

const kinds = new Map<string, AnyDefinition>(
  [
    host,
    namespace,
    veth,
    bridge,
    port,
    address,
    route,
    dhcpServer,
    dhcpClient,
    sysctl,
    nat,
    haproxy,
    processKind,
    probe,
  ].map((d) => {
    diffTable(d.schema.shape); // every field says what a change to it means, or the kind is not loaded at all
    assertRulesOnly(d.kind, d.schema);
    return [d.kind, d];
  }),
);

/** The kinds' names, in the list's order. */
export const KINDS: readonly string[] = [...kinds.keys()];

export function definition(kind: string): AnyDefinition {
  const def = kinds.get(kind);
  if (!def)
    throw new Error(
      `pulumi-netns has no resource kind "${kind}" (this provider knows ${[...kinds.keys()].join(", ")})`,
    );
  return def;
}
