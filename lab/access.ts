// Test access to the lab host: its connection details, and a per-run name prefix.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ConnectionInput } from "../provider/connection";

export interface LabInfo {
  host: string;
  port: number;
  user: string;
  privateKeyPath: string;
  wrongPrivateKeyPath: string;
  hostKey: string;
  /** The jump host, in a namespace of its own that the root namespace reaches. */
  jumpHost: string;
  jumpPort: number;
  jumpLog: string;
  /** A host that only the jump host reaches. */
  behindHost: string;
  behindPort: number;
  sudoUser: string;
  noSudoUser: string;
  sshdLog: string;
  labScript: string;
  /** The known_hosts file naming the lab hosts' keys. */
  knownHosts: string;
  /** Lab hosts A, B and C: each its own network and mount namespace, Open vSwitch and sshd (lab/hosts.sh). */
  hosts: LabHost[];
}

export interface LabHost {
  name: string;
  host: string;
  port: number;
  user: string;
  privateKeyPath: string;
  hostKey: string;
  /** Its address on the underlay the lab hosts share. */
  underlayIp: string;
  /** The lab's namespace holding it (its management link, pnlab-m<k>, leads there). */
  namespace: string;
  managementLink: string;
  sshdLog: string;
}

/** Runs a shell command on a lab host through its sshd, as a user would; returns stdout (throws on failure). */
export function onHost(h: LabHost, command: string): string {
  return execFileSync(
    "ssh",
    [
      "-i",
      h.privateKeyPath,
      "-o",
      `UserKnownHostsFile=${lab().knownHosts}`,
      "-o",
      "StrictHostKeyChecking=yes",
      "-o",
      "BatchMode=yes",
      "-o",
      "ConnectTimeout=5",
      `${h.user}@${h.host}`,
      command,
    ],
    { timeout: 60_000 },
  ).toString();
}

/** Logins sshd accepted so far on the lab host, or on lab host `h`: the "Accepted publickey" lines of its log. */
export function logins(h: { sshdLog: string } = lab()): number {
  return (readFileSync(h.sshdLog, "utf8").match(/Accepted publickey/g) ?? []).length;
}

/**
 * The control beside a "no login" check: a login made now, with ssh as a user would, is counted. So a count that
 * stayed the same means nothing logged in, not a counter that cannot move.
 */
export function assertLoginsCounted(): void {
  const l = lab();
  const before = logins();
  // The lab's own sshd on loopback; its key is pinned where it matters (the library's connections).
  const options = ["-o", "UserKnownHostsFile=/dev/null", "-o", "StrictHostKeyChecking=no", "-o", "BatchMode=yes"];
  execFileSync("ssh", ["-i", l.privateKeyPath, ...options, "-p", String(l.port), `${l.user}@${l.host}`, "true"], {
    stdio: "ignore",
  });
  if (logins() !== before + 1) throw new Error(`a login by ssh was not counted (${before} before, ${logins()} after)`);
}

let info: LabInfo | undefined;

export function lab(): LabInfo {
  info ??= JSON.parse(readFileSync(join(__dirname, "..", ".lab", "connection.json"), "utf8")) as LabInfo;
  return info;
}

/** The root connection to the lab host, host key pinned. */
export function labConnection(over: Partial<ConnectionInput> = {}): ConnectionInput {
  const l = lab();
  return {
    host: l.host,
    port: l.port,
    user: l.user,
    privateKey: readFileSync(l.privateKeyPath, "utf8"),
    hostKey: l.hostKey,
    ...over,
  };
}

/**
 * Cuts every live connection of the lab sshd at once, as a network drop would: SIGKILL to its per-connection sshd
 * processes only. The shells they ran see their input close and finish on their own; killing those too could
 * cut a login shell's rc file mid-way and leave its locks behind (pyenv's, on these machines).
 */
export function dropSessions(): void {
  const listener = readFileSync(join(__dirname, "..", ".lab", "main.sshd.pid"), "utf8").trim();
  const script = `
    tree() { for c in $(ps -o pid= --ppid "$1"); do [ "$(ps -o comm= -p "$c")" = sshd ] && { echo "$c"; tree "$c"; }; done; }
    pids=$(tree ${Number(listener)}); [ -z "$pids" ] || kill -KILL $pids 2>/dev/null; true`;
  execFileSync("/bin/sh", ["-c", script], { stdio: "inherit" });
}

export function restartSshd(): void {
  execFileSync("bash", [lab().labScript, "restart-sshd"], { stdio: "inherit" });
}

/**
 * A name prefix unique to this test run: 2 letters + 3 random characters + "-", short enough
 * that prefixed interface names stay within the kernel's 15 characters.
 */
export const RUN_PREFIX = "pn" + randomBytes(3).toString("hex").slice(0, 3) + "-";

/**
 * One TCP exchange between namespaces on lab hosts: a server started over SSH in `to`'s namespace answers
 * "hello from <host>"; the client in `from`'s namespace connects to `addr`. The answer, or undefined on failure.
 * The server is gone when this returns (a destroy right after must not find it in the namespace).
 */
export function tcpOnHosts(from: [LabHost, string], to: [LabHost, string], addr: string): string | undefined {
  const port = 7000 + Math.floor(Math.random() * 1000);
  // Named by a token of this exchange's own, so that only this server is stopped.
  const token = `pnlabtcp${randomBytes(6).toString("hex")}`;
  const server = `require("net").createServer((c) => c.end("hello from " + process.argv[1])).listen(${port}); setTimeout(() => process.exit(0), 6000)`;
  onHost(
    to[0],
    `ip netns exec ${to[1]} setsid -f ${process.execPath} -e '${server}' ${to[0].name} ${token} >/dev/null 2>&1 </dev/null
     for i in $(seq 50); do ip netns exec ${to[1]} ss -Hltn "sport = :${port}" | grep -q . && exit 0; sleep 0.1; done
     echo "the test server on port ${port} did not listen within 5 s" >&2; exit 1`,
  );
  const client = `const c = require("net").connect(${port}, "${addr}"); let s = ""; c.on("data", (b) => (s += b)); c.on("end", () => { console.log(s); process.exit(0); }); c.on("error", () => process.exit(1)); setTimeout(() => process.exit(1), 3000)`;
  try {
    return onHost(from[0], `ip netns exec ${from[1]} ${process.execPath} -e '${client}'`).trim();
  } catch {
    return undefined;
  } finally {
    // The bracket keeps the pattern from matching the remote shell that runs pkill; wait until it has exited.
    const mine = `'[${token[0]}]${token.slice(1)}'`;
    onHost(to[0], `pkill -f ${mine}; for i in $(seq 50); do pgrep -f ${mine} >/dev/null || break; sleep 0.1; done`);
  }
}
