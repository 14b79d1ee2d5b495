// quote(): any string survives /bin/sh byte for byte (property test), and the output is minimal where safe.
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { quote, quoteArgv } from "../../provider/shell/quote";

/** Runs printf through /bin/sh with the quoted args and returns what the program received. */
function roundTrip(args: string[]): string[] {
  const out = execFileSync("/bin/sh", ["-c", `printf '%s\\0' ${args.map(quote).join(" ")}`]);
  return out.toString("utf8").split("\0").slice(0, -1);
}

const nasty = [
  "",
  " ",
  "a b",
  "'",
  "''",
  '"',
  "$(id)",
  "`id`",
  "$HOME",
  "a\nb",
  "\n",
  "-n",
  "--help",
  "ñ日本🙂",
  "\\",
  "!",
  "*",
  "~",
  "#x",
  ";ls",
  "a'b\"c",
  "\t",
];

describe("shell/quote", () => {
  it("round-trips hand-picked hostile strings through /bin/sh", () => {
    assert.deepEqual(roundTrip(nasty), nasty);
  });

  it("round-trips arbitrary strings through /bin/sh (property)", () => {
    const noNul = fc.string({ unit: "binary" }).map((s) => s.replace(/\0/g, ""));
    fc.assert(
      fc.property(fc.array(noNul, { minLength: 1, maxLength: 8 }), (args) => {
        assert.deepEqual(roundTrip(args), args);
      }),
      { numRuns: 300 },
    );
  });

  it("leaves safe words bare and quotes everything else", () => {
    assert.equal(quote("eth0-r"), "eth0-r");
    assert.equal(quote("10.0.0.1/24"), "10.0.0.1/24");
    assert.equal(quote("a b"), "'a b'");
    assert.equal(quote("it's"), "'it'\\''s'");
    assert.equal(quote(""), "''");
    assert.equal(quoteArgv(["ip", "link", "add", "x y"]), "ip link add 'x y'");
  });

  it("refuses a NUL byte and an empty argv", () => {
    assert.throws(() => quote("a\0b"), /NUL/);
    assert.throws(() => quoteArgv([]), /empty/);
  });
});
