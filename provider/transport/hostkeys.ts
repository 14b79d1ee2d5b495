// Host-key policy: a pinned key or fingerprint, else ~/.ssh/known_hosts; never a silent accept.
import { createHash, createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** "SHA256:<base64>" as ssh-keygen -l prints it. */
export function fingerprint(keyBlob: Buffer): string {
  return "SHA256:" + createHash("sha256").update(keyBlob).digest("base64").replace(/=+$/, "");
}

/** The algorithm name inside an SSH public key blob (uint32 length + name). */
export function keyType(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return "unknown";
  const len = keyBlob.readUInt32BE(0);
  return keyBlob.subarray(4, 4 + len).toString("latin1");
}

export interface HostKeyPolicy {
  host: string;
  port: number;
  hostKey?: string;
  strictHostKeyChecking: boolean;
  knownHostsFile?: string;
}

/** Why a key was refused, or undefined when it is accepted. */
export function verifyHostKey(policy: HostKeyPolicy, keyBlob: Buffer): string | undefined {
  if (!policy.strictHostKeyChecking) return undefined;
  const offered = `the host offered a ${keyType(keyBlob)} key with fingerprint ${fingerprint(keyBlob)}`;
  if (policy.hostKey) {
    return pinMatches(policy.hostKey, keyBlob)
      ? undefined
      : `${offered}, which does not match the pinned hostKey. If the host was rebuilt, check the new key out of band and pin it.`;
  }
  const file = policy.knownHostsFile ?? join(homedir(), ".ssh", "known_hosts");
  const verdict = checkKnownHosts(readKnownHosts(file), hostName(policy.host, policy.port), keyBlob);
  if (verdict === "ok") return undefined;
  if (verdict === "revoked") return `${offered}, which ${file} marks @revoked.`;
  if (verdict === "mismatch") {
    return `${offered}, which does NOT match the key ${file} holds for this host (it may have been rebuilt, or someone is in the middle).`;
  }
  return `${offered}, which is not in ${file}. Pin it with hostKey: "${fingerprint(keyBlob)}" once you have checked it out of band, or add it to known_hosts.`;
}

function pinMatches(pin: string, keyBlob: Buffer): boolean {
  const trimmed = pin.trim();
  if (trimmed.startsWith("SHA256:")) return trimmed.replace(/=+$/, "") === fingerprint(keyBlob);
  const parts = trimmed.split(/\s+/);
  const b64 = parts.length >= 2 ? parts[1] : parts[0];
  return Buffer.from(b64, "base64").equals(keyBlob);
}

/** The name known_hosts files use: "host" on port 22, "[host]:port" otherwise. */
export function hostName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function readKnownHosts(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

/** Checks a key against known_hosts text (plain, wildcard and hashed entries). */
export function checkKnownHosts(
  text: string,
  name: string,
  keyBlob: Buffer,
): "ok" | "unknown" | "mismatch" | "revoked" {
  let sawHost = false;
  let accepted = false;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    let fields = line.split(/\s+/);
    let marker = "";
    if (fields[0].startsWith("@")) {
      marker = fields[0];
      fields = fields.slice(1);
    }
    if (fields.length < 3 || !hostsMatch(fields[0], name)) continue;
    const same = Buffer.from(fields[2], "base64").equals(keyBlob);
    if (marker === "@revoked") {
      if (same) return "revoked";
      continue;
    }
    if (marker) continue; // @cert-authority: certificates are not supported, so it cannot vouch.
    sawHost = true;
    if (same) accepted = true;
  }
  if (accepted) return "ok";
  return sawHost ? "mismatch" : "unknown";
}

function hostsMatch(field: string, name: string): boolean {
  if (field.startsWith("|1|")) {
    const [, , salt, hash] = field.split("|");
    if (!salt || !hash) return false;
    return createHmac("sha1", Buffer.from(salt, "base64")).update(name).digest("base64") === hash;
  }
  let matched = false;
  for (const pattern of field.split(",")) {
    const negated = pattern.startsWith("!");
    if (globMatch(negated ? pattern.slice(1) : pattern, name)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

function globMatch(pattern: string, name: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${re}$`, "i").test(name);
}
