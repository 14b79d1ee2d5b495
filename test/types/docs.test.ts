// Every input and output a user sees through the built package's declaration files carries its doc comment: the
// fields are declared once (docs/ARCHITECTURE.md, "Fields") and the derived Args and outputs must keep their docs.
import { strict as assert } from "node:assert";
import * as path from "node:path";
import ts from "typescript";

const ROOT = path.resolve(__dirname, "../..");
const CONSUMER = path.join(ROOT, "test/types/__consumer__.ts");
const SOURCE = `import * as netns from "pulumi-netns";
export type Connection = netns.ConnectionArgs;
export type Jump = NonNullable<netns.ConnectionInput["proxy"]>;
export type Lease = netns.StaticHost;
export type Option = netns.ExtraOption;
`;

/** A program that sees the package as a user does: through dist's declaration files only. */
function consumer() {
  const options: ts.CompilerOptions = {
    strict: true,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    baseUrl: ROOT,
    paths: { "pulumi-netns": ["./dist/provider/index.d.ts"] },
    types: ["node"],
    skipLibCheck: true,
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, lang, ...rest) =>
    file === CONSUMER ? ts.createSourceFile(file, SOURCE, lang) : getSourceFile(file, lang, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (file) => file === CONSUMER || fileExists(file);
  const program = ts.createProgram([CONSUMER], options, host);
  const errors = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  assert.deepEqual(errors, []);
  const checker = program.getTypeChecker();
  const file = program.getSourceFile(CONSUMER)!;
  const moduleSymbol = checker.getSymbolAtLocation((file.statements[0] as ts.ImportDeclaration).moduleSpecifier)!;
  /** The type a consumer's `export type <name> = ...` names. */
  const alias = (name: string) => {
    const decl = file.statements.find(
      (s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === name,
    );
    return checker.getTypeFromTypeNode(decl!.type);
  };
  return { checker, moduleSymbol, alias };
}

/** The properties of a type that have no doc comment. */
function undocumented(checker: ts.TypeChecker, type: ts.Type, ignore: (s: ts.Symbol) => boolean = () => false) {
  const props = checker.getPropertiesOfType(checker.getNonNullableType(type));
  assert.ok(props.length > 0, `${checker.typeToString(type)} has no properties`);
  return props
    .filter((p) => !ignore(p))
    .filter((p) => ts.displayPartsToString(p.getDocumentationComment(checker)).trim() === "")
    .map((p) => p.name);
}

/** A property declared by @pulumi/pulumi (urn, id, ...) rather than by this package. */
const fromPulumi = (p: ts.Symbol) =>
  (p.declarations ?? []).every((d) => d.getSourceFile().fileName.includes("/node_modules/@pulumi/"));

describe("declaration files: every input and output is documented", () => {
  let c: ReturnType<typeof consumer>;
  before(function () {
    this.timeout(60000);
    c = consumer();
  });

  it("every resource's args and outputs", () => {
    const classes = c.checker.getExportsOfModule(c.moduleSymbol).filter((s) => {
      const target = s.flags & ts.SymbolFlags.Alias ? c.checker.getAliasedSymbol(s) : s;
      return (target.flags & ts.SymbolFlags.Class) !== 0;
    });
    assert.ok(classes.length >= 8, classes.map((s) => s.name).join(", "));
    for (const cls of classes) {
      const target = cls.flags & ts.SymbolFlags.Alias ? c.checker.getAliasedSymbol(cls) : cls;
      const ctorType = c.checker.getTypeOfSymbol(target);
      const [ctor] = ctorType.getConstructSignatures();
      const args = c.checker.getTypeOfSymbol(ctor.getParameters()[1]);
      assert.deepEqual(undocumented(c.checker, args), [], `${cls.name} args`);
      const instance = c.checker.getDeclaredTypeOfSymbol(target);
      assert.deepEqual(undocumented(c.checker, instance, fromPulumi), [], `${cls.name} outputs`);
      // Every input of a resource is readable as an output (components output what users wire on); where it runs and
      // whether its create adopts are not state.
      const outputs = new Set(c.checker.getPropertiesOfType(instance).map((p) => p.name));
      if (outputs.has("registerOutputs")) continue;
      const missing = c.checker
        .getPropertiesOfType(args)
        .filter((p) => !["connection", "host", "adopt"].includes(p.name) && !outputs.has(p.name));
      assert.deepEqual(
        missing.map((p) => p.name),
        [],
        `${cls.name} inputs without an output`,
      );
    }
  });

  it("the connection, the jump host's fields and nested objects", () => {
    for (const name of ["Connection", "Jump", "Lease", "Option"]) {
      const decl = c.alias(name);
      assert.deepEqual(undocumented(c.checker, decl), [], name);
    }
  });
});
