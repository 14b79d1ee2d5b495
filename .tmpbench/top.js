const p = JSON.parse(require("fs").readFileSync(process.argv[2]));
const self = new Map(); const byId = new Map(p.nodes.map(n => [n.id, n]));
const dt = p.timeDeltas; const counts = new Map();
p.samples.forEach((id, i) => counts.set(id, (counts.get(id) || 0) + (dt[i] || 0)));
for (const [id, t] of counts) { const n = byId.get(id); const k = `${n.callFrame.functionName || "(anon)"} ${n.callFrame.url.split("/").slice(-2).join("/")}:${n.callFrame.lineNumber}`; self.set(k, (self.get(k) || 0) + t); }
const tot = [...self.values()].reduce((a, b) => a + b, 0);
console.log("total ms", (tot / 1000).toFixed(0));
[...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(process.argv[3] || 30)).forEach(([k, t]) => console.log((t / 1000).toFixed(1).padStart(8), k));
