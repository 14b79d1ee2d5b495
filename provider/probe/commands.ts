// Probe commands (pure): one attempt as a host script, its output as an observation, and the words of a failure.
import { NETNS_DIR } from "../shell/netns";
import { quote } from "../shell/quote";
import { Observation, ProbeInputs } from "./schema";

/**
 * One attempt, run by the host's sh: the exchange inside the namespace (entered as shell/netns.ts inNetOnly enters
 * one), bounded by `timeout`, then the route to the target and the next hop's neighbour entry, which tell a silent
 * neighbour from a router's refusal and go into a failure's diagnosis. TCP and UDP use bash's /dev/tcp and /dev/udp,
 * so the host needs nothing beyond iproute2, coreutils, bash and (for icmp) ping. Prints `key=value` lines; only
 * `gone` when the namespace is not there.
 */
export function attemptScript(p: ProbeInputs): string {
  const seconds = (p.timeoutMs / 1000).toFixed(3);
  const exchange = {
    icmp: `timeout ${seconds} ping -n -c 1 -W ${Math.ceil(p.timeoutMs / 1000)} "$t"`,
    tcp: `timeout ${seconds} bash -c 'exec 3<>"/dev/tcp/$1/$2" || exit 3' _ "$t" "$port"`,
    // A connected UDP socket takes datagrams from the target's port alone; an ICMP port unreachable fails the read.
    udp: `timeout ${seconds} bash -c 'exec 3<>"/dev/udp/$1/$2" || exit 3; printf pulumi-netns-probe >&3; IFS= read -r -n 1 x <&3 || exit 4' _ "$t" "$port"`,
  }[p.protocol];
  return [
    `ns=${quote(p.namespace)}; t=${quote(p.target)}; port=${quote(String(p.port ?? ""))}`,
    `[ -e "${NETNS_DIR}/$ns" ] || { echo gone; exit 0; }`,
    `inns() { nsenter --net="${NETNS_DIR}/$ns" "$@"; }`,
    "s=$(date +%s%N)",
    `out=$(inns ${exchange} 2>&1); rc=$?`,
    "e=$(date +%s%N)",
    'route=$(inns ip route get "$t" 2>&1 | head -n 1)',
    `via=$(printf '%s' "$route" | sed -n 's/.* via \\([^ ]*\\).*/\\1/p')`,
    'neigh=$(inns ip neigh show "${via:-$t}" 2>/dev/null | head -n 1)',
    `printf 'rc=%s\\nus=%s\\nroute=%s\\nneigh=%s\\nout=%s\\n' "$rc" "$(( (e - s) / 1000 ))" "$route" "$neigh" "$(printf '%s' "$out" | tr '\\n' ' ')"`,
  ].join("\n");
}

/** What one attempt saw. */
export interface Attempt {
  observed: Observation;
  rttMs?: number;
  device?: string;
  via?: string;
  /** The route and neighbour lines, and what the exchange printed: the diagnosis of a failure. */
  route: string;
  neighbour: string;
  said: string;
}

/** A next hop that never answered its neighbour solicitation: nothing on the way said anything. */
const SILENT_NEIGHBOUR = /\b(FAILED|INCOMPLETE)\b/;

/**
 * The attempt's observation; undefined when the namespace is gone. An exit code that is neither an answer, a
 * timeout nor a refusal (no bash, no ping) is an error naming it.
 */
export function parseAttempt(stdout: string): Attempt | undefined {
  if (stdout.trim() === "gone") return undefined;
  const v = Object.fromEntries(
    stdout
      .split("\n")
      .filter((l) => l.includes("="))
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
  const [rc, said, route, neighbour] = [Number(v.rc), (v.out ?? "").trim(), v.route ?? "", v.neigh ?? ""];
  const device = /\bdev (\S+)/.exec(route)?.[1];
  const via = /\bvia (\S+)/.exec(route)?.[1];
  const base = { device, via, route: route.trim(), neighbour: neighbour.trim(), said };
  if (rc === 0) {
    const pingTime = /time=([\d.]+) ms/.exec(said)?.[1];
    const rttMs = pingTime !== undefined ? Number(pingTime) : Math.round(Number(v.us) / 10) / 100;
    return { observed: "reach", rttMs, ...base };
  }
  // No answer before the timeout, no route at all, or a neighbour that never answered: nobody said anything.
  if (rc === 124 || /Network is unreachable/.test(said)) return { observed: "blocked", ...base };
  const unreachable = /No route to host|Host is unreachable|Destination (Host|Net|Port) Unreachable|Packet filtered/;
  if (/Connection refused/.test(said) || unreachable.test(said))
    return { observed: SILENT_NEIGHBOUR.test(neighbour) ? "blocked" : "refused", ...base };
  // ping's own "no answer" (exit 1 with a summary) is silence too.
  if (rc === 1 && /0 received/.test(said)) return { observed: "blocked", ...base };
  throw new Error(`the probe could not run (exit code ${rc}): ${said || "no output"}`);
}

/** The resource's name, from the owner URN its class passes (create is not told its name). */
const nameOf = (owner: unknown) => (typeof owner === "string" ? owner.slice(owner.lastIndexOf("::") + 2) : "");

/** How messages name the probe: `Probe "<name>"`, or `Probe` alone where no owner was given. */
export const probeName = (p: object & { owner?: unknown }) =>
  nameOf(p.owner) ? `Probe "${nameOf(p.owner)}"` : "Probe";

/** One sentence naming the probe, its path and what it saw against what it expected, with a line of diagnosis. */
export function mismatch(p: ProbeInputs & { owner?: unknown }, seen: Attempt): string {
  const to = `${p.target}${p.port !== undefined ? ` port ${p.port}` : ""}`;
  const path = `${p.protocol} from namespace ${p.namespace}${seen.device ? ` via ${seen.device}` : ""} to ${to}`;
  const what = {
    reach: "an answer",
    blocked: `no answer within ${p.timeoutMs} ms`,
    refused: `a refusal (${seen.said.slice(0, 120) || "refused"})`,
  }[seen.observed];
  return (
    `${probeName(p)}: expected ${p.expect}, observed ${seen.observed} (${path}: ${what}, ` +
    `${p.attempts} attempt${p.attempts === 1 ? "" : "s"}); diagnosis: route ${seen.route || "none"}; ` +
    `neighbour ${seen.neighbour || "none"}`
  );
}
