// Removes everything carrying this run's name prefix from the lab host, so a failing test leaves nothing behind.
import { execFileSync } from "node:child_process";
import { LabHost, onHost } from "./access";

function sh(script: string): void {
  try {
    execFileSync("/bin/sh", ["-c", script], { stdio: "ignore", timeout: 60_000 });
  } catch {
    // Best effort: sweeping must never mask the test result.
  }
}

/**
 * Deletes processes in, and then, namespaces (also qdhcp-/qrouter-/qlbaas- ones whose id starts with it), OVS bridges and
 * ports, links, run files and ownership records named with `prefix`.
 */
export function sweep(prefix: string): void {
  sh(sweepScript(prefix));
}

/** The same on a lab host, through its sshd. */
export function sweepHost(h: LabHost, prefix: string): void {
  try {
    onHost(h, sweepScript(prefix));
  } catch {
    // Best effort, as above.
  }
}

function sweepScript(prefix: string): string {
  if (!/^[a-z0-9]+-$/.test(prefix)) throw new Error(`refusing to sweep with an unsafe prefix "${prefix}"`);
  return `
    for ns in $(ip netns list | awk '{print $1}' | grep -E '^(qdhcp-|qrouter-|qlbaas-)?${prefix}'); do
      pids=$(ip netns pids "$ns"); [ -n "$pids" ] && kill -9 $pids
      ip netns del "$ns"
    done
    for br in $(ovs-vsctl --timeout=5 list-br | grep '^${prefix}'); do ovs-vsctl --timeout=5 --if-exists del-br "$br"; done
    for port in $(ovs-vsctl --timeout=5 --bare --columns=name list Port | grep '^${prefix}'); do ovs-vsctl --timeout=5 --if-exists del-port "$port"; done
    for link in $(ip -o link show | awk -F': ' '{print $2}' | cut -d@ -f1 | grep '^${prefix}'); do ip link del "$link"; done
    rm -f /run/pulumi-netns/*/${prefix}* /run/pulumi-netns/*/qdhcp-${prefix}* /run/pulumi-netns/*/qlbaas-${prefix}* /tmp/${prefix}*
    rm -rf /etc/netns/${prefix}*
    [ -d /run/pulumi-netns/owners ] && find /run/pulumi-netns/owners -type f -name '*${prefix}*' -delete
    [ -d /run/pulumi-netns ] && find /run/pulumi-netns -depth -type d -empty -delete
    true
  `;
}
