// The OVS tables the resources read (pure): one ovsdb-client transaction selecting the columns they use, and its parse.
import { transactArgv } from "../ovs/ops";
import { Row } from "../ovs/table";

/** The OVS tables the resources read, fetched in one ovsdb-client transaction. */
export interface OvsTables {
  bridges: Row[];
  ports: Row[];
  interfaces: Row[];
}

export const COLUMNS = {
  Bridge: ["_uuid", "name", "datapath_type", "fail_mode", "external_ids", "ports"],
  Port: ["_uuid", "name", "tag", "trunks", "vlan_mode", "external_ids"],
  // error and ofport: whether the switch holds the interface's device (a reboot leaves rows whose devices are gone).
  Interface: ["name", "type", "options", "error", "ofport"],
};
export const select = (table: keyof typeof COLUMNS, name?: string, columns = COLUMNS[table]) => ({
  op: "select",
  table,
  where: name === undefined ? [] : [["name", "==", name]],
  columns,
});
export const ovsTablesArgv = transactArgv([select("Bridge"), select("Port"), select("Interface")]);

export function parseOvsTables(stdout: string): OvsTables {
  const [bridges, ports, interfaces] = (JSON.parse(stdout) as Array<{ rows: Row[] }>).map((r) => r.rows);
  return { bridges, ports, interfaces };
}
