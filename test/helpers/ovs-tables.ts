// OVS tables as `ovsdb-client transact` returns them (provider/reads/ovs-tables.ts), built from short rows and parsed.
import { parseOvsTables } from "../../provider/reads/ovs-tables";

type Pairs = [string, string][];

/** A Port row: unset columns as OVSDB sends them (an empty set), external_ids as key-value pairs. */
export function portRow(
  uuid: string,
  name: string,
  c: { tag?: number; trunks?: number[]; vlanMode?: string; ids?: Pairs } = {},
) {
  return {
    _uuid: ["uuid", uuid],
    name,
    tag: c.tag ?? ["set", []],
    trunks: ["set", c.trunks ?? []],
    vlan_mode: c.vlanMode ?? ["set", []],
    external_ids: ["map", c.ids ?? []],
  };
}

/** An Interface row. */
export const interfaceRow = (name: string, type = "", options: Pairs = []) => ({
  name,
  type,
  options: ["map", options],
});

/** The Bridge, Port and Interface tables, parsed as the library parses them. */
export function ovsTables(
  bridges: { uuid: string; name: string; ports: string[] }[],
  ports: ReturnType<typeof portRow>[],
  interfaces: ReturnType<typeof interfaceRow>[],
) {
  const bridgeRows = bridges.map((b) => ({
    _uuid: ["uuid", b.uuid],
    name: b.name,
    ports: ["set", b.ports.map((p) => ["uuid", p])],
  }));
  return parseOvsTables(JSON.stringify([{ rows: bridgeRows }, { rows: ports }, { rows: interfaces }]));
}
