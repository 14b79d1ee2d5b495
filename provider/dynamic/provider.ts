// Makes the tiny provider object Pulumi serializes into state: it only names the kind and requires the real code.
import type * as pulumi from "@pulumi/pulumi";

/**
 * The returned object is serialized as code (shared DESIGN.md section 4): it must capture nothing but
 * `kind`, and load the implementation by package name when called, so state stays small, holds no
 * secret, and keeps working as the implementation evolves.
 */
export function makeProvider(kind: string): pulumi.dynamic.ResourceProvider {
  // One object per kind: Pulumi caches serialized providers by object, so N resources serialize once.
  let provider = providers.get(kind);
  if (!provider) {
    provider = build(kind);
    providers.set(kind, provider);
  }
  return provider;
}

const providers = new Map<string, pulumi.dynamic.ResourceProvider>();

function build(kind: string): pulumi.dynamic.ResourceProvider {
  const impl = () => require("pulumi-netns/dynamic/host") as typeof import("./host");
  return {
    check: (olds, news) => impl().check(kind, olds, news),
    diff: (_id, olds, news) => impl().diff(kind, olds, news),
    create: (inputs) => impl().create(kind, inputs),
    read: (id, props) => impl().read(kind, id, props),
    update: (_id, olds, news) => impl().update(kind, olds, news),
    delete: (_id, props) => impl().remove(kind, props),
  };
}
