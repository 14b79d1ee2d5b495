// Nat commands, pure: the whole table as one nft file (applied atomically), and the table read back from nft -j.
import { inNetns } from "../shell/netns";
import { quoteArgv } from "../shell/quote";
import type { FloatingIp, NatInputs, Snat } from "./schema";

/** The one table the library owns in a namespace. */
export const TABLE = "pulumi_netns";

const snatRule = (s: Snat, i: number) =>
  `ip saddr ${s.source}${s.outInterface ? ` oifname "${s.outInterface}"` : ""} ` +
  `${s.to ? `snat to ${s.to}` : "masquerade"} comment "snat ${i}"`;
const dnatRule = (f: FloatingIp, i: number) => `ip daddr ${f.floatingIp} dnat to ${f.fixedIp} comment "floating ${i}"`;
const backRule = (f: FloatingIp, i: number) =>
  `ip saddr ${f.fixedIp}${f.outInterface ? ` oifname "${f.outInterface}"` : ""} snat to ${f.floatingIp} comment "floating ${i}"`;

/**
 * The table as nft reads it, replacing any previous version in one transaction (create, then delete, then the new
 * table: nft applies a file all or nothing). Every value in it was validated: addresses and interface names only.
 */
export function ruleset(n: Pick<NatInputs, "snat" | "floatingIps">): string {
  const chain = (name: string, hook: string, priority: string, rules: string[]) =>
    [
      `  chain ${name} {`,
      `    type nat hook ${hook} priority ${priority}; policy accept;`,
      ...rules.map((r) => `    ${r}`),
      "  }",
    ].join("\n");
  return [
    `table ip ${TABLE}`,
    `delete table ip ${TABLE}`,
    `table ip ${TABLE} {`,
    chain("prerouting", "prerouting", "dstnat", n.floatingIps.map(dnatRule)),
    // Connections the router itself opens to a floating address are translated too.
    chain("output", "output", "-100", n.floatingIps.map(dnatRule)),
    chain("postrouting", "postrouting", "srcnat", [...n.floatingIps.map(backRule), ...n.snat.map(snatRule)]),
    "}",
    "",
  ].join("\n");
}

/** A script that applies the ruleset inside the namespace; the file travels as a quoted here-document. */
export const applyScript = (namespace: string, text: string) =>
  `${quoteArgv(inNetns(namespace, ["nft", "-f", "-"]))} <<'PULUMI_NETNS_NFT'\n${text}PULUMI_NETNS_NFT`;

export const list = (namespace: string) => inNetns(namespace, ["nft", "-j", "list", "table", "ip", TABLE]);
export const remove = (namespace: string) => inNetns(namespace, ["nft", "delete", "table", "ip", TABLE]);

/** nft's answer when the table (or the namespace) is not there. */
export const NO_TABLE = /No such file or directory|Cannot open network namespace/;

interface NftRule {
  chain: string;
  comment?: string;
  expr: Array<Record<string, unknown>>;
}

/**
 * A match's right side as the library writes it (an address, a network, a name). Anything else (a set, added by hand)
 * is kept as its JSON, so it differs from every value the program can give and reads as drift.
 */
function matchValue(right: unknown): string {
  if (typeof right === "string") return right;
  const prefix = (right as { prefix?: { addr: string; len: number } }).prefix;
  return prefix ? `${prefix.addr}/${prefix.len}` : JSON.stringify(right);
}

/** A rule's matches (ip saddr/daddr, oifname) and its action, as plain values. */
function readRule(r: NftRule) {
  const out: { saddr?: string; daddr?: string; oifname?: string; snat?: string; dnat?: string; masquerade?: boolean } =
    {};
  for (const e of r.expr) {
    const m = e.match as { left: Record<string, { field?: string; key?: string }>; right: unknown } | undefined;
    if (m) {
      const field = m.left.payload?.field ?? m.left.meta?.key;
      if (field === "saddr" || field === "daddr" || field === "oifname") out[field] = matchValue(m.right);
    } else if ("snat" in e) out.snat = (e.snat as { addr: string }).addr;
    else if ("dnat" in e) out.dnat = (e.dnat as { addr: string }).addr;
    else if ("masquerade" in e) out.masquerade = true;
  }
  return out;
}

/**
 * The snat rules and floating IPs the table holds, from `nft -j list table`: each entry only when all of its rules
 * are there as written (a rule deleted or changed by hand drops its entry, which reads as drift).
 */
export function parseTable(json: string): Pick<NatInputs, "snat" | "floatingIps"> {
  const rules = (JSON.parse(json) as { nftables: Array<{ rule?: NftRule }> }).nftables
    .filter((x) => x.rule)
    .map((x) => ({ ...x.rule!, ...readRule(x.rule!) }));
  const byComment = (kind: string) => {
    const found = new Map<number, typeof rules>();
    for (const r of rules) {
      const m = new RegExp(`^${kind} (\\d+)$`).exec(r.comment ?? "");
      if (m) found.set(Number(m[1]), [...(found.get(Number(m[1])) ?? []), r]);
    }
    return [...found.entries()].sort(([a], [b]) => a - b).map(([, rs]) => rs);
  };
  const snat: Snat[] = [];
  for (const [r] of byComment("snat")) {
    if (r.chain !== "postrouting" || !r.saddr || (!r.masquerade && !r.snat)) continue;
    const source = r.saddr.includes("/") ? r.saddr : `${r.saddr}/32`;
    snat.push({ source, ...(r.oifname && { outInterface: r.oifname }), ...(r.snat && { to: r.snat }) });
  }
  const floatingIps: FloatingIp[] = [];
  for (const rs of byComment("floating")) {
    const pre = rs.find((r) => r.chain === "prerouting");
    if (!pre?.daddr || !pre.dnat) continue;
    const back = rs.find((r) => r.chain === "postrouting" && r.saddr === pre.dnat && r.snat === pre.daddr);
    const whole = back && rs.some((r) => r.chain === "output" && r.daddr === pre.daddr && r.dnat === pre.dnat);
    if (whole)
      floatingIps.push({
        floatingIp: pre.daddr,
        fixedIp: pre.dnat,
        ...(back.oifname && { outInterface: back.oifname }),
      });
  }
  return { snat, floatingIps };
}
