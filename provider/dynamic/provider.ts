// Makes the tiny provider object Pulumi serializes into state: it only names the kind and requires the real code.
import type * as pulumi from "@pulumi/pulumi";

/**
 * The provider of a kind. It is the whole export of its own module (kinds/<kind>), so that once the package is
 * installed under node_modules Pulumi serializes it as `require("pulumi-netns/dynamic/kinds/<kind>")`, a
 * few hundred bytes sent with every call and stored with every resource (shared DESIGN.md section 4). The
 * module cache also makes it one object per kind, which Pulumi serializes once.
 */
export function makeProvider(kind: string): pulumi.dynamic.ResourceProvider {
  if (!/^[A-Za-z]+$/.test(kind)) throw new Error(`pulumi-netns has no resource kind "${kind}"`);
  return require(`./kinds/${kind}`) as pulumi.dynamic.ResourceProvider;
}

/**
 * Where the package is not under node_modules (this repository), the object is serialized as code: it must
 * capture nothing but `kind`, and load the implementation by package name when called, so state holds no
 * secret and keeps working as the implementation evolves.
 */
export function buildProvider(kind: string): pulumi.dynamic.ResourceProvider {
  // The code is loaded with an empty file name, so a plain require would not see the package from inside its own
  // checkout; a require made for the project directory resolves it by self-reference (package.json "exports")
  // there, and through node_modules anywhere else (docs/ARCHITECTURE.md).
  // Loaded once per process and kept under a global symbol (this code captures nothing it could keep it in): a
  // require made for each call costs more than the check or diff it serves.
  const impl = (): typeof import("./host") => {
    const at = globalThis as { [key: symbol]: typeof import("./host") | undefined };
    const key = Symbol.for("pulumi-netns.dynamic.host");
    return (at[key] ??= (require("node:module") as typeof import("node:module")).createRequire(`${process.cwd()}/`)(
      "pulumi-netns/dynamic/host",
    ) as typeof import("./host"));
  };
  return {
    check: (olds, news) => impl().check(kind, olds, news),
    diff: (_id, olds, news) => impl().diff(kind, olds, news),
    create: (inputs) => impl().create(kind, inputs),
    read: (id, props) => impl().read(kind, id, props),
    update: (_id, olds, news) => impl().update(kind, olds, news),
    delete: (_id, props) => impl().remove(kind, props),
  };
}
