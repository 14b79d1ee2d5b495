// docs/REFERENCE.md is what `npm run docs` writes from the code now: a field added, renamed or documented anew without
// running it fails here.
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { REFERENCE, reference } from "../../scripts/reference";

describe("docs/REFERENCE.md", () => {
  it("is up to date with the fields' doc comments and schemas (run npm run docs)", function () {
    this.timeout(60000);
    const text = reference();
    for (const kind of ["Namespace", "OvsPort", "DhcpServer", "Probe", "Network", "Router"])
      assert.match(text, new RegExp(`^## ${kind}( \\(component\\))?$`, "m"), kind);
    assert.match(text, /\| `tag` \| `number` \| {2}\| update \| The access VLAN \(1-4094\)\. \|/);
    assert.equal(readFileSync(REFERENCE, "utf8"), text, "docs/REFERENCE.md is out of date: run npm run docs");
  });
});
