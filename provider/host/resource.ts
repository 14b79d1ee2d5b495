// The Host Pulumi resource: a host made ready for the other resources, which take it as `host`.
import * as pulumi from "@pulumi/pulumi";
import { ArgsOf, OutputsOf } from "../dynamic/fields";
import { NetnsResource, OnConnection } from "../dynamic/resource";
import { hostFields, hostOutputs } from "./schema";

export interface HostArgs extends ArgsOf<typeof hostFields>, OnConnection {}

// The outputs are declared by the fields (docs/ARCHITECTURE.md, "Fields"); Pulumi sets them at run time.
export interface Host extends OutputsOf<typeof hostFields, typeof hostOutputs> {}

/**
 * A host (this machine, or one reached by `connection`) checked for what the program needs and, with `install`,
 * made to have it. Other resources take it as `host`: they get its connection and are made only once it is ready.
 */
export class Host extends NetnsResource {
  constructor(name: string, args: HostArgs, opts?: pulumi.CustomResourceOptions) {
    super("Host", hostFields, hostOutputs, name, args, opts);
  }
}
