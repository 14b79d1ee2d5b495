// The harness's saved state: one JSON file; secret properties are stored encrypted, like Pulumi's passphrase provider.
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

type Props = Record<string, unknown>;

/** One resource as the Go engine's checkpoint holds it (the fields the harness uses). */
export interface ResourceState {
  urn: string;
  type: string;
  name: string;
  /** False for components and the root stack, which have no provider. */
  custom: boolean;
  /** "" for a custom resource that has none, e.g. a component. */
  id: string;
  parent: string;
  inputs: Props;
  outputs: Props;
  secretKeys: string[];
  /** Every resource it depends on: explicit dependencies and those of each property. */
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
  protect: boolean;
  retainOnDelete: boolean;
  /** The old half of a create-before-delete replacement, still to be deleted (the Go engine's `delete: true`). */
  pendingDelete?: boolean;
}

export interface State {
  resources: ResourceState[];
}

interface OnDisk {
  version: 1;
  salt: string;
  resources: ResourceState[];
}

const CIPHER = "ciphertext";

const keys = new Map<string, Buffer>();

/** The key comes from PULUMI_CONFIG_PASSPHRASE (empty when unset), as with Pulumi's file backend. */
function key(salt: Buffer): Buffer {
  // scrypt is slow on purpose: derive once per salt and passphrase, not on every save.
  const passphrase = process.env.PULUMI_CONFIG_PASSPHRASE ?? "";
  const id = `${salt.toString("base64")}:${passphrase}`;
  let k = keys.get(id);
  if (!k) {
    k = scryptSync(passphrase, salt, 32);
    keys.set(id, k);
  }
  return k;
}

function seal(value: unknown, k: Buffer): Props {
  const iv = randomBytes(12);
  const c = createCipheriv("aes-256-gcm", k, iv);
  const body = Buffer.concat([c.update(JSON.stringify(value), "utf8"), c.final()]);
  return { [CIPHER]: Buffer.concat([iv, c.getAuthTag(), body]).toString("base64") };
}

function open(sealed: Props, k: Buffer): unknown {
  const raw = Buffer.from(String(sealed[CIPHER]), "base64");
  const d = createDecipheriv("aes-256-gcm", k, raw.subarray(0, 12));
  d.setAuthTag(raw.subarray(12, 28));
  return JSON.parse(Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString("utf8"));
}

function mapSecrets(p: Props, keys: string[], f: (v: unknown) => unknown): Props {
  const out = { ...p };
  for (const k of keys) if (out[k] !== undefined) out[k] = f(out[k]);
  return out;
}

export function loadState(path: string): State & { salt: Buffer } {
  if (!existsSync(path)) return { resources: [], salt: randomBytes(16) };
  const disk = JSON.parse(readFileSync(path, "utf8")) as OnDisk;
  const salt = Buffer.from(disk.salt, "base64");
  const k = key(salt);
  const resources = disk.resources.map((r) => ({
    ...r,
    inputs: mapSecrets(r.inputs, r.secretKeys, (v) => open(v as Props, k)),
    outputs: mapSecrets(r.outputs, r.secretKeys, (v) => open(v as Props, k)),
  }));
  return { resources, salt };
}

/** Each resource's on-disk form, sealed once: checkpoints during an `up` rewrite every unchanged resource. */
const sealed = new WeakMap<ResourceState, ResourceState>();

function onDisk(r: ResourceState, k: Buffer): ResourceState {
  let d = sealed.get(r);
  if (!d) {
    d = {
      ...r,
      inputs: mapSecrets(r.inputs, r.secretKeys, (v) => seal(v, k)),
      outputs: mapSecrets(r.outputs, r.secretKeys, (v) => seal(v, k)),
    };
    sealed.set(r, d);
  }
  return d;
}

/** Writes atomically, so a killed run leaves the previous or the new state, never half of one. */
export function saveState(path: string, state: State & { salt: Buffer }): void {
  const k = key(state.salt);
  const disk: OnDisk = {
    version: 1,
    salt: state.salt.toString("base64"),
    resources: state.resources.map((r) => onDisk(r, k)),
  };
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.tmp`, JSON.stringify(disk), { mode: 0o600 });
  renameSync(`${path}.tmp`, path);
}
