// Process command builders: the start script, the readiness probe and the session listing, pure and quoted here.
import { RUN_DIR, inRunDir } from "../rundir";
import { NETNS_DIR, inNetns } from "../shell/netns";
import { quote, quoteArgv } from "../shell/quote";
import type { ProcessInputs } from "./schema";

/** The PATH a process starts with; nothing else of the session that started it is passed on. */
export const PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** The files of one process, under the library's run directory (names validated as safe). */
export function processPaths(p: Pick<ProcessInputs, "namespace" | "name">) {
  const base = `${RUN_DIR}/process/${p.namespace}.${p.name}`;
  return { pidFile: `${base}.pid`, logPath: `${base}.log`, envFile: `${base}.env` };
}

/** The environment as a file for `set -a; .`: one quoted assignment per line. */
export const envFileText = (env: Record<string, string>) =>
  Object.entries(env)
    .map(([k, v]) => `${k}=${quote(v)}\n`)
    .join("");

/**
 * Starts the command detached, in a session of its own, with output to the log. The inner shell reads and
 * removes the environment file, then writes its pid and execs the command, so a pid file means the
 * environment is consumed and the pid is the command's own; the values never appear in the command's argv.
 */
export function startScript(p: ProcessInputs): string {
  const f = processPaths(p);
  const inner =
    'cd "$1" || exit 126; set -a; . "$2"; set +a; rm -f "$2"; umask 022; echo $$ > "$0"; shift 2; exec "$@"';
  const launch = inNetns(p.namespace, [
    "setsid",
    "-f",
    "/bin/sh",
    "-c",
    inner,
    f.pidFile,
    p.workingDirectory,
    f.envFile,
    ...p.command,
  ]);
  return [
    "set -e",
    "umask 077",
    `[ -e ${quote(`${NETNS_DIR}/${p.namespace}`)} ] || { echo ${quote(`namespace "${p.namespace}" does not exist`)} >&2; exit 3; }`,
    `[ -d ${quote(p.workingDirectory)} ] || { echo ${quote(`working directory ${p.workingDirectory} does not exist`)} >&2; exit 3; }`,
    `rm -f ${quote(f.pidFile)}`,
    inRunDir(f.envFile, `printf '%s' ${quote(envFileText(p.environment))} > ${quote(f.envFile)}`),
    `: > ${quote(f.logPath)}`,
    `env -i PATH=${PATH} ${quoteArgv(launch)} < /dev/null >> ${quote(f.logPath)} 2>&1`,
  ].join("\n");
}

/**
 * One look at a starting process: prints "<pid or -> <alive 0|1> <listening 0|1>". Alive excludes zombies;
 * listening is a TCP listener on `port` in the namespace (always 1 without a port).
 */
export function probeScript(p: ProcessInputs): string {
  const listening = p.readyTcpPort
    ? `${quoteArgv(inNetns(p.namespace, ["ss", "-Hltn", `sport = :${p.readyTcpPort}`]))} 2>/dev/null | grep -q . && l=1`
    : "l=1";
  return [
    `pid=$(cat ${quote(processPaths(p).pidFile)} 2>/dev/null) || pid=-`,
    "a=0; l=0",
    'if [ "$pid" != - ] && s=$(ps -o stat= -p "$pid") && [ "${s#Z}" = "$s" ]; then a=1; fi',
    `[ "$a" = 1 ] && ${listening}`,
    'echo "$pid $a $l"',
  ].join("\n");
}

/** Parses probeScript's line. */
export function parseProbe(out: string): { pid?: number; alive: boolean; listening: boolean } {
  const [pid, alive, listening] = out.trim().split(/\s+/);
  const n = Number(pid);
  return { pid: Number.isInteger(n) && n > 0 ? n : undefined, alive: alive === "1", listening: listening === "1" };
}

/** The live (non-zombie) processes of the session `sid`: the command and everything it started. */
export const sessionArgv = (sid: number) => ["ps", "-o", "pid=,stat=", "-s", String(sid)];

export const parseSession = (out: string): number[] =>
  out
    .trim()
    .split("\n")
    .map((l) => l.trim().split(/\s+/))
    .filter(([pid, stat]) => pid && stat && !stat.startsWith("Z"))
    .map(([pid]) => Number(pid));

/** The last `lines` of the log, for an error message. */
export const tailArgv = (p: ProcessInputs, lines = 20) => ["tail", "-n", String(lines), processPaths(p).logPath];
