// Stack config shared by the examples: where to deploy (a connection, or this machine) and a name prefix.
import * as pulumi from "@pulumi/pulumi";
import { ConnectionArgs } from "pulumi-netns";

const cfg = new pulumi.Config();

/** The connection from stack config; no `host` in the config means: deploy on the machine that runs the program. */
export function connectionFromConfig(): pulumi.Input<ConnectionArgs> | undefined {
  const host = cfg.get("host");
  if (!host) return undefined;
  return {
    host,
    port: cfg.getNumber("port") ?? 22,
    user: cfg.get("user") ?? "root",
    privateKey: cfg.getSecret("privateKey"),
    hostKey: cfg.get("hostKey"),
    sudo: cfg.getBoolean("sudo") ?? false,
  };
}

/** Prepended to every kernel and OVS name, so several copies (e.g. tests) can share a host. */
export const namePrefix = cfg.get("namePrefix") ?? "";
