// One self-contained HTML page: the SVG picture and a table of every object, nothing loaded from elsewhere.
import { Topology } from "./model";

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export function toHtml(t: Topology, svg: string, title: string): string {
  const rows = t.objects
    .map(
      (o) => `<tr><td>${esc(o.kind)}</td><td>${esc(o.name)}</td><td>${esc(o.host)}</td><td>${esc(o.detail)}</td></tr>`,
    )
    .join("\n");
  // The SVG goes in as markup; its XML prologue and doctype are not allowed inside HTML.
  const inline = svg.replace(/^<\?xml[^>]*>\s*/, "").replace(/<!DOCTYPE[^>]*>\s*/, "");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${esc(title)}</title>
<style>
body { font-family: Helvetica, Arial, sans-serif; margin: 1.5em; }
.picture svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; font-size: 12px; margin-top: 1.5em; }
td, th { border: 1px solid #ccc; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
</style>
</head>
<body>
<h1>${esc(title)}</h1>
<div class="picture">
${inline}
</div>
<table>
<tr><th>kind</th><th>name</th><th>host</th><th>fields</th></tr>
${rows}
</table>
</body>
</html>
`;
}
