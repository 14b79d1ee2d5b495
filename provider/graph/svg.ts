// SVG from DOT, rendered in-process by Graphviz compiled to WebAssembly (no browser, no network, no dot binary).
import { instance } from "@viz-js/viz";

export async function dotToSvg(dot: string): Promise<string> {
  const viz = await instance();
  const r = viz.render(dot, { format: "svg" });
  if (r.status !== "success")
    throw new Error(`Graphviz could not lay out the graph: ${r.errors.map((e) => e.message).join("; ")}`);
  return r.output;
}
