// The Namespace Pulumi resource: a Linux network namespace (ip netns).
import * as pulumi from "@pulumi/pulumi";
import { NetnsResource, WithConnection } from "../dynamic/resource";

export interface NamespaceArgs extends WithConnection {
  /** The namespace name, as `ip netns add` takes it (e.g. "red", "qdhcp-<uuid>"). Changing it replaces the namespace. */
  name: pulumi.Input<string>;
  /** Bring the namespace's loopback interface up. Defaults to true. */
  loopbackUp?: pulumi.Input<boolean>;
  /** On delete, stop processes still running inside (TERM, then KILL) instead of failing. Defaults to false. */
  killProcesses?: pulumi.Input<boolean>;
}

/** A network namespace. Delete refuses while processes run inside unless `killProcesses` is set. */
export class Namespace extends NetnsResource {
  declare readonly name: pulumi.Output<string>;
  declare readonly loopbackUp: pulumi.Output<boolean>;
  declare readonly killProcesses: pulumi.Output<boolean>;

  constructor(name: string, args: NamespaceArgs, opts?: pulumi.CustomResourceOptions) {
    super("Namespace", name, args, ["loopbackUp", "killProcesses"], opts);
  }
}
