// Host-key policy: fingerprints as ssh-keygen prints them, pins, and known_hosts (plain, [host]:port, hashed, wildcard, revoked).
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkKnownHosts, fingerprint, hostName, keyType, verifyHostKey } from "../../provider/transport/hostkeys";

describe("transport/hostkeys", () => {
  let dir: string;
  let line: string;
  let blob: Buffer;
  let other: Buffer;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "pn-hostkeys-"));
    for (const name of ["a", "b"]) execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(dir, name)]);
    line = readFileSync(join(dir, "a.pub"), "utf8").trim();
    blob = Buffer.from(line.split(" ")[1], "base64");
    other = Buffer.from(readFileSync(join(dir, "b.pub"), "utf8").split(" ")[1], "base64");
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("computes the fingerprint ssh-keygen -l prints", () => {
    const printed = execFileSync("ssh-keygen", ["-l", "-f", join(dir, "a.pub")])
      .toString()
      .split(" ")[1];
    assert.equal(fingerprint(blob), printed);
    assert.equal(keyType(blob), "ssh-ed25519");
  });

  it("names non-22 ports the known_hosts way", () => {
    assert.equal(hostName("10.1.1.1", 22), "10.1.1.1");
    assert.equal(hostName("10.1.1.1", 2222), "[10.1.1.1]:2222");
  });

  it("accepts a pinned key line or fingerprint and refuses another key, naming the offered fingerprint", () => {
    const base = { host: "h", port: 22, strictHostKeyChecking: true };
    assert.equal(verifyHostKey({ ...base, hostKey: line }, blob), undefined);
    assert.equal(verifyHostKey({ ...base, hostKey: fingerprint(blob) }, blob), undefined);
    const why = verifyHostKey({ ...base, hostKey: line }, other);
    assert.ok(why?.includes(fingerprint(other)), why);
    assert.equal(verifyHostKey({ ...base, hostKey: line, strictHostKeyChecking: false }, other), undefined);
  });

  it("checks plain, bracketed, wildcard and hashed known_hosts entries", () => {
    const key = line.split(" ").slice(0, 2).join(" ");
    assert.equal(checkKnownHosts(`h1,h2 ${key}`, "h2", blob), "ok");
    assert.equal(checkKnownHosts(`[h1]:2222 ${key}`, "[h1]:2222", blob), "ok");
    assert.equal(checkKnownHosts(`[h1]:2222 ${key}`, "h1", blob), "unknown");
    assert.equal(checkKnownHosts(`*.lab,!bad.lab ${key}`, "x.lab", blob), "ok");
    assert.equal(checkKnownHosts(`*.lab,!bad.lab ${key}`, "bad.lab", blob), "unknown");
    assert.equal(checkKnownHosts(`h1 ${key}`, "h1", other), "mismatch");
    assert.equal(checkKnownHosts(`@revoked h1 ${key}\nh1 ${key}`, "h1", blob), "revoked");
    assert.equal(checkKnownHosts(`# comment\n\n`, "h1", blob), "unknown");

    const file = join(dir, "known_hosts");
    writeFileSync(file, `[10.9.9.9]:2200 ${key}\n`);
    execFileSync("ssh-keygen", ["-q", "-H", "-f", file], { stdio: "ignore" });
    const hashed = readFileSync(file, "utf8");
    assert.ok(hashed.startsWith("|1|"), "ssh-keygen -H hashed the entry");
    assert.equal(checkKnownHosts(hashed, "[10.9.9.9]:2200", blob), "ok");
    assert.equal(checkKnownHosts(hashed, "[10.9.9.8]:2200", blob), "unknown");
  });

  it("explains an unknown host with the fingerprint to pin", () => {
    const why = verifyHostKey(
      { host: "h", port: 22, strictHostKeyChecking: true, knownHostsFile: join(dir, "none") },
      blob,
    );
    assert.match(why ?? "", /not in .*none\. Pin it with hostKey: "SHA256:/);
  });
});
