// The Namespace Pulumi resource: a Linux network namespace (ip netns).
import * as pulumi from "@pulumi/pulumi";
import { ArgsOf, OutputsOf } from "../dynamic/fields";
import { NetnsResource } from "../dynamic/resource";
import { WithConnection } from "../host/placement";
import { namespaceFields, namespaceOutputs } from "./schema";

export interface NamespaceArgs extends ArgsOf<typeof namespaceFields>, WithConnection {}

// The outputs are declared by the fields (docs/ARCHITECTURE.md, "Fields"); Pulumi sets them at run time.
export interface Namespace extends OutputsOf<typeof namespaceFields, typeof namespaceOutputs> {}

/** A network namespace. Delete refuses while processes run inside unless `killProcesses` is set. */
export class Namespace extends NetnsResource {
  constructor(name: string, args: NamespaceArgs, opts?: pulumi.CustomResourceOptions) {
    super("Namespace", namespaceFields, namespaceOutputs, name, args, opts);
  }
}
