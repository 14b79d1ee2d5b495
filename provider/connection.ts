// Where commands run: the connection schema, named and defaulted like @pulumi/command's remote connection.
import { isIP } from "node:net";
import { z } from "zod";

/** A DNS name: dot-separated labels of letters, digits and inner hyphens (RFC 1123), at most 253 characters. */
const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

const common = {
  /** The address of the host to connect to: a host name or an IP address. */
  host: z
    .string()
    .refine((h) => isIP(h) !== 0 || HOST_NAME.test(h), "must be a host name (e.g. lab1.example) or an IP address"),
  /** The port to connect to. Defaults to 22. */
  port: z.number().int().min(1).max(65535).default(22),
  /** The user to log in as. Defaults to root. */
  user: z.string().min(1).default("root"),
  /** The password to log in with (a secret). */
  password: z.string().optional(),
  /** The private key in PEM/OpenSSH form (a secret). */
  privateKey: z.string().optional(),
  /** The passphrase of an encrypted private key (a secret). */
  privateKeyPassword: z.string().optional(),
  /** The SSH agent socket to authenticate with, e.g. $SSH_AUTH_SOCK. */
  agentSocketPath: z.string().optional(),
  /** How many times a failed dial or channel open is tried before giving up. Defaults to 10. */
  dialErrorLimit: z.number().int().min(1).max(1000).default(10),
  /** Seconds one dial attempt may take. Defaults to 15. */
  perDialTimeout: z.number().int().min(1).max(3600).default(15),
  /**
   * The host key to pin: an OpenSSH public key line ("ssh-ed25519 AAAA...") or a fingerprint ("SHA256:...").
   * Without it the key is checked against ~/.ssh/known_hosts.
   */
  hostKey: z.string().optional(),
  /** Verify the host key (the default). false accepts any key and is an explicit opt-out. */
  strictHostKeyChecking: z.boolean().default(true),
  /** The known_hosts file to check against. Defaults to ~/.ssh/known_hosts. */
  knownHostsFile: z.string().optional(),
};

/** A jump host: the same fields as the connection, without sudo or another proxy. */
// Typed by name, so declaration files keep the fields' doc comments where the connection's proxy uses them.
export const proxySchema: z.ZodObject<typeof common, z.core.$strict> = z.object(common).strict();

const connectionFields = {
  ...common,
  /** A jump host to reach the target through (like ssh -J). */
  proxy: proxySchema.optional(),
  /** Run every command through `sudo -n` (for a non-root user with passwordless sudo). */
  sudo: z.boolean().default(false),
  /** Most SSH channels open at once on the pooled connection. Defaults to 8, below sshd's MaxSessions 10. */
  maxSessions: z.number().int().min(1).max(64).default(8),
};

/** How to reach the host over SSH. Leave unset to run on this machine. */
export const connectionSchema = z.object(connectionFields).strict();

// From the shapes, not the schemas: declaration files keep the shapes' doc comments, and so the types' fields.
export type ProxyConnection = z.output<z.ZodObject<typeof common>>;
export type Connection = z.output<z.ZodObject<typeof connectionFields>>;
export type ConnectionInput = z.input<z.ZodObject<typeof connectionFields>>;
