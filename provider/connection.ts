// Where commands run: the connection schema, named and defaulted like @pulumi/command's remote connection.
import { isIP } from "node:net";
import { z } from "zod";

/** A DNS name: dot-separated labels of letters, digits and inner hyphens (RFC 1123), at most 253 characters. */
const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

const hostField = z
  .string()
  .refine((h) => isIP(h) !== 0 || HOST_NAME.test(h), "must be a host name (e.g. lab1.example) or an IP address")
  .describe("The address of the host to connect to: a host name or an IP address.");

const common = {
  host: hostField,
  port: z.number().int().min(1).max(65535).default(22).describe("The port to connect to. Defaults to 22."),
  user: z.string().min(1).default("root").describe("The user to log in as. Defaults to root."),
  password: z.string().optional().describe("The password to log in with (a secret)."),
  privateKey: z.string().optional().describe("The private key in PEM/OpenSSH form (a secret)."),
  privateKeyPassword: z.string().optional().describe("The passphrase of an encrypted private key (a secret)."),
  agentSocketPath: z.string().optional().describe("The SSH agent socket to authenticate with, e.g. $SSH_AUTH_SOCK."),
  dialErrorLimit: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(10)
    .describe("How many times a failed dial or channel open is tried before giving up. Defaults to 10."),
  perDialTimeout: z
    .number()
    .int()
    .min(1)
    .max(3600)
    .default(15)
    .describe("Seconds one dial attempt may take. Defaults to 15."),
  hostKey: z
    .string()
    .optional()
    .describe(
      'The host key to pin: an OpenSSH public key line ("ssh-ed25519 AAAA...") or a fingerprint ("SHA256:..."). ' +
        "Without it the key is checked against ~/.ssh/known_hosts.",
    ),
  strictHostKeyChecking: z
    .boolean()
    .default(true)
    .describe("Verify the host key (the default). false accepts any key and is an explicit opt-out."),
  knownHostsFile: z
    .string()
    .optional()
    .describe("The known_hosts file to check against. Defaults to ~/.ssh/known_hosts."),
};

/** A jump host: the same fields as the connection, without sudo or another proxy. */
export const proxySchema = z.object(common).strict().describe("A jump host to reach the target through (like ssh -J).");

export const connectionSchema = z
  .object({
    ...common,
    proxy: proxySchema.optional(),
    sudo: z
      .boolean()
      .default(false)
      .describe("Run every command through `sudo -n` (for a non-root user with passwordless sudo)."),
    maxSessions: z
      .number()
      .int()
      .min(1)
      .max(64)
      .default(8)
      .describe("Most SSH channels open at once on the pooled connection. Defaults to 8, below sshd's MaxSessions 10."),
  })
  .strict()
  .describe("How to reach the host over SSH. Leave unset to run on this machine.");

export type ProxyConnection = z.output<typeof proxySchema>;
export type Connection = z.output<typeof connectionSchema>;
export type ConnectionInput = z.input<typeof connectionSchema>;
