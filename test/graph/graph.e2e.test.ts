// The graph of real stacks: each example deployed through the engine harness on the lab host, its state file drawn
// as Mermaid and DOT (compared with golden files), as SVG (parsed, naming every object) and as an HTML page
// opened in headless Chromium for a screenshot. The test never writes a golden file: GRAPH_ACTUAL=<dir> saves each
// drawing and stored stack there for review, and a person copies them over the golden files and the fixtures of
// drawings.test.ts (docs/TESTS.md, "Golden files").
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { EngineOptions } from "../../engine/engine";
import { REPO, cleanUp, engine, labOptions, multihostOptions, seedOptions } from "../../lab/harness";
import { lab } from "../../lab/access";
import { sweepHost } from "../../lab/sweep";
import { RUN_PREFIX } from "../../lab/access";
import { main } from "../../provider/graph/cli";
import { asFixture, normalize, ofKind, stored } from "../helpers/graph";

const P = RUN_PREFIX;
const GOLDEN = join(__dirname, "golden");

/** Runs the command as a user would (its file, not standard input); returns what it wrote. */
async function draw(statePath: string, format: string, out: string): Promise<string> {
  assert.equal(await main(["graph", "--from", statePath, "--format", format, "-o", out], () => ""), 0);
  return readFileSync(out, "utf8");
}

function golden(name: string, actual: string): void {
  const path = join(GOLDEN, name);
  const review = process.env.GRAPH_ACTUAL;
  if (review) writeFileSync(join(review, name), actual);
  assert.ok(existsSync(path), `${path} is missing: run with GRAPH_ACTUAL=<dir>, review ${name} there and copy it`);
  assert.equal(actual, readFileSync(path, "utf8"), `${name} differs from the golden file`);
}

const examples: { name: string; options: () => EngineOptions }[] = [
  { name: "seed", options: () => seedOptions(`/tmp/${P}graph-seed.json`) },
  {
    name: "openstack",
    options: () =>
      labOptions(join(REPO, "examples", "openstack"), "openstack", `/tmp/${P}graph-openstack.json`, { namePrefix: P }),
  },
  { name: "multihost", options: () => multihostOptions(`/tmp/${P}graph-multihost.json`) },
];

describe("graph of deployed examples (e2e, lab host over SSH)", function () {
  this.timeout(300_000);
  // Not named with the run prefix: the sweep removes /tmp/<prefix>* files.
  // Made in a hook, not when the file loads: a run that selects none of these tests runs no after hook either.
  let dir = "";
  before(() => (dir = mkdtempSync(join(tmpdir(), "pn-graph-"))));
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  for (const ex of examples) {
    describe(ex.name, () => {
      const o = ex.options();
      before(async () => {
        await engine("up", o);
      });
      after(async () => {
        await cleanUp(o, P);
        if (ex.name === "multihost") for (const h of lab().hosts) sweepHost(h, P);
      });

      it("draws Mermaid and DOT equal to the golden files", async () => {
        const rs = stored(o.statePath);
        // The stored stack as the unit test (drawings.test.ts) draws it, for review beside the drawings.
        if (process.env.GRAPH_ACTUAL)
          writeFileSync(join(process.env.GRAPH_ACTUAL, `${ex.name}.json`), asFixture(o.statePath, P));
        golden(`${ex.name}.mmd`, normalize(await draw(o.statePath, "mermaid", join(dir, "g.mmd")), rs, P));
        golden(`${ex.name}.dot`, normalize(await draw(o.statePath, "dot", join(dir, "g.dot")), rs, P));
      });

      it("renders SVG that parses as XML and names every namespace, bridge and port", async () => {
        const svg = await draw(o.statePath, "svg", join(dir, "g.svg"));
        assert.equal(XMLValidator.validate(svg), true);
        const rs = stored(o.statePath);
        const names = ["Namespace", "OvsBridge", "OvsPort"].flatMap((k) =>
          ofKind(rs, k).map((r) => String(r.outputs.name)),
        );
        assert.ok(names.length >= 9, `${names.length} objects`);
        // The picture's text as a viewer shows it: Graphviz writes "-" as "&#45;".
        const texts: string[] = [];
        const walk = (v: unknown): void => {
          if (typeof v === "string") texts.push(v);
          else if (v && typeof v === "object") Object.values(v).forEach(walk);
        };
        walk(new XMLParser({ ignoreAttributes: true, htmlEntities: true }).parse(svg));
        const shown = texts.join("\n");
        assert.deepEqual(
          names.filter((n) => !shown.includes(n)),
          [],
          "missing from the picture",
        );
        assert.doesNotMatch(svg, /privateKey|BEGIN OPENSSH/);
      });

      it("writes one self-contained HTML page that headless Chromium opens and screenshots", async () => {
        const html = await draw(o.statePath, "html", join(dir, `${ex.name}.html`));
        assert.doesNotMatch(html, /<script|<link|\ssrc=|url\(/, "nothing loaded from elsewhere");
        const rs = stored(o.statePath);
        for (const r of ofKind(rs, "Namespace"))
          assert.match(
            html,
            new RegExp(`<td>Namespace</td><td>[^<]*</td><td>[^<]*</td><td>[^<]*name=${String(r.outputs.name)}[ <]`),
          );
        const png = join(process.env.KEEP_SCREENSHOTS ?? dir, `${ex.name}.png`);
        execFileSync(
          "chromium",
          [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            `--screenshot=${png}`,
            "--window-size=1600,1600",
            `file://${join(dir, `${ex.name}.html`)}`,
          ],
          { stdio: "ignore", timeout: 60_000 },
        );
        const shot = readFileSync(png);
        assert.equal(shot.subarray(1, 4).toString(), "PNG");
        assert.ok(shot.length > 20_000, `a screenshot of ${shot.length} bytes is too small to hold the picture`);
      });
    });
  }
});
