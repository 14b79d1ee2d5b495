// @pulumi/command's remote connection type is accepted as-is by our resources' `connection`: one connection
// object serves both `remote.Command` and pulumi-netns. The assignments are checked by `npm run typecheck`.
import { strict as assert } from "node:assert";
import type { types } from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import type { DhcpClientArgs, NamespaceArgs, OvsBridgeArgs } from "../../provider";
import { connectionSchema } from "../../provider";

type CommandConnection = types.input.remote.ConnectionArgs;

/** A connection as a program using @pulumi/command would declare it, every field an input. */
const shared: CommandConnection = {
  host: "10.0.0.5",
  port: 2222,
  user: "netops",
  privateKey: pulumi.secret("-----BEGIN OPENSSH PRIVATE KEY-----\n..."),
  hostKey: "SHA256:abc",
  dialErrorLimit: 3,
  perDialTimeout: 10,
  proxy: { host: "jump.example", user: "jump", privateKey: "key" },
};

// The same object, and an output of it, where our resources take their connection.
export const asArgs: NamespaceArgs = { name: "red", connection: shared };
export const asOutput: OvsBridgeArgs = { name: "OVS1", connection: pulumi.output(shared) };
export const asInput: DhcpClientArgs = {
  namespace: "red",
  device: "eth0",
  connection: shared as pulumi.Input<CommandConnection>,
};

describe("a @pulumi/command remote connection", () => {
  it("passes our connection schema as plain values, field names and all", () => {
    const plain = { ...shared, privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\n..." };
    const parsed = connectionSchema.safeParse(plain);
    assert.ok(parsed.success, JSON.stringify(parsed.error?.issues));
    assert.equal(parsed.data.proxy?.host, "jump.example");
  });
});
