// The graph's model and its Mermaid and DOT drawings, without a host: the three examples' stacks as the harness
// stored them (test/graph/fixtures, secrets redacted, names prefixed "P-") drawn equal to the golden files the e2e
// test also compares live stacks with.
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { toDot } from "../../provider/graph/dot";
import { toMermaid } from "../../provider/graph/mermaid";
import { topology } from "../../provider/graph/model";
import { resourcesOf, parseJson } from "../../provider/graph/state";
import { normalize, stored } from "../helpers/graph";

const FIXTURES = join(__dirname, "fixtures");
const GOLDEN = join(__dirname, "golden");

describe("graph drawings of stored stacks", () => {
  for (const name of ["seed", "openstack", "multihost"]) {
    it(`draws ${name} as its golden Mermaid and DOT`, () => {
      const path = join(FIXTURES, `${name}.json`);
      const t = topology(resourcesOf(parseJson(readFileSync(path, "utf8"), path), path));
      const rs = stored(path);
      assert.equal(normalize(toMermaid(t), rs, "P-"), readFileSync(join(GOLDEN, `${name}.mmd`), "utf8"));
      assert.equal(normalize(toDot(t), rs, "P-"), readFileSync(join(GOLDEN, `${name}.dot`), "utf8"));
    });
  }
});
