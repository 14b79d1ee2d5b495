// Transmit checksum offload on the devices that send into a port: off on userspace (netdev) bridges, which never fill checksums in.
import { Coalescer } from "../coalesce";
import { PerHost } from "../per-host";
import { framedScript, parseFrames } from "../shell/frames";
import { NETNS_DIR } from "../shell/netns";
import { quote } from "../shell/quote";
import { VethEnd, vethPeer } from "../reads/readers";
import { CommandError, Runner } from "../transport/runner";

/**
 * "auto": off on a bridge with datapath_type netdev, untouched otherwise; "off": off whatever the datapath;
 * "keep": never touched. Read reports "on" when a device that should have it off has it on again.
 */
export type OffloadMode = "auto" | "keep" | "off";

/** Whether the port's sending devices must have transmit checksum offload off. */
export const offloadOff = (mode: OffloadMode | "on" | undefined, datapathType: string | undefined) =>
  mode === "off" || (mode === "auto" && datapathType === "netdev");

export interface OffloadState {
  /** "" for the host's namespace. */
  namespace: string;
  device: string;
  on: boolean;
}

/**
 * A script that finds the devices whose packets enter the bridge through this port and sets their transmit
 * checksum offload ("on"/"off") or shows it ("show"), printing one "<namespace|-> <device> <on|off>" line each.
 * Those devices are the veth peer of a system port (wherever it lives: the kernel hands the port's end packets
 * whose TCP/UDP checksum was left for the hardware) and an internal port's own interface. Other devices print
 * nothing, and so does a veth whose peer sits in a namespace without a name. With `peer` (known from a refresh's
 * snapshot, or from this process's create of the pair) the script skips looking it up. Names are validated
 * interface and namespace names.
 */
export function offloadScript(
  p: { name: string; type: string; namespace?: string },
  action: "on" | "off" | "show",
  peer?: VethEnd,
) {
  const find =
    p.type === "internal"
      ? `n=${quote(p.namespace ?? "")}; d=${quote(p.name)}`
      : peer
        ? `n=${quote(peer.namespace)}; d=${quote(peer.device)}`
        : [
            `l=$(ip -o -d link show dev ${quote(p.name)}) || return 1`,
            // Not a veth, or its peer in a namespace without a name (a container's): nothing this host can reach.
            `case "$l" in *" veth "*) ;; *) return 0;; esac`,
            `case "$l" in *" link-netnsid "*) return 0;; esac`,
            `case "$l" in`,
            `*" link-netns "*)`,
            `n=\${l##* link-netns }; n=\${n%% *}; i=\${l#*@if}; i=\${i%%:*}`,
            // Text output names a veth peer's namespace by trying each named namespace in turn, a cost that grows
            // with the namespaces on the host: wanted once above, avoided here with JSON (the name follows the ifindex).
            `j=$(inns ip -j link show) || return 1`,
            `d=\${j#*'{"ifindex":'"$i",}`,
            `[ "$d" != "$j" ] || { echo "the veth peer of ${p.name} (ifindex $i) was not found" >&2; return 1; }`,
            `d=\${d#*'"ifname":"'}; d=\${d%%'"'*};;`,
            // A peer in the host's namespace too is named in the line ("N: port@peer: ..."), not by its ifindex.
            `*) n=; d=\${l#*: ${quote(p.name)}@}; d=\${d%%:*};;`,
            `esac`,
          ].join("\n");
  const run = action === "show" ? "-k" : `-K "$d" tx ${action}`;
  // A function, so that a port's script ends with `return` where it is done: batched, the scripts then share the
  // batch's shell (the session's own) with no subshell each, and nothing ends that shell.
  return [
    "pnx_offload() {",
    // Runs a command in namespace $n ("" for the host's), entered as inNetOnly enters one (shell/netns.ts).
    `inns() { if [ -n "$n" ]; then nsenter --net="${NETNS_DIR}/$n" "$@"; else "$@"; fi; }`,
    find,
    `command -v ethtool >/dev/null || { echo "ethtool is not installed: apt-get install ethtool" >&2; return 1; }`,
    action === "show"
      ? `s=$(inns ethtool -k "$d" | sed -n 's/^tx-checksumming: \\([a-z]*\\).*/\\1/p')`
      : `inns ethtool ${run} >/dev/null || return 1; s=${action}`,
    `printf '%s %s %s\\n' "\${n:--}" "$d" "$s"`,
    "}",
    "pnx_offload",
  ].join("\n");
}

export function parseOffload(stdout: string): OffloadState[] {
  return stdout
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [ns, device, state] = line.split(" ");
      return { namespace: ns === "-" ? "" : ns, device, on: state === "on" };
    });
}

/**
 * Several ports' scripts as one, framed with their index. Each defines and calls its own function, never exits and
 * sets every variable it reads, so the batch runs in the session's shell (Runner.script's `inSession`).
 */
export const batchScript = (scripts: readonly string[]): string =>
  framedScript(scripts.map((script, i) => ({ label: String(i), script })));

/** Each script's devices, or its error. */
export function parseBatch(stdout: string, scripts: readonly string[]): Map<string, OffloadState[] | Error> {
  const out = new Map<string, OffloadState[] | Error>();
  for (const f of parseFrames({ stdout, stderr: "" })) {
    out.set(
      scripts[Number(f.label)],
      f.code === 0
        ? parseOffload(f.stdout)
        : new CommandError("checksum offload", { code: f.code, stdout: "", stderr: f.stdout }),
    );
  }
  for (const s of scripts) if (!out.has(s)) out.set(s, new Error("the checksum offload script was cut short"));
  return out;
}

const batches = new PerHost(
  (host) =>
    new Coalescer<string, OffloadState[] | Error>(async (scripts) => {
      const r = await host.script(batchScript(scripts), true);
      return parseBatch(r.stdout, scripts);
    }),
);

/**
 * Sets or shows the offload of a port's sending devices. Ports that ask together (a refresh's reads, an up's creates)
 * share one round trip.
 */
export async function offload(
  runner: Runner,
  p: { name: string; type: string; namespace?: string },
  action: "on" | "off" | "show",
): Promise<OffloadState[]> {
  const batch = batches.of(runner);
  // A refresh's snapshot, or the pair's create in this process, knows the peer: two `ip` lookups fewer, the first of
  // which costs more the more namespaces the host has (README, Performance).
  const peer = p.type === "system" ? await vethPeer(runner, p.name) : undefined;
  if (peer === null) return [];
  const got = await batch.get(offloadScript(p, action, peer));
  if (got instanceof Error) throw got;
  return got;
}
