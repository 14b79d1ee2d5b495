// Runs commands over SSH: one pooled ssh2 connection per target, persistent shells, capped channels.
import { createHash } from "node:crypto";
import type { Duplex } from "node:stream";
import { Client, ClientChannel, ConnectConfig } from "ssh2";
import { Connection, ProxyConnection } from "../connection";
import { runsAsProgram } from "../shell/program";
import { quote, quoteArgv } from "../shell/quote";
import { verifyHostKey } from "./hostkeys";
import { RunResult, Runner } from "./runner";
import { ShellSession } from "./shell-session";

/** How long an unused connection stays open, so a finished program can exit. */
const IDLE_CLOSE_MS = 1000;

/**
 * Sets a predictable locale and a PATH of the system's directories only, the sbin ones included for non-root
 * logins, so no directory the login's rc files put first (a user's own bin, version-manager shims) decides which
 * `ip` or `ovs-vsctl` runs.
 */
const SHELL_SETUP = "export LC_ALL=C PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** A failure that trying again cannot fix (authentication, host key, unusable key). */
export class SshFatalError extends Error {
  override name = "SshFatalError";
}

/** Counters a test or benchmark can read. */
export interface PoolStats {
  dials: number;
  channelsOpened: number;
  openChannels: number;
  maxOpenChannels: number;
  /** The most shells that were logging in at one moment (the pool opens one at a time). */
  maxShellsOpening: number;
  channelOpenRetries: number;
}

function label(c: ProxyConnection): string {
  return `${c.user}@${c.host}:${c.port}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Exponential backoff with full jitter, capped at 5 s. */
function backoff(attempt: number): Promise<void> {
  return sleep(Math.random() * Math.min(5000, 100 * 2 ** attempt));
}

function authMethods(c: ProxyConnection): string {
  const m = [c.privateKey && "publickey", c.agentSocketPath && "agent", c.password && "password"].filter(Boolean);
  return m.length ? m.join(", ") : "none configured";
}

/** One dial attempt. Errors carry no secret: only the target, the method names and ssh2's reason. */
function dialOnce(c: ProxyConnection, sock?: Duplex): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    let refused: string | undefined;
    const config: ConnectConfig = {
      host: c.host,
      port: c.port,
      username: c.user,
      password: c.password,
      privateKey: c.privateKey,
      passphrase: c.privateKeyPassword,
      agent: c.agentSocketPath,
      readyTimeout: c.perDialTimeout * 1000,
      keepaliveInterval: 5000,
      keepaliveCountMax: 3,
      sock,
      hostVerifier: (key: Buffer) => {
        refused = verifyHostKey(c, key);
        return refused === undefined;
      },
    };
    client.once("ready", () => resolve(client));
    client.once("error", (e: Error & { level?: string }) => {
      client.end();
      if (refused) {
        reject(new SshFatalError(`host key verification failed for ${label(c)}: ${refused} No command was sent.`));
      } else if (e.level === "client-authentication") {
        reject(new SshFatalError(`authentication failed for ${label(c)} (methods tried: ${authMethods(c)})`));
      } else {
        reject(new Error(`cannot connect to ${label(c)}: ${e.message}`));
      }
    });
    try {
      client.connect(config);
    } catch (e) {
      // ssh2 throws here for an unusable key; its reason names the format, never the key itself.
      reject(new SshFatalError(`cannot use the privateKey for ${label(c)}: ${(e as Error).message}`));
    }
  });
}

/** Dials the target, through the jump host when one is given. */
async function dial(c: Connection): Promise<Client> {
  if (!c.proxy) return dialOnce(c);
  const jump = await dialOnce(c.proxy);
  try {
    const sock = await new Promise<ClientChannel>((resolve, reject) =>
      jump.forwardOut("127.0.0.1", 0, c.host, c.port, (err, stream) =>
        err
          ? reject(new Error(`jump host ${label(c.proxy!)} cannot reach ${c.host}:${c.port}: ${err.message}`))
          : resolve(stream),
      ),
    );
    const client = await dialOnce(c, sock);
    client.once("close", () => jump.end());
    return client;
  } catch (e) {
    jump.end();
    throw e;
  }
}

/** All commands for one target share this: a connection, at most maxSessions shells, a queue. */
export class SshPool {
  readonly stats: PoolStats = {
    dials: 0,
    channelsOpened: 0,
    openChannels: 0,
    maxOpenChannels: 0,
    maxShellsOpening: 0,
    channelOpenRetries: 0,
  };
  private client?: Promise<Client>;
  private idle: ShellSession[] = [];
  private shells = 0;
  private opening = 0;
  private waiters: Array<() => void> = [];
  private busy = 0;
  private idleTimer?: NodeJS.Timeout;

  constructor(
    private readonly conn: Connection,
    readonly target: string,
  ) {}

  /** Runs a command line in one of the pool's shells; `inSession`: see ShellSession.run. */
  async exec(cmdline: string, inSession = false): Promise<RunResult> {
    this.busy++;
    clearTimeout(this.idleTimer);
    try {
      const shell = await this.acquire();
      try {
        return await shell.run(cmdline, inSession);
      } finally {
        this.release(shell);
      }
    } finally {
      if (--this.busy === 0) this.idleTimer = setTimeout(() => this.close(), IDLE_CLOSE_MS);
    }
  }

  /** Closes the connection; the next command dials again. */
  close(): void {
    clearTimeout(this.idleTimer);
    // Idle shells die with the connection; forget them now, before their close events arrive.
    for (const shell of this.idle) shell.close();
    this.shells -= this.idle.length;
    this.idle = [];
    const client = this.client;
    this.client = undefined;
    client?.then((c) => c.end()).catch(() => undefined);
  }

  private async acquire(): Promise<ShellSession> {
    for (;;) {
      const shell = this.idle.pop();
      if (shell) {
        if (shell.alive) return shell;
        this.shells--;
        continue;
      }
      // One shell opens at a time: each costs a login on the host (its rc files run: 150 ms to 0.75 s of CPU on the
      // lab machines, docs/ARCHITECTURE.md), so the pool grows only while commands keep waiting rather than
      // to maxSessions for every burst of commands that one shell would have run in less time.
      if (this.shells < this.conn.maxSessions && this.opening === 0) {
        this.shells++;
        this.stats.maxShellsOpening = Math.max(this.stats.maxShellsOpening, ++this.opening);
        try {
          return await this.openShell();
        } catch (e) {
          this.shells--;
          throw e;
        } finally {
          this.opening--;
          // A command still waiting opens the next shell, or takes one released meanwhile.
          this.waiters.shift()?.();
        }
      }
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }

  private release(shell: ShellSession): void {
    if (shell.alive) this.idle.push(shell);
    else this.shells--;
    this.waiters.shift()?.();
  }

  private connect(): Promise<Client> {
    if (!this.client) {
      const attempt = this.dialWithRetry();
      this.client = attempt;
      attempt.then(
        (c) =>
          c.once("close", () => {
            if (this.client === attempt) this.client = undefined;
          }),
        () => {
          if (this.client === attempt) this.client = undefined;
        },
      );
    }
    return this.client;
  }

  private async dialWithRetry(): Promise<Client> {
    for (let attempt = 1; ; attempt++) {
      this.stats.dials++;
      try {
        return await dial(this.conn);
      } catch (e) {
        if (e instanceof SshFatalError || attempt >= this.conn.dialErrorLimit) throw e;
        await backoff(attempt);
      }
    }
  }

  private async openShell(): Promise<ShellSession> {
    const command = this.conn.sudo ? "exec sudo -n /bin/sh" : "exec /bin/sh";
    for (let attempt = 1; ; attempt++) {
      const client = await this.connect();
      let channel: ClientChannel;
      try {
        channel = await new Promise<ClientChannel>((resolve, reject) =>
          client.exec(command, (err, ch) => (err ? reject(err) : resolve(ch))),
        );
      } catch (e) {
        // Channel-open failures are transient (sshd's MaxSessions, a connection going away): retry.
        if (attempt >= this.conn.dialErrorLimit) {
          throw new Error(`cannot open a channel to ${this.target}: ${(e as Error).message}`, { cause: e });
        }
        this.stats.channelOpenRetries++;
        await backoff(attempt);
        continue;
      }
      this.countChannel(channel);
      const shell = new ShellSession(channel, this.target);
      // In the session itself: in a subshell (as every later command runs) the exports would not outlive it.
      const ready = await shell
        .run(SHELL_SETUP, true)
        .catch((e: Error) => ({ code: -1, stdout: "", stderr: e.message }));
      if (ready.code !== 0) {
        shell.close();
        const why = ready.stderr.trim();
        throw new SshFatalError(
          this.conn.sudo
            ? `user "${this.conn.user}" on ${this.target} cannot run commands as root: the library needs passwordless sudo (sudo -n /bin/sh, NOPASSWD in sudoers): ${why}`
            : `cannot start /bin/sh on ${this.target}: ${why}`,
        );
      }
      return shell;
    }
  }

  private countChannel(channel: ClientChannel): void {
    this.stats.channelsOpened++;
    this.stats.openChannels++;
    this.stats.maxOpenChannels = Math.max(this.stats.maxOpenChannels, this.stats.openChannels);
    channel.once("close", () => this.stats.openChannels--);
  }
}

const pools = new Map<string, SshPool>();

/** Identifies a connection by a hash, so no map in this process is keyed by a secret itself. */
export function connectionKey(conn: Connection): string {
  return createHash("sha256").update(JSON.stringify(conn)).digest("hex");
}

/** One pool per distinct connection in this process. */
export function poolFor(conn: Connection): SshPool {
  const key = connectionKey(conn);
  let pool = pools.get(key);
  if (!pool) {
    pool = new SshPool(conn, label(conn));
    pools.set(key, pool);
  }
  return pool;
}

/** Closes every pooled connection (tests and scripts that want to exit at once). */
export function closeAllPools(): void {
  for (const pool of pools.values()) pool.close();
}

export class SshRunner implements Runner {
  readonly target: string;
  private readonly pool: SshPool;

  constructor(conn: Connection) {
    this.pool = poolFor(conn);
    this.target = this.pool.target;
  }

  get stats(): PoolStats {
    return this.pool.stats;
  }

  run(argv: readonly string[]): Promise<RunResult> {
    return this.pool.exec(quoteArgv(argv), runsAsProgram(argv));
  }

  /**
   * The session runs each command in a subshell already (unless `inSession`); eval of the quoted text saves starting
   * another sh, and its quoting keeps the frame whole whatever the text holds.
   */
  script(text: string, inSession = false): Promise<RunResult> {
    return this.pool.exec(`eval ${quote(text)}`, inSession);
  }
}
