// The Process Pulumi resource: a long-running command in a namespace (a server in an instance, say).
import * as pulumi from "@pulumi/pulumi";
import { ArgsOf, OutputsOf } from "../dynamic/fields";
import { NetnsResource } from "../dynamic/resource";
import { WithConnection } from "../host/placement";
import { processFields, processOutputs } from "./schema";

export interface ProcessArgs extends ArgsOf<typeof processFields>, WithConnection {}

// The outputs are declared by the fields (docs/ARCHITECTURE.md, "Fields"); Pulumi sets them at run time.
export interface Process extends OutputsOf<typeof processFields, typeof processOutputs> {}

/**
 * A command kept running inside a namespace, in its own session, with its output in a log file under
 * /run/pulumi-netns/process/. Create fails (with the log's last lines) when the command exits at once or, with
 * `readyTcpPort`, does not listen in time. Refresh reads a process that died (or whose pid now runs something
 * else) as gone, and the next up starts it again; delete stops it and everything it started.
 */
export class Process extends NetnsResource {
  constructor(name: string, args: ProcessArgs, opts?: pulumi.CustomResourceOptions) {
    super("Process", processFields, processOutputs, name, args, opts);
  }
}
