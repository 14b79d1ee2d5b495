// The harness's protobuf codec against google-protobuf's own: what one writes, the other reads back the same.
import { strict as assert } from "node:assert";
import { dirname } from "node:path";
import { Reader, decodeMessage, encodeMessage } from "../../engine/wire";

const pulumiDir = dirname(require.resolve("@pulumi/pulumi/package.json"));
const need = (m: string) => require(require.resolve(m, { paths: [pulumiDir] }));
const pb = need("@pulumi/pulumi/proto/provider_pb");
const { Struct } = need("google-protobuf/google/protobuf/struct_pb");

const sample = {
  __provider: 'require("pulumi-netns/dynamic/kinds/OvsPort")',
  empty: "",
  unicode: "grüße ✓ 名前",
  long: "x".repeat(300),
  numbers: [0, -1, 1.5, 2 ** 40, -1e-9, 65535],
  flags: [true, false],
  nothing: null,
  nested: { connection: { host: "127.0.0.1", port: 22, extra: { deeper: [[1, "a"], [], {}] } }, none: {} },
  list: [{ a: 1 }, "b", null, [true]],
};

describe("engine/wire", () => {
  it("writes Structs that google-protobuf reads back unchanged", () => {
    const bytes = encodeMessage([
      { n: 1, string: "urn:pulumi:s::p::t::n" },
      { n: 2, struct: {} },
      { n: 3, struct: sample },
    ]);
    const req = pb.CheckRequest.deserializeBinary(new Uint8Array(bytes));
    assert.equal(req.getUrn(), "urn:pulumi:s::p::t::n");
    assert.deepEqual(req.getOlds().toJavaScript(), {});
    assert.deepEqual(req.getNews().toJavaScript(), sample);
  });

  it("keeps property order, drops undefined properties and writes proto3 defaults as absent", () => {
    const bytes = encodeMessage([
      { n: 1, string: "" },
      { n: 2, struct: { b: 1, a: undefined, c: 2 } },
      { n: 3, bool: false },
    ]);
    const req = pb.ConfigureRequest.deserializeBinary(new Uint8Array(bytes));
    assert.deepEqual(Object.keys(req.getArgs().toJavaScript()), ["b", "c"]);
    assert.equal(req.getAcceptsecrets(), false);
    // Only field 2 is on the wire: its tag is the first byte.
    assert.equal(bytes[0], (2 << 3) | 2);
  });

  it("grows its buffer for messages far beyond its first allocation", () => {
    const big = { blob: "k".repeat(200_000), items: Array.from({ length: 5000 }, (_, i) => ({ i, s: `v${i}` })) };
    const req = pb.CreateRequest.deserializeBinary(new Uint8Array(encodeMessage([{ n: 2, struct: big }])));
    assert.deepEqual(req.getProperties().toJavaScript(), big);
  });

  it("reads what google-protobuf writes: Structs, repeated messages, strings, enums and bools", () => {
    const check = new pb.CheckResponse();
    check.setInputs(Struct.fromJavaScript(sample));
    const failure = new pb.CheckFailure();
    failure.setProperty("tag");
    failure.setReason("must be 1 to 4094");
    check.setFailuresList([failure, new pb.CheckFailure()]);
    const r = decodeMessage(Buffer.from(check.serializeBinary()), {
      1: ["inputs", "struct"],
      2: ["failures", "messages"],
    });
    assert.deepEqual(r.inputs, sample);
    const failures = (r.failures as Buffer[]).map((f) => decodeMessage(f, { 1: ["p", "string"], 2: ["r", "string"] }));
    assert.deepEqual(failures, [{ p: "tag", r: "must be 1 to 4094" }, {}]);

    const diff = new pb.DiffResponse();
    diff.setReplacesList(["name", "namespace"]);
    diff.setStablesList(["ignored"]);
    diff.setDeletebeforereplace(true);
    diff.setChanges(pb.DiffResponse.DiffChanges.DIFF_SOME);
    const d = decodeMessage(Buffer.from(diff.serializeBinary()), {
      1: ["replaces", "strings"],
      3: ["deleteBeforeReplace", "bool"],
      4: ["changes", "varint"],
    });
    assert.deepEqual(d, { replaces: ["name", "namespace"], deleteBeforeReplace: true, changes: 2 });
  });

  it("refuses truncated input instead of inventing values", () => {
    const bytes = encodeMessage([{ n: 2, struct: { name: "x".repeat(200) } }]);
    assert.throws(() => decodeMessage(bytes.subarray(0, bytes.length - 10), { 2: ["s", "struct"] }), /truncated/);
    assert.throws(() => new Reader(Buffer.from([0x80])).varint(), /truncated varint/);
  });
});
