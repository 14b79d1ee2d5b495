// How the harness's --diff shows a value: secrets hidden, values a preview cannot know named as such.
import { strict as assert } from "node:assert";
import { UNKNOWN } from "../../provider/dynamic/unknown";
import { shown, shownOutput } from "../../engine/engine";

describe("engine --diff values", () => {
  it("shows JSON, [secret] for a secret and [unknown] for a value not known in preview, nested ones included", () => {
    assert.equal(shown("netdev", false), '"netdev"');
    assert.equal(shown(100, false), "100");
    assert.equal(shown(undefined, false), undefined);
    assert.equal(shown({ host: "10.0.0.5", privateKey: "k" }, true), "[secret]");
    assert.equal(shown(UNKNOWN, false), "[unknown]");
    assert.equal(shown([{ mac: UNKNOWN, ip: "10.0.0.9" }], false), '[{"mac":[unknown],"ip":"10.0.0.9"}]');
  });
});

describe("engine stack outputs after up", () => {
  it("prints an output that never became known (its resource failed) as the CLI does, not as the SDK's sentinel", () => {
    assert.equal(shownOutput("10.50.50.19/24"), '"10.50.50.19/24"');
    assert.equal(shownOutput(UNKNOWN), "output<string>");
    assert.equal(shownOutput({ a: UNKNOWN, b: 1 }), '{"a":output<string>,"b":1}');
    assert.ok(!shownOutput([`${UNKNOWN}/24`])!.includes(UNKNOWN), "inside a longer string too");
  });
});
