// A reboot as these hosts see it (docs/ARCHITECTURE.md, "After a reboot"), simulated on this machine or on a lab host.
import { execFileSync } from "node:child_process";
import { LabHost, onHost } from "./access";

/**
 * The shell steps of a reboot for the namespaces and tunnel devices whose names contain `prefix` (a test's own: a lab
 * host's management and underlay links must stay): the namespaces' processes killed, the namespaces and devices deleted, the library's run directory emptied;
 * `restartOvs` then brings Open vSwitch back from its database, which keeps the bridges and every port row with
 * their marks. (A veth in the host's namespace goes with its peer's namespace.)
 */
const rebootScript = (prefix: string, restartOvs: string) => `
  set -e
  for ns in $(ip netns list | awk '{print $1}' | grep -F -- '${prefix}' || true); do
    ip netns pids "$ns" | xargs -r kill -KILL
  done
  for ns in $(ip netns list | awk '{print $1}' | grep -F -- '${prefix}' || true); do ip netns del "$ns"; done
  for d in $({ ip -o link show type vxlan; ip -o link show type geneve; } | awk -F': ' '{print $2}' | cut -d@ -f1 | grep -F -- '${prefix}' || true); do
    ip link del "$d"
  done
  # The kernel tears deleted namespaces down in the background (seconds for hundreds): wait until their veths are
  # gone, as after a real reboot nothing is left to tear down.
  for i in $(seq 600); do ip -o link show type veth | grep -qF -- '${prefix}' || break; sleep 0.1; done
  rm -rf /run/pulumi-netns
  ${restartOvs}
  ovs-vsctl --timeout=10 show >/dev/null`;

/** This machine's (the lab host's) reboot, for the objects a test made under `prefix`. */
export function rebootHere(prefix: string): void {
  // As the lab started it (lab/lab.sh): no monitor, whose restart would outlive the lab.
  const ovs = "/usr/share/openvswitch/scripts/ovs-ctl restart --no-monitor --system-id=random >/dev/null 2>&1";
  execFileSync("/bin/sh", ["-c", rebootScript(prefix, ovs)], { stdio: ["ignore", "ignore", "inherit"] });
}

/** A lab host's reboot, inside its own /run and Open vSwitch (lab/hosts.sh starts them the same way). */
export function rebootLabHost(h: LabHost, prefix: string): void {
  // `ovs-appctl ... exit` returns before the daemon is gone; a new one started then finds its pid file held.
  const stop = (d: string) =>
    `p=$(cat /run/openvswitch/${d}.pid); ovs-appctl -t ${d} exit; for i in $(seq 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done`;
  const ovs = [
    stop("ovs-vswitchd"),
    stop("ovsdb-server"),
    "ovsdb-server /etc/openvswitch/conf.db --remote=punix:/run/openvswitch/db.sock --pidfile --detach --log-file 2>/dev/null",
    "ovs-vswitchd --pidfile --detach --log-file 2>/dev/null",
  ].join("\n  ");
  onHost(h, rebootScript(prefix, ovs));
}
