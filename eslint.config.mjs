// Lint rules for the whole tree: eslint's recommended set plus typescript-eslint's.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", ".lab/", ".stryker-tmp/", ".coverage/", "**/*.js", "!eslint.config.mjs"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // The engine harness speaks untyped generated protobuf and gRPC code.
    files: ["engine/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    // Each resource class merges with an interface that declares its outputs, which Pulumi sets at run time
    // (docs/ARCHITECTURE.md, "Fields").
    files: ["provider/*/resource.ts"],
    rules: { "@typescript-eslint/no-unsafe-declaration-merging": "off" },
  },
  {
    rules: {
      "@typescript-eslint/no-require-imports": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      // That interface only extends the derived outputs type.
      "@typescript-eslint/no-empty-object-type": ["error", { allowInterfaces: "with-single-extends" }],
    },
  },
);
