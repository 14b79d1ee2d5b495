// The Probe Pulumi resource: a connectivity expectation that up proves and refresh checks again.
import * as pulumi from "@pulumi/pulumi";
import { ArgsOf, OutputsOf } from "../dynamic/fields";
import { NetnsResource } from "../dynamic/resource";
import { WithConnection } from "../host/placement";
import { probeFields, probeOutputs } from "./schema";

export interface ProbeArgs extends ArgsOf<typeof probeFields>, WithConnection {}

// The outputs are declared by the fields (docs/ARCHITECTURE.md, "Fields"); Pulumi sets them at run time.
export interface Probe extends OutputsOf<typeof probeFields, typeof probeOutputs> {}

/**
 * "From this namespace, that address answers (or never does)": up fails naming the probe when what it sees differs
 * from `expect`, and refresh reports it as changed once the path breaks (`pulumi refresh --expect-no-changes`
 * fails then). It makes nothing on the host; preview sends nothing.
 */
export class Probe extends NetnsResource {
  constructor(name: string, args: ProbeArgs, opts?: pulumi.CustomResourceOptions) {
    super("Probe", probeFields, probeOutputs, name, args, opts);
  }
}
