// What differs between runs of a drawn example, made symbolic, so a drawing compares with its golden file
// (test/graph/golden): shared by the e2e test that draws live stacks and the unit test that draws stored ones.
import { readFileSync } from "node:fs";

export interface Stored {
  type: string;
  outputs: Record<string, unknown>;
}
export const stored = (statePath: string) =>
  (JSON.parse(readFileSync(statePath, "utf8")) as { resources: Stored[] }).resources;
export const ofKind = (rs: Stored[], kind: string) =>
  rs.filter((r) => r.type === `pulumi-nodejs:dynamic/netns:${kind}`);

/**
 * The run's name prefix `prefix` as "P-", leased addresses as <lease>, and device names derived from hashed ids
 * numbered in order of appearance (which the drawing keeps stable).
 */
export function normalize(text: string, rs: Stored[], prefix: string): string {
  let t = text.split(prefix).join("P-");
  // Two VLANs may hand out the same address (the seed's do), so a lease is not named after its holder.
  for (const c of ofKind(rs, "DhcpClient")) {
    const ip = String(c.outputs.address).split("/")[0].replace(/\./g, "\\.");
    // Only where a lease is shown: on its interface, as a pool member, as a floating IP's fixed address, as a
    // probe's target (not, say, as the DHCP range's first address, which a lease can equal).
    t = t.replace(new RegExp(`\\b${ip}(?=/\\d+ \\(DHCP\\)|:\\d)|(?<=→ |probe \\w+ )${ip}\\b`, "g"), "<lease>");
  }
  const seen = new Map<string, string>();
  return t.replace(/\b(tap|qr-|qg-)[0-9a-f]{8}-[0-9a-f]{2}\b/g, (d, kind: string) => {
    if (!seen.has(d)) seen.set(d, `${kind}<${seen.size + 1}>`);
    return seen.get(d)!;
  });
}

/**
 * A state file as test/graph/fixtures keeps it: the prefix as "P-", every secret's ciphertext and every serialized
 * provider left out (the graph reads neither), so a fixture holds nothing of the lab's keys.
 */
export function asFixture(statePath: string, prefix: string): string {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (!v || typeof v !== "object") return v;
    const o = v as Record<string, unknown>;
    if ("ciphertext" in o) return { ...o, ciphertext: "redacted" };
    return Object.fromEntries(Object.entries(o).flatMap(([k, x]) => (k === "__provider" ? [] : [[k, strip(x)]])));
  };
  return JSON.stringify(strip(JSON.parse(readFileSync(statePath, "utf8").split(prefix).join("P-"))), null, 2) + "\n";
}
