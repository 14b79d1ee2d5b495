// `npm run docs`: writes docs/REFERENCE.md, every input and output of every resource and component, from the code.
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { z } from "zod";
import { KINDS, definition } from "../provider/registry";
import { diffTable, oldNames } from "../provider/dynamic/fields";

const ROOT = path.resolve(__dirname, "..");
export const REFERENCE = path.join(ROOT, "docs", "REFERENCE.md");
/** Inputs every resource takes, documented once at the top. */
const COMMON = ["host", "connection", "adopt"];

type Json = {
  type?: string | string[];
  enum?: unknown[];
  items?: Json;
  properties?: Record<string, Json>;
  anyOf?: Json[];
  default?: unknown;
  const?: unknown;
};

/** A JSON schema as a short TypeScript-like type: `string`, `"a" | "b"`, `number[]`, `{ port: number }`. */
function typeText(s: Json): string {
  if (s.anyOf) return s.anyOf.map(typeText).join(" | ");
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(" | ");
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.type === "array") return `${s.items ? typeText(s.items) : "unknown"}[]`;
  if (s.type === "object" && s.properties)
    return `{ ${Object.entries(s.properties)
      .map(([k, v]) => `${k}: ${typeText(v)}`)
      .join("; ")} }`;
  if (s.type === "object") return "Record<string, string>";
  if (s.type === "integer") return "number";
  return Array.isArray(s.type) ? s.type.join(" | ") : (s.type ?? "unknown");
}

const cell = (s: string) =>
  s
    .replace(/\|/g, "\\|")
    .replace(/\s*\n\s*/g, " ")
    .trim();

/** The package's public classes with their args' and outputs' doc comments, read from the source. */
function classes() {
  const program = ts.createProgram([path.join(ROOT, "provider", "index.ts")], {
    strict: true,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    skipLibCheck: true,
    types: ["node"],
  });
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(path.join(ROOT, "provider", "index.ts"))!)!;
  const doc = (s: ts.Symbol) => ts.displayPartsToString(s.getDocumentationComment(checker)).trim();
  const fromPulumi = (p: ts.Symbol) =>
    (p.declarations ?? []).every((d) => d.getSourceFile().fileName.includes("/node_modules/@pulumi/"));
  const unwrap = (t: string) => t.replace(/(pulumi\.)?(Input|OutputInstance|Output)<([^<>]*(<[^<>]*>[^<>]*)*)>/g, "$3");
  return checker
    .getExportsOfModule(moduleSymbol)
    .map((s) => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s))
    .filter((s) => (s.flags & ts.SymbolFlags.Class) !== 0)
    .map((cls) => {
      const [ctor] = checker.getTypeOfSymbol(cls).getConstructSignatures();
      const args = checker.getTypeOfSymbol(ctor.getParameters()[1]);
      const instance = checker.getDeclaredTypeOfSymbol(cls);
      const prop = (p: ts.Symbol) => ({
        name: p.name,
        doc: doc(p),
        optional: (p.flags & ts.SymbolFlags.Optional) !== 0,
        type: unwrap(checker.typeToString(checker.getNonNullableType(checker.getTypeOfSymbol(p)))),
      });
      // Args with a renamed input are a union (fields.ts RenamedArgs): every member's inputs, each name once.
      const members = args.isUnion() ? args.types : [args];
      const all = members.flatMap((m) => checker.getPropertiesOfType(m));
      const inputs = all.filter((p, i) => all.findIndex((q) => q.name === p.name) === i).map(prop);
      const outputs = checker
        .getPropertiesOfType(instance)
        .filter((p) => !fromPulumi(p) && !inputs.some((i) => i.name === p.name) && !(p.flags & ts.SymbolFlags.Method))
        .map(prop);
      return { name: cls.name, doc: doc(cls), inputs, outputs };
    });
}

/** A kind's inputs as its schema says them: type, default, and whether a change updates or replaces. */
function kindFields(kind: string) {
  const def = definition(kind);
  const table = diffTable(def.schema.shape);
  return Object.fromEntries(
    Object.entries(def.schema.shape).map(([key, schema]) => {
      const json = z.toJSONSchema(schema as z.ZodType, { io: "input", unrepresentable: "any" }) as Json;
      return [key, { type: typeText(json), default: json.default, change: table[key] }];
    }),
  );
}

export function reference(): string {
  const all = classes().sort((a, b) => a.name.localeCompare(b.name));
  const kinds = all.filter((c) => KINDS.includes(c.name));
  const components = all.filter((c) => !KINDS.includes(c.name));
  const common = kinds[0].inputs.filter((i) => COMMON.includes(i.name));
  const out = [
    "# Reference",
    "",
    "Every input and output of every resource and component, written by `npm run docs` from the fields' doc comments",
    "and schemas (a test fails when this file is out of date). **change** says what a changed input does: `update` in",
    "place, or `replace` the object (a replacement deletes first).",
    "",
    "## Every resource",
    "",
    "| input | type | description |",
    "| --- | --- | --- |",
    ...common.map((i) => `| \`${i.name}\` | \`${cell(i.type)}\` | ${cell(i.doc)} |`),
    "",
    "Every resource also outputs `owner` (its URN, as the marks on its objects carry it) and `generation` (which",
    "create made the object).",
    "",
  ];
  for (const c of kinds) {
    const fields = kindFields(c.name);
    const renamed = oldNames(definition(c.name).schema.shape);
    out.push(`## ${c.name}`, "", ...(c.doc ? [cell(c.doc), ""] : []));
    out.push("| input | type | default | change | description |", "| --- | --- | --- | --- | --- |");
    // In the order the kind declares its fields, an old name after the field it names.
    const order = (name: string) => {
      const at = Object.keys(fields).indexOf(fields[name] ? name : (renamed[name] ?? ""));
      return at < 0 ? Infinity : at + (fields[name] ? 0 : 0.5);
    };
    const inputs = c.inputs.filter((x) => !COMMON.includes(x.name)).sort((a, b) => order(a.name) - order(b.name));
    for (const i of inputs) {
      const f = fields[i.name] ?? fields[renamed[i.name]];
      const def = renamed[i.name]
        ? ""
        : f?.default === undefined
          ? i.optional
            ? ""
            : "required"
          : `\`${JSON.stringify(f.default)}\``;
      out.push(`| \`${i.name}\` | \`${cell(f?.type ?? i.type)}\` | ${def} | ${f?.change ?? ""} | ${cell(i.doc)} |`);
    }
    const computed = c.outputs.filter((o) => !["owner", "generation"].includes(o.name));
    if (computed.length) {
      out.push("", "| output | type | description |", "| --- | --- | --- |");
      for (const o of computed) out.push(`| \`${o.name}\` | \`${cell(o.type)}\` | ${cell(o.doc)} |`);
    }
    out.push("");
  }
  for (const c of components) {
    out.push(`## ${c.name} (component)`, "", ...(c.doc ? [cell(c.doc), ""] : []));
    out.push("| input | type | required | description |", "| --- | --- | --- | --- |");
    for (const i of c.inputs)
      out.push(`| \`${i.name}\` | \`${cell(i.type)}\` | ${i.optional ? "" : "yes"} | ${cell(i.doc)} |`);
    if (c.outputs.length) {
      out.push("", "| output | type | description |", "| --- | --- | --- |");
      for (const o of c.outputs) out.push(`| \`${o.name}\` | \`${cell(o.type)}\` | ${cell(o.doc)} |`);
    }
    out.push("");
  }
  return out.join("\n");
}

if (require.main === module) writeFileSync(REFERENCE, reference());
