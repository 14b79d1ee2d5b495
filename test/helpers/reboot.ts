// A reboot as these hosts see it (docs/ARCHITECTURE.md, "After a reboot"), simulated on this machine or on a lab host.
import { execFileSync } from "node:child_process";
import { LabHost, onHost } from "./lab";

/**
 * The shell steps of a reboot for the namespaces whose names contain `prefix` (all of them with ""): their
 * processes killed, the namespaces deleted, the library's run directory emptied; `restartOvs` then brings Open
 * vSwitch back from its database, which keeps the bridges and every port row with their marks.
 */
const rebootScript = (prefix: string, restartOvs: string) => `
  set -e
  for ns in $(ip netns list | awk '{print $1}' | grep -F -- '${prefix}' || true); do
    ip netns pids "$ns" | xargs -r kill -KILL
  done
  for ns in $(ip netns list | awk '{print $1}' | grep -F -- '${prefix}' || true); do ip netns del "$ns"; done
  rm -rf /run/pulumi-netns
  ${restartOvs}
  ovs-vsctl --timeout=10 show >/dev/null`;

/** This machine's (the lab host's) reboot, for the objects a test made under `prefix`. */
export function rebootHere(prefix: string): void {
  // As the lab started it (test/lab/lab.sh): no monitor, whose restart would outlive the lab.
  const ovs = "/usr/share/openvswitch/scripts/ovs-ctl restart --no-monitor --system-id=random >/dev/null 2>&1";
  execFileSync("/bin/sh", ["-c", rebootScript(prefix, ovs)], { stdio: ["ignore", "ignore", "inherit"] });
}

/** A lab host's reboot, inside its own /run and Open vSwitch (test/lab/hosts.sh starts them the same way). */
export function rebootLabHost(h: LabHost): void {
  const ovs = [
    "ovs-appctl -t ovs-vswitchd exit",
    "ovs-appctl -t ovsdb-server exit",
    "ovsdb-server /etc/openvswitch/conf.db --remote=punix:/run/openvswitch/db.sock --pidfile --detach --log-file",
    "ovs-vswitchd --pidfile --detach --log-file",
  ].join("\n  ");
  onHost(h, rebootScript("", ovs));
}
