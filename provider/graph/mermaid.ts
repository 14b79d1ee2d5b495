// The topology as a Mermaid flowchart: hosts and components as nested subgraphs, objects as shaped nodes.
import { Cluster, NodeKind, Topology } from "./model";

/** Mermaid's quoted text: quotes as entities, lines as <br/>. */
const text = (lines: string[]) =>
  `"${lines.map((l) => l.replace(/&/g, "#amp;").replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;")).join("<br/>")}"`;
const SHAPES: Record<NodeKind, (t: string) => string> = {
  namespace: (t) => `(${t})`,
  router: (t) => `{{${t}}}`,
  bridge: (t) => `[(${t})]`,
  host: (t) => `[/${t}/]`,
  remote: (t) => `((${t}))`,
};
const LINKS = { veth: "---", port: "---", patch: "-.-", tunnel: "===" };

export function toMermaid(t: Topology): string {
  const ids = new Map(t.nodes.map((n, i) => [n.id, `n${i}`]));
  const cids = new Map(t.clusters.map((c, i) => [c.id, `c${i}`]));
  const out = ["flowchart LR"];
  const placeOf = (n: { host: string; group?: string }) => n.group ?? `host:${n.host}`;
  const cluster = (c: Cluster, indent: string) => {
    out.push(`${indent}subgraph ${cids.get(c.id)}[${text([c.label])}]`);
    for (const child of t.clusters.filter((x) => x.parent === c.id)) cluster(child, `${indent}  `);
    for (const n of t.nodes.filter((n) => placeOf(n) === c.id))
      out.push(`${indent}  ${ids.get(n.id)}${SHAPES[n.kind](text(n.lines))}`);
    out.push(`${indent}end`);
  };
  for (const c of t.clusters.filter((c) => !c.parent)) cluster(c, "  ");
  for (const e of t.edges) out.push(`  ${ids.get(e.from)} ${LINKS[e.kind]}|${text(e.lines)}| ${ids.get(e.to)}`);
  return `${out.join("\n")}\n`;
}
