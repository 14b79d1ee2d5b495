// The Sysctl Pulumi resource: one kernel setting inside a namespace (e.g. forwarding on in a router namespace).
import * as pulumi from "@pulumi/pulumi";
import { ArgsOf, OutputsOf } from "../dynamic/fields";
import { NetnsResource } from "../dynamic/resource";
import { WithConnection } from "../host/placement";
import { sysctlFields, sysctlOutputs } from "./schema";

export interface SysctlArgs extends ArgsOf<typeof sysctlFields>, WithConnection {}

// The outputs are declared by the fields (docs/ARCHITECTURE.md, "Fields"); Pulumi sets them at run time.
export interface Sysctl extends OutputsOf<typeof sysctlFields, typeof sysctlOutputs> {}

/**
 * A setting under net. in a named namespace (never the host's own): create records the value it finds and sets
 * its own, refresh reports a value changed by hand, and delete puts the value it found back.
 */
export class Sysctl extends NetnsResource {
  constructor(name: string, args: SysctlArgs, opts?: pulumi.CustomResourceOptions) {
    super("Sysctl", sysctlFields, sysctlOutputs, name, args, opts);
  }
}
