// Secrets: a canary key and password never show in the serialized provider, in any error (dial, auth, key, command) or in the host's log.
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { makeProvider } from "../../provider/dynamic/provider";
import { ProviderHost } from "../../engine/provider-host";
import { REPO } from "../../lab/harness";
import { RUN_PREFIX, lab, labConnection } from "../../lab/access";

describe("secrets never leak (through the real provider host)", function () {
  this.timeout(120_000);
  const password = `canary-pw-${randomBytes(8).toString("hex")}`;
  let dir: string;
  let canaryKey: string;
  let keyBody: string;
  let provider: string;
  let host: ProviderHost;
  const errors: string[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "pn-secrets-"));
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(dir, "canary")]);
    canaryKey = readFileSync(join(dir, "canary"), "utf8");
    keyBody = canaryKey.split("\n")[1];
    // The serialized provider itself is checked for key material in seed-mocks.test.ts.
    const p = makeProvider("Namespace");
    provider = (await pulumi.runtime.serializeFunction(() => p)).text;
    host = await ProviderHost.start(REPO, { captureStderr: true });
  });
  after(async () => {
    await host?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs check and create as the engine would; returns the error text the user would see. */
  async function createError(connection: Record<string, unknown>, name = `${RUN_PREFIX}sec`): Promise<string> {
    const urn = "urn:pulumi:test::p::pulumi-nodejs:dynamic/netns:Namespace::sec";
    const checked = await host.check(urn, {}, { name, connection, __provider: provider });
    assert.deepEqual(checked.failures, []);
    try {
      await host.create(urn, checked.inputs);
    } catch (e) {
      errors.push((e as Error).message);
      return (e as Error).message;
    }
    throw new Error("create was expected to fail");
  }

  it("a failed dial names the target only", async () => {
    const msg = await createError({
      host: "127.0.0.1",
      port: 1,
      privateKey: canaryKey,
      password,
      dialErrorLimit: 1,
      hostKey: lab().hostKey,
    });
    assert.match(msg, /cannot connect to root@127\.0\.0\.1:1: connect ECONNREFUSED/);
  });

  it("failed authentication names the methods only", async () => {
    const msg = await createError({ ...labConnection(), privateKey: canaryKey, password, dialErrorLimit: 1 });
    assert.match(msg, /authentication failed for root@127\.0\.0\.1:\d+ \(methods tried: publickey, password\)/);
  });

  it("an unusable key says why without quoting it", async () => {
    const broken = canaryKey.replace(keyBody, keyBody.slice(0, 20));
    const msg = await createError({ ...labConnection(), privateKey: broken, password, dialErrorLimit: 1 });
    assert.match(msg, /cannot use the privateKey for root@127\.0\.0\.1:\d+/);
  });

  it("a failed command shows what failed, not the connection", async () => {
    const taken = `${RUN_PREFIX}sec`;
    execFileSync("ip", ["netns", "add", taken]);
    try {
      const msg = await createError({ ...labConnection(), password }, taken);
      assert.match(msg, /namespace "pn.*sec" already exists and was not made by this resource/);
    } finally {
      execFileSync("ip", ["netns", "del", taken]);
    }
  });

  it("no canary in any error or in the host's log", () => {
    const everything = errors.join("\n") + host.log;
    assert.ok(errors.length >= 3);
    for (const canary of [keyBody, keyBody.slice(10, 40), password, "PRIVATE KEY"]) {
      assert.ok(!everything.includes(canary), `leaked ${canary.slice(0, 12)}...`);
    }
  });
});
