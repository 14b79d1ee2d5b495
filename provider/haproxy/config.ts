// The HAProxy configuration a Haproxy resource runs with: rendered from inputs, and parsed back to report drift.
import { RUN_DIR } from "../rundir";
import type { HaproxyInputs } from "./schema";

/** The files of one HAProxy, under the library's run directory (names validated as safe). */
export function haproxyPaths(h: Pick<HaproxyInputs, "namespace" | "name">) {
  const base = `${RUN_DIR}/haproxy/${h.namespace}.${h.name}`;
  return { configPath: `${base}.cfg`, pidFile: `${base}.pid`, socket: `${base}.sock` };
}

type Drifting = Pick<HaproxyInputs, "vip" | "listeners" | "members" | "balance" | "healthCheck">;

/** The whole file: nothing of the host's HAProxy (/etc/haproxy) is read. */
export function renderConfig(h: HaproxyInputs): string {
  const p = haproxyPaths(h);
  const c = h.healthCheck;
  const lines = [
    `# pulumi-netns Haproxy ${h.namespace}/${h.name}: generated, changes by hand are reported as drift`,
    "global",
    `    pidfile ${p.pidFile}`,
    // The socket hands the listening sockets to the next process on reload, so no connection attempt is refused.
    `    stats socket ${p.socket} mode 600 level admin expose-fd listeners`,
    "    maxconn 4096",
    "defaults",
    "    timeout connect 5s",
    "    timeout client 60s",
    "    timeout server 60s",
    `    timeout check ${c.timeoutMs}ms`,
    `    default-server inter ${c.intervalMs}ms fastinter ${c.intervalMs}ms downinter ${c.intervalMs}ms rise ${c.rise} fall ${c.fall}`,
  ];
  for (const l of h.listeners) {
    lines.push(
      `frontend listener-${l.port}`,
      `    mode ${l.protocol}`,
      `    bind ${h.vip}:${l.port}`,
      `    default_backend pool-${l.port}`,
      `backend pool-${l.port}`,
      `    mode ${l.protocol}`,
      `    balance ${h.balance}`,
      ...h.members.map((m) => `    server ${m.name} ${m.address}:${m.port} check`),
    );
  }
  return `${lines.join("\n")}\n`;
}

/** What a config on disk says, for the fields renderConfig writes (a hand edit shows as changed fields). */
export function parseConfig(text: string): Drifting {
  const out: Drifting = {
    vip: "",
    listeners: [],
    members: [],
    balance: "roundrobin",
    healthCheck: { intervalMs: 0, timeoutMs: 0, rise: 0, fall: 0 },
  };
  let mode: "tcp" | "http" = "tcp";
  // Every backend lists the same members: read them from the first.
  let backends = 0;
  for (const raw of text.split("\n")) {
    const [word, ...rest] = raw.trim().split(/\s+/);
    if (word === "backend") backends++;
    else if (word === "mode") mode = rest[0] === "http" ? "http" : "tcp";
    else if (word === "bind") {
      const at = rest[0].lastIndexOf(":");
      out.vip = rest[0].slice(0, at);
      out.listeners.push({ protocol: mode, port: Number(rest[0].slice(at + 1)) });
    } else if (word === "balance" && backends === 1) out.balance = rest[0] as Drifting["balance"];
    else if (word === "server" && backends === 1) {
      const at = rest[1].lastIndexOf(":");
      out.members.push({ name: rest[0], address: rest[1].slice(0, at), port: Number(rest[1].slice(at + 1)) });
    } else if (word === "timeout" && rest[0] === "check") out.healthCheck.timeoutMs = parseInt(rest[1], 10);
    else if (word === "default-server") {
      const opt = (k: string) => parseInt(rest[rest.indexOf(k) + 1], 10);
      Object.assign(out.healthCheck, { intervalMs: opt("inter"), rise: opt("rise"), fall: opt("fall") });
    }
  }
  return out;
}
