// Host commands, pure: the probe script and its parser, what is missing and from which package, install and start.
import { framedScript, parseFrames } from "../shell/frames";
import { quote } from "../shell/quote";
import type { Need } from "./schema";

/** A command the library runs, and the Debian package that has it. */
interface Tool {
  command: string;
  pkg: string;
  /** What makes it print its version; --version unless said. */
  versionFlag?: string;
}

const IP: Tool = { command: "ip", pkg: "iproute2", versionFlag: "-V" };
const PS: Tool = { command: "ps", pkg: "procps" };
/** How commands enter a namespace's network (provider/shell/netns.ts). */
const NSENTER: Tool = { command: "nsenter", pkg: "util-linux" };

/** The tools each need brings (iproute2 and nsenter are always needed). */
export const TOOLS: Record<Need, Tool[]> = {
  openvswitch: [
    { command: "ovs-vsctl", pkg: "openvswitch-switch" },
    // Checksum offload on netdev bridges (provider/ovs-port/offload.ts).
    { command: "ethtool", pkg: "ethtool" },
  ],
  dnsmasq: [{ command: "dnsmasq", pkg: "dnsmasq-base" }, PS],
  dhclient: [{ command: "dhclient", pkg: "isc-dhcp-client" }, PS],
  nftables: [{ command: "nft", pkg: "nftables" }],
  haproxy: [{ command: "haproxy", pkg: "haproxy", versionFlag: "-v" }],
  ping: [{ command: "ping", pkg: "iputils-ping", versionFlag: "-V" }],
};

export const OVS_CTL = "/usr/share/openvswitch/scripts/ovs-ctl";

export function toolsFor(needs: readonly Need[]): Tool[] {
  const all = [IP, NSENTER, ...needs.flatMap((n) => TOOLS[n])];
  return all.filter((t, i) => all.findIndex((o) => o.command === t.command) === i);
}

/** What the host has: each tool's first version line, whether OVS answers, the init system, the kernel module. */
export interface Probe {
  versions: Record<string, string>;
  missing: Tool[];
  ovsRunning: boolean;
  /** ovs-vsctl's bridges, when OVS answers. */
  bridges: string[];
  systemd: boolean;
  ovsModule: boolean;
  apt: boolean;
}

/** One script, one round trip, each question a framed part (shell/frames.ts); it only reads. */
export function probeScript(tools: readonly Tool[]): string {
  return framedScript([
    ...tools.map((t) => ({
      label: `tool ${t.command}`,
      script: `command -v ${quote(t.command)} >/dev/null && ${quote(t.command)} ${t.versionFlag ?? "--version"} 2>&1 | head -n 1`,
    })),
    { label: "ovs", script: "ovs-vsctl --timeout=5 list-br" },
    { label: "systemd", script: "[ -d /run/systemd/system ]" },
    { label: "module", script: "[ -d /sys/module/openvswitch ]" },
    { label: "apt", script: "command -v apt-get >/dev/null" },
  ]);
}

/** The version in a tool's first --version line ("ovs-vsctl (Open vSwitch) 3.1.0" gives 3.1.0). */
export function versionOf(line: string): string {
  return /\d+(\.\d+)+([-.+~][\w.+~-]*)?/.exec(line)?.[0] ?? line.trim();
}

export function parseProbe(stdout: string, tools: readonly Tool[]): Probe {
  const parts = new Map(parseFrames({ stdout, stderr: "" }).map((f) => [f.label, f]));
  if (!parts.has("apt")) throw new Error("the host probe was cut short");
  const yes = (label: string) => parts.get(label)?.code === 0;
  const versions: Record<string, string> = {};
  for (const t of tools)
    if (yes(`tool ${t.command}`)) versions[t.command] = versionOf(parts.get(`tool ${t.command}`)!.stdout);
  return {
    versions,
    missing: tools.filter((t) => !yes(`tool ${t.command}`)),
    ovsRunning: yes("ovs"),
    bridges: yes("ovs") ? parts.get("ovs")!.stdout.split("\n").filter(Boolean) : [],
    systemd: yes("systemd"),
    ovsModule: yes("module"),
    apt: yes("apt"),
  };
}

/** How a shell or a launcher says a program is not there: dash, bash, nsenter, `ip netns exec`, timeout (any quotes). */
const NOT_THERE = [
  /: ([\w.-]+): not found/,
  /([\w.-]+): command not found/,
  /failed to execute ([\w.-]+): No such file or directory/,
  /exec of "([\w.-]+)" failed: No such file or directory/,
  /failed to run command \S?([\w.-]+?)\S?: No such file or directory/,
];

/** The tool an error says is not on the host, with its package and the need that brings it; else undefined. */
export function missingTool(message: string): (Tool & { need: Need }) | undefined {
  for (const pattern of NOT_THERE) {
    const command = pattern.exec(message)?.[1];
    for (const need of Object.keys(TOOLS) as Need[]) {
      const tool = TOOLS[need].find((t) => t.command === command);
      if (tool) return { ...tool, need };
    }
  }
  return undefined;
}

/**
 * A failed operation's error, with a last line naming the package and the Host's need when it says a tool the
 * library runs is not on the host: the Host installs only what its `needs` list (dynamic/host.ts adds it to each).
 */
export function withInstallHint(e: unknown): unknown {
  const tool = e instanceof Error ? missingTool(e.message) : undefined;
  if (!tool) return e;
  return new Error(
    `${(e as Error).message}\n${tool.command} is not installed on the host (Debian package ${tool.pkg}): list ` +
      `"${tool.need}" in the Host's needs, with install: true to install it`,
  );
}

/** The packages that bring what is missing, each once. */
export const packagesOf = (missing: readonly Tool[]) => [...new Set(missing.map((t) => t.pkg))];

export function installScript(pkgs: readonly string[]): string {
  return (
    "export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && " +
    `apt-get install -y -qq --no-install-recommends ${pkgs.map(quote).join(" ")}`
  );
}

/** Starts Open vSwitch the way the host's init does, and waits until it answers. */
export function startOvsScript(systemd: boolean): string {
  const start = systemd ? "systemctl start openvswitch-switch" : `${OVS_CTL} start --system-id=random`;
  return `${start} 2>&1 || exit $?; i=0; until ovs-vsctl --timeout=5 show >/dev/null 2>&1; do i=$((i+1)); [ $i -lt 20 ] || { echo 'Open vSwitch did not answer after starting'; exit 1; }; sleep 0.5; done`;
}

export function stopOvsScript(systemd: boolean): string {
  return systemd ? "systemctl stop openvswitch-switch" : `${OVS_CTL} stop`;
}

/** One message for everything missing: the packages, and the commands that fix it. */
export function missingMessage(probe: Probe, needsOvs: boolean, target: string): string | undefined {
  const pkgs = packagesOf(probe.missing);
  if (pkgs.length === 0 && (probe.ovsRunning || !needsOvs)) return undefined;
  const what: string[] = [];
  const fix: string[] = [];
  if (pkgs.length) {
    const packages = pkgs.length > 1 ? "packages" : "package";
    what.push(`${probe.missing.map((t) => t.command).join(", ")} (Debian ${packages} ${pkgs.join(", ")})`);
    fix.push(`apt-get install -y --no-install-recommends ${pkgs.join(" ")}`);
  }
  if (needsOvs && !probe.ovsRunning) {
    what.push("a running Open vSwitch");
    fix.push(probe.systemd ? "systemctl start openvswitch-switch" : `${OVS_CTL} start`);
  }
  return (
    `host ${target} lacks ${what.join(" and ")}: run \`${fix.join(" && ")}\` there, ` +
    "or set `install: true` on the Host to have it done"
  );
}
