// Nat's pure parts: the nft file written for a table, the script that applies it, and the table read back from
// `nft -j` (a fixture listed from a real table by nft 1.0.6), each rule deleted or changed by hand read as drift.
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { NO_TABLE, TABLE, applyScript, list, parseTable, remove, ruleset } from "../../provider/nat/commands";

/** What the fixture's table was made from (test/nat/fixtures/table.json). */
const INPUTS = {
  snat: [
    { source: "10.91.0.0/24", outInterface: "qg0" },
    { source: "10.92.0.0/24", to: "192.0.2.20" },
  ],
  floatingIps: [
    { floatingIp: "192.0.2.10", fixedIp: "10.91.0.2" },
    { floatingIp: "192.0.2.11", fixedIp: "10.91.0.3", outInterface: "qg0" },
  ],
};

interface Item {
  rule?: { chain: string; comment?: string; expr: Array<Record<string, unknown>> };
}
const fixture = () =>
  JSON.parse(readFileSync(join(__dirname, "fixtures", "table.json"), "utf8")) as { nftables: Item[] };
/** The fixture with `edit` applied to its rules (return undefined to delete one), as nft would list it. */
function edited(edit: (rule: NonNullable<Item["rule"]>) => Item["rule"] | undefined): string {
  const t = fixture();
  t.nftables = t.nftables.flatMap((x) => {
    if (!x.rule) return [x];
    const r = edit(x.rule);
    return r ? [{ rule: r }] : [];
  });
  return JSON.stringify(t);
}
const without = (chain: string, comment: string) =>
  edited((r) => (r.chain === chain && r.comment === comment ? undefined : r));

describe("Nat commands", () => {
  it("writes the whole table as one nft file: delete and remake, three chains, a comment naming each rule", () => {
    assert.equal(
      ruleset(INPUTS),
      [
        "table ip pulumi_netns",
        "delete table ip pulumi_netns",
        "table ip pulumi_netns {",
        "  chain prerouting {",
        "    type nat hook prerouting priority dstnat; policy accept;",
        '    ip daddr 192.0.2.10 dnat to 10.91.0.2 comment "floating 0"',
        '    ip daddr 192.0.2.11 dnat to 10.91.0.3 comment "floating 1"',
        "  }",
        "  chain output {",
        "    type nat hook output priority -100; policy accept;",
        '    ip daddr 192.0.2.10 dnat to 10.91.0.2 comment "floating 0"',
        '    ip daddr 192.0.2.11 dnat to 10.91.0.3 comment "floating 1"',
        "  }",
        "  chain postrouting {",
        "    type nat hook postrouting priority srcnat; policy accept;",
        '    ip saddr 10.91.0.2 snat to 192.0.2.10 comment "floating 0"',
        '    ip saddr 10.91.0.3 oifname "qg0" snat to 192.0.2.11 comment "floating 1"',
        '    ip saddr 10.91.0.0/24 oifname "qg0" masquerade comment "snat 0"',
        '    ip saddr 10.92.0.0/24 snat to 192.0.2.20 comment "snat 1"',
        "  }",
        "}",
        "",
      ].join("\n"),
    );
  });

  it("writes empty chains for a table with no rules", () => {
    const text = ruleset({ snat: [], floatingIps: [] });
    assert.equal((text.match(/^ {2}chain /gm) ?? []).length, 3);
    assert.doesNotMatch(text, /comment/);
  });

  it("applies the file inside the namespace through a quoted here-document, and lists and removes only its table", () => {
    assert.equal(
      applyScript("qrouter-1", "table ip x\n"),
      "ip netns exec qrouter-1 nft -f - <<'PULUMI_NETNS_NFT'\ntable ip x\nPULUMI_NETNS_NFT",
    );
    assert.equal(TABLE, "pulumi_netns");
    assert.deepEqual(list("q"), ["ip", "netns", "exec", "q", "nft", "-j", "list", "table", "ip", "pulumi_netns"]);
    assert.deepEqual(remove("q"), ["ip", "netns", "exec", "q", "nft", "delete", "table", "ip", "pulumi_netns"]);
  });

  it("tells a missing table or namespace from other failures", () => {
    assert.match("Error: No such file or directory; did you mean table", NO_TABLE);
    assert.match('Cannot open network namespace "q": No such file or directory', NO_TABLE);
    assert.doesNotMatch("Error: Could not process rule: Operation not permitted", NO_TABLE);
  });

  it("reads the table back as the inputs it was made from", () => {
    assert.deepEqual(parseTable(JSON.stringify(fixture())), INPUTS);
    assert.deepEqual(parseTable(JSON.stringify({ nftables: [] })), { snat: [], floatingIps: [] });
  });

  it("drops a floating IP any of whose three rules was deleted, and keeps the others", () => {
    for (const chain of ["prerouting", "output", "postrouting"]) {
      assert.deepEqual(
        parseTable(without(chain, "floating 0")),
        { snat: INPUTS.snat, floatingIps: [INPUTS.floatingIps[1]] },
        `floating 0's ${chain} rule deleted`,
      );
    }
  });

  it("drops a floating IP whose rules disagree: an address changed in any of its rules", () => {
    // `key` is an action (snat, dnat) or a matched field (saddr, daddr); `addr` its new value.
    const changed = (chain: string, key: string, addr: string) =>
      edited((r) =>
        r.chain === chain && r.comment === "floating 0"
          ? {
              ...r,
              expr: r.expr.map((e) => {
                if (key in e) return { [key]: { addr } };
                const m = e.match as { left: { payload?: { field: string } } } | undefined;
                return m?.left.payload?.field === key ? { match: { ...m, right: addr } } : e;
              }),
            }
          : r,
      );
    const rest = [INPUTS.floatingIps[1]];
    assert.deepEqual(parseTable(changed("postrouting", "snat", "192.0.2.99")).floatingIps, rest, "way back: snat");
    assert.deepEqual(parseTable(changed("postrouting", "saddr", "10.91.0.99")).floatingIps, rest, "way back: saddr");
    assert.deepEqual(parseTable(changed("output", "dnat", "10.91.0.99")).floatingIps, rest, "output: dnat");
    assert.deepEqual(parseTable(changed("output", "daddr", "192.0.2.99")).floatingIps, rest, "output: daddr");
    // The prerouting rule names the pair: changed there, the other two no longer match it.
    assert.deepEqual(parseTable(changed("prerouting", "dnat", "10.91.0.99")).floatingIps, rest, "prerouting");
  });

  it("drops a floating IP whose way back was moved to another chain", () => {
    const moved = edited((r) =>
      r.chain === "postrouting" && r.comment === "floating 0" ? { ...r, chain: "output" } : r,
    );
    assert.deepEqual(parseTable(moved).floatingIps, [INPUTS.floatingIps[1]]);
  });

  it("drops a snat rule deleted by hand, moved to another chain, or stripped of its action", () => {
    assert.deepEqual(parseTable(without("postrouting", "snat 0")).snat, [INPUTS.snat[1]]);
    const moved = edited((r) => (r.comment === "snat 1" ? { ...r, chain: "prerouting" } : r));
    assert.deepEqual(parseTable(moved).snat, [INPUTS.snat[0]]);
    const bare = edited((r) =>
      r.comment === "snat 0" ? { ...r, expr: r.expr.filter((e) => !("masquerade" in e)) } : r,
    );
    assert.deepEqual(parseTable(bare).snat, [INPUTS.snat[1]]);
    // A counter in place of the action: counted, not translated.
    const counted = edited((r) =>
      r.comment === "snat 0"
        ? { ...r, expr: r.expr.map((e) => ("masquerade" in e ? { counter: { packets: 0, bytes: 0 } } : e)) }
        : r,
    );
    assert.deepEqual(parseTable(counted).snat, [INPUTS.snat[1]]);
  });

  it("reads a single address as a /32 network, and orders entries by their number, not by nft's listing", () => {
    const host = edited((r) =>
      r.comment === "snat 1"
        ? {
            ...r,
            expr: r.expr.map((e) =>
              "match" in e && (e.match as { left: { payload?: unknown } }).left.payload
                ? { match: { ...(e.match as object), right: "10.92.0.7" } }
                : e,
            ),
          }
        : r,
    );
    assert.deepEqual(parseTable(host).snat[1], { source: "10.92.0.7/32", to: "192.0.2.20" });
    const t = fixture();
    t.nftables.reverse();
    assert.deepEqual(parseTable(JSON.stringify(t)), INPUTS);
  });

  it("ignores rules whose comment is not the library's", () => {
    const foreign = edited((r) => (r.comment === "snat 0" ? { ...r, comment: "users own" } : r));
    assert.deepEqual(parseTable(foreign).snat, [INPUTS.snat[1]]);
    const numbered = edited((r) => (r.comment === "snat 0" ? { ...r, comment: "snat 0 extra" } : r));
    assert.deepEqual(parseTable(numbered).snat, [INPUTS.snat[1]]);
    const bare = edited((r) => (r.comment === "snat 0" ? { ...r, comment: undefined } : r));
    assert.deepEqual(parseTable(bare).snat, [INPUTS.snat[1]]);
  });

  it("reads a rule edited by hand to match what the library never writes (a conntrack state, a set), without failing", () => {
    const ct = { match: { op: "in", left: { ct: { key: "state" } }, right: ["established"] } };
    const extra = edited((r) => (r.comment === "snat 1" ? { ...r, expr: [ct, ...r.expr] } : r));
    assert.deepEqual(parseTable(extra), INPUTS);
    // A set of sources in place of the network: read as something the program never wrote, so the entry is drift.
    const set = { set: [{ prefix: { addr: "10.91.0.0", len: 24 } }, { prefix: { addr: "10.93.0.0", len: 24 } }] };
    const widened = edited((r) =>
      r.comment === "snat 0"
        ? { ...r, expr: r.expr.map((e, i) => (i === 0 ? { match: { ...(e.match as object), right: set } } : e)) }
        : r,
    );
    assert.equal(parseTable(widened).snat.length, 2);
    assert.notDeepEqual(parseTable(widened).snat[0], INPUTS.snat[0]);
  });
});
