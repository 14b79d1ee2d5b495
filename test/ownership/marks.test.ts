// Ownership marks: the owner input's rules, generations, marks that fit a link alias, and the comparisons that decide
// whether an object is this resource's.
import { strict as assert } from "node:assert";
import * as m from "../../provider/ownership/marks";

const URN = "urn:pulumi:dev::seed::pulumi-nodejs:dynamic/netns:VethPair::v";

describe("ownership marks", () => {
  it("takes a Pulumi URN as the owner, of at most 2048 characters and no control characters", () => {
    assert.equal(m.ownerSchema.parse(URN), URN);
    const reasons = (v: string) => {
      const r = m.ownerSchema.safeParse(v);
      return r.success ? "ok" : r.error.issues.map((i) => i.message).join("; ");
    };
    assert.equal(reasons(`urn:pulumi:${"x".repeat(2037)}`), "ok");
    assert.equal(reasons(`urn:pulumi:${"x".repeat(2038)}`), "a URN is at most 2048 characters");
    assert.equal(reasons("arn:aws:x"), "must be a Pulumi URN (urn:pulumi:...)");
    assert.equal(reasons(`${URN}\n`), "must not contain control characters");
    assert.equal(reasons(`${URN}\u007f`), "must not contain control characters");
    assert.equal(reasons(`${URN} é`), "ok", "other characters are not control characters");
  });

  it("names each create by 16 random hex digits", () => {
    const [a, b] = [m.newGeneration(), m.newGeneration()];
    assert.match(a, /^[0-9a-f]{16}$/);
    assert.notEqual(a, b);
  });

  it("marks with the URN itself up to 238 bytes, and with its hash beyond, so mark and generation fit 255", () => {
    const fits = `urn:pulumi:${"a".repeat(238 - 11)}`;
    assert.equal(m.ownerMark(fits), fits);
    const long = `${fits}b`;
    assert.match(m.ownerMark(long), /^sha256:[0-9a-f]{64}$/);
    assert.notEqual(m.ownerMark(long), m.ownerMark(`${fits}c`));
    // Counted in bytes: two-byte characters reach the limit in half as many characters.
    assert.match(m.ownerMark(`urn:pulumi:${"é".repeat(114)}`), /^sha256:/);
    assert.ok(Buffer.byteLength(m.joinMark(long, m.newGeneration())) <= 255);
  });

  it("joins owner and generation into one alias, and splits it again", () => {
    assert.equal(m.joinMark(URN, "0123456789abcdef"), `${URN} 0123456789abcdef`);
    assert.equal(m.joinMark(URN, undefined), URN, "a state from before generations");
    assert.deepEqual(m.splitMark(`${URN} 0123456789abcdef`), { owner: URN, generation: "0123456789abcdef" });
    assert.deepEqual(m.splitMark(URN), { owner: URN });
    assert.deepEqual(m.splitMark(`${URN} not-a-generation`), { owner: `${URN} not-a-generation` });
    assert.deepEqual(m.splitMark(`${URN} 0123456789ABCDEF`), { owner: `${URN} 0123456789ABCDEF` }, "lower case only");
    assert.deepEqual(m.splitMark(" 0123456789abcdef"), { owner: " 0123456789abcdef" }, "no owner before it");
    assert.deepEqual(m.splitMark(""), {});
    assert.deepEqual(m.splitMark(undefined), {});
  });

  it("compares marks: changed, another generation, another owner", () => {
    assert.equal(m.markChanged({ owner: "a", generation: "g" }, { owner: "a", generation: "g" }), false);
    assert.equal(m.markChanged({ owner: "a", generation: "g" }, { owner: "b", generation: "g" }), true);
    assert.equal(m.markChanged({ owner: "a", generation: "g" }, { owner: "a", generation: "h" }), true);
    assert.equal(m.otherGeneration("g1", "g2"), true);
    assert.equal(m.otherGeneration("g1", "g1"), false);
    assert.equal(m.otherGeneration(undefined, "g1"), false, "an object marked before generations");
    assert.equal(m.otherGeneration("g1", undefined), false, "a state from before generations");
    assert.equal(m.markedByOther("urn:other", URN), true);
    assert.equal(m.markedByOther(URN, URN), false);
    assert.equal(m.markedByOther(m.ownerMark(`${URN}${"x".repeat(300)}`), `${URN}${"x".repeat(300)}`), false, "hashed");
    assert.equal(m.markedByOther(undefined, URN), false, "unmarked is nobody's in particular");
    assert.equal(m.markedByOther("urn:other", undefined), false, "no owner to compare with");
  });
});
