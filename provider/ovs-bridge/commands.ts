// OvsBridge commands (pure: inputs to argv, stdout to state).
import { Marks, markChanged } from "../ownership/marks";
import { GENERATION_KEY, Row, isOurs, isReservedKey, markSettings, ovsMap, ovsOptional, ovsString } from "../ovs/table";
import { BridgeInputs } from "./schema";

const ids = (m: Record<string, string>) => Object.entries(m).map(([k, v]) => `external_ids:${k}=${ovsString(v)}`);

export function add(b: BridgeInputs & Marks): string[] {
  return [
    "ovs-vsctl",
    "add-br",
    b.name,
    "--",
    "set",
    "bridge",
    b.name,
    `datapath_type=${b.datapathType}`,
    ...(b.failMode ? [`fail_mode=${b.failMode}`] : []),
    ...markSettings(b),
    ...ids(b.externalIds),
  ];
}

export const del = (name: string) => ["ovs-vsctl", "--if-exists", "del-br", name];
/** The bridge's own interface gets an OpenFlow port once its datapath works; none means OVS could not make it. */
export const ofport = (name: string) => ["ovs-vsctl", "get", "interface", name, "ofport"];
export const linkExists = (name: string) => ["ip", "link", "show", "dev", name];

/** One transaction for every in-place change. */
export function update(olds: BridgeInputs & Marks, news: BridgeInputs & Marks) {
  const ops: string[][] = [];
  if (markChanged(olds, news)) ops.push(["set", "bridge", news.name, ...markSettings(news)]);
  if (olds.datapathType !== news.datapathType)
    ops.push(["set", "bridge", news.name, `datapath_type=${news.datapathType}`]);
  if (olds.failMode !== news.failMode) {
    ops.push(
      news.failMode
        ? ["set", "bridge", news.name, `fail_mode=${news.failMode}`]
        : ["clear", "bridge", news.name, "fail_mode"],
    );
  }
  const gone = Object.keys(olds.externalIds ?? {}).filter((k) => !(k in news.externalIds));
  if (gone.length) ops.push(["remove", "bridge", news.name, "external_ids", ...gone]);
  const changed = Object.fromEntries(Object.entries(news.externalIds).filter(([k, v]) => olds.externalIds?.[k] !== v));
  if (Object.keys(changed).length) ops.push(["set", "bridge", news.name, ...ids(changed)]);
  return ops.length ? ["ovs-vsctl", ...ops.flatMap((op) => ["--", ...op])] : undefined;
}

/** The bridge as OVS holds it; undefined when absent or not marked as ours (and this owner's, when given). */
export function parseBridge(row: Row | undefined, owner?: string): (Partial<BridgeInputs> & Marks) | undefined {
  if (!row || !isOurs(ovsMap(row.external_ids), owner)) return undefined;
  return bridgeFields(row);
}

/** The bridge's fields as OVS holds them, whoever made it. */
export function bridgeFields(row: Row): Partial<BridgeInputs> & Marks {
  const all = ovsMap(row.external_ids);
  const externalIds = Object.fromEntries(Object.entries(all).filter(([k]) => !isReservedKey(k)));
  return {
    datapathType: (row.datapath_type || "system") as BridgeInputs["datapathType"],
    failMode: ovsOptional<BridgeInputs["failMode"]>(row.fail_mode),
    externalIds,
    ...(all[GENERATION_KEY] && { generation: all[GENERATION_KEY] }),
  };
}
