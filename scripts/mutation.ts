// `npm run mutation` ends here: Stryker's report read back (or several, named as arguments), per-file scores, the
// survivors, and one score line. Survivors listed in test/mutation/equivalent.json (with why no test can tell them
// apart) are counted apart.
import { readFileSync } from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");
const REPORT = path.join(ROOT, ".stryker-tmp", "report.json");
const EQUIVALENT = path.join(ROOT, "test", "mutation", "equivalent.json");

interface Mutant {
  mutatorName: string;
  replacement?: string;
  status: string;
  location: { start: { line: number; column: number } };
}
interface Report {
  files: Record<string, { source: string; mutants: Mutant[] }>;
}
/** A surviving mutant no test can tell from the code: named by file, mutator, the line as written and the change. */
export interface Equivalent {
  file: string;
  mutator: string;
  line: string;
  replacement: string;
  reason: string;
}

const DETECTED = new Set(["Killed", "Timeout"]);
const UNDETECTED = new Set(["Survived", "NoCoverage"]);

export const score = (detected: number, undetected: number) =>
  detected + undetected === 0 ? 100 : (100 * detected) / (detected + undetected);

/** Whether a listed equivalent is this mutant. */
const isListed = (e: Equivalent, file: string, m: Mutant, lineText: string) =>
  e.file === file && e.mutator === m.mutatorName && e.line === lineText && e.replacement === (m.replacement ?? "");

/** Reports named on the command line (runs of part of the modules), merged; else the last run's. */
function readReports(paths: string[]): Report {
  const files: Report["files"] = {};
  for (const p of paths.length ? paths : [REPORT])
    Object.assign(files, (JSON.parse(readFileSync(p, "utf8")) as Report).files);
  return { files };
}

function main(): number {
  const report = readReports(process.argv.slice(2));
  const equivalents = JSON.parse(readFileSync(EQUIVALENT, "utf8")) as Equivalent[];
  const matched = new Set<Equivalent>();
  let [detected, undetected] = [0, 0];
  const rows: string[] = [];
  for (const [file, { source, mutants }] of Object.entries(report.files).sort()) {
    const lines = source.split("\n");
    let [d, u] = [0, 0];
    for (const m of mutants) {
      if (DETECTED.has(m.status)) d++;
      else if (UNDETECTED.has(m.status)) {
        u++;
        const text = lines[m.location.start.line - 1].trim();
        const listed = equivalents.find((e) => isListed(e, file, m, text));
        if (listed) matched.add(listed);
        else
          console.log(
            `${m.status} ${file}:${m.location.start.line}:${m.location.start.column} ${m.mutatorName}\n` +
              `    ${text}\n    -> ${(m.replacement ?? "").split("\n").join(" ")}`,
          );
      }
    }
    detected += d;
    undetected += u;
    rows.push(`${score(d, u).toFixed(2).padStart(7)}%  ${String(d + u).padStart(4)} mutants  ${file}`);
  }
  console.log(`\nBy file (killed or timed out, of the mutants that ran or could have):\n${rows.join("\n")}`);
  // Only for the files this report mutated: a run of part of the modules says nothing of the others.
  const stale = equivalents.filter((e) => e.file in report.files && !matched.has(e));
  if (stale.length) console.log(`\nListed as equivalent but not surviving (remove them):\n${JSON.stringify(stale)}`);
  console.log(
    `\n${matched.size} surviving mutants are listed as equivalent, with reasons, in test/mutation/equivalent.json`,
  );
  console.log(`mutation score: ${score(detected, undetected).toFixed(2)}%`);
  return stale.length ? 1 : 0;
}

if (require.main === module) process.exitCode = main();
