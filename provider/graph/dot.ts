// The topology as Graphviz DOT: hosts and components as nested clusters, objects as shaped nodes, links labelled.
import { Cluster, NodeKind, Topology } from "./model";

const SHAPES: Record<NodeKind, string> = {
  namespace: 'shape=box, style="rounded"',
  router: "shape=octagon",
  bridge: 'shape=cylinder, style="filled", fillcolor="#e8f0fe"',
  host: 'shape=box, style="dashed"',
  remote: 'shape=ellipse, style="dotted"',
};
const EDGES = { veth: "", port: "", patch: ', style="dashed"', tunnel: ', style="bold", color="#7b1fa2"' };

/** A DOT double-quoted string; lines become centred line breaks. */
const q = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;

export function toDot(t: Topology): string {
  const out = [
    "digraph topology {",
    '  graph [rankdir=LR, fontname="Helvetica", fontsize=11, compound=true, nodesep=0.3];',
    '  node [fontname="Helvetica", fontsize=10];',
    '  edge [fontname="Helvetica", fontsize=9, dir=none];',
  ];
  const index = new Map(t.clusters.map((c, i) => [c.id, i]));
  const placeOf = (n: { host: string; group?: string }) => n.group ?? `host:${n.host}`;
  const cluster = (c: Cluster, indent: string) => {
    out.push(`${indent}subgraph cluster_${index.get(c.id)} {`, `${indent}  label=${q(c.label)}; style="rounded";`);
    for (const child of t.clusters.filter((x) => x.parent === c.id)) cluster(child, `${indent}  `);
    for (const n of t.nodes.filter((n) => placeOf(n) === c.id))
      out.push(`${indent}  ${q(n.id)} [label=${q(n.lines.join("\n"))}, ${SHAPES[n.kind]}];`);
    out.push(`${indent}}`);
  };
  for (const c of t.clusters.filter((c) => !c.parent)) cluster(c, "  ");
  for (const e of t.edges) out.push(`  ${q(e.from)} -> ${q(e.to)} [label=${q(e.lines.join("\n"))}${EDGES[e.kind]}];`);
  out.push("}");
  return `${out.join("\n")}\n`;
}
