#!/usr/bin/env bash
# The lab host: installs and starts what the tests need (OVS, sshd on loopback, users), and stops only that.
# Usage: lab.sh up | down | status | restart-sshd
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
LAB="$ROOT/.lab"
# sshd reads AuthorizedKeysFile as the user logging in, who may not enter the checkout (root's 0700 home, a
# mktemp -d): the lab's authorized keys live in a root-owned, world-readable directory of their own, one per checkout.
# What the lab changed on the machine (started, below) is noted here rather than in the checkout, so that `down` from
# any checkout undoes a lab that a killed run left behind: only one lab exists at a time (its names are global).
LAB_RUN=/run/pulumi-netns-lab
KEYS_DIR="$LAB_RUN/$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)"
SUDO_USER_NAME=pnlab
NOSUDO_USER_NAME=pnlab-nosudo
SUDOERS=/etc/sudoers.d/pulumi-netns-lab
PACKAGES="openvswitch-switch dnsmasq-base isc-dhcp-client openssh-server openssh-client iproute2 iputils-ping sudo procps ethtool nftables haproxy chromium fonts-liberation"
OVS_CTL=/usr/share/openvswitch/scripts/ovs-ctl
# The jump host and the host behind it, each in a namespace of its own: the root namespace reaches the jump host
# (10.254.1.2), the jump host reaches the host behind (10.254.2.2), and nothing forwards between the two links, so
# the host behind is reachable only through the jump host.
JUMP_NS=pnlab-jump
BEHIND_NS=pnlab-behind
JUMP_IP=10.254.1.2
BEHIND_IP=10.254.2.2

say() { echo "lab: $*" >&2; }
# shellcheck source=lab/hosts.sh
. "$(dirname "$0")/hosts.sh"
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
started() { grep -qx "$1" "$LAB_RUN/started" 2>/dev/null; }
mark_started() { started "$1" || { mkdir -p "$LAB_RUN" && echo "$1" >>"$LAB_RUN/started"; }; }

install_packages() {
  local missing=""
  for cmd in ovs-vsctl dnsmasq dhclient /usr/sbin/sshd ssh-keygen ip ping sudo pgrep ethtool nft haproxy chromium; do
    command -v "$cmd" >/dev/null 2>&1 || missing="$missing $cmd"
  done
  [ -z "$missing" ] && return 0
  say "installing packages (missing:$missing)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # Installing must not start the host's own services (haproxy, dnsmasq): the tests run their own instances.
  local policy=/usr/sbin/policy-rc.d made="" status=0
  [ -e "$policy" ] || { printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && made=1; }
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $PACKAGES >/dev/null || status=$?
  [ -z "$made" ] || rm -f "$policy"
  return "$status"
}

start_ovs() {
  if timeout 5 ovs-vsctl --timeout=3 show >/dev/null 2>&1; then return 0; fi
  say "starting ovsdb-server and ovs-vswitchd (userspace datapath; bridges use datapath_type=netdev)"
  # The kernel module is absent on these machines; ovs-vswitchd still runs, with the netdev datapath.
  "$OVS_CTL" start --system-id=random --no-monitor >"$LAB/ovs-ctl.log" 2>&1 || true
  timeout 10 ovs-vsctl --timeout=5 show >/dev/null || { cat "$LAB/ovs-ctl.log" >&2; say "Open vSwitch did not start"; exit 1; }
  mark_started ovs
}

make_users() {
  if ! id "$SUDO_USER_NAME" >/dev/null 2>&1; then
    useradd --create-home --shell /bin/sh "$SUDO_USER_NAME"
    mark_started "user:$SUDO_USER_NAME"
  fi
  if ! id "$NOSUDO_USER_NAME" >/dev/null 2>&1; then
    useradd --create-home --shell /bin/sh "$NOSUDO_USER_NAME"
    mark_started "user:$NOSUDO_USER_NAME"
  fi
  # Accounts made by useradd are locked ("!"), which sshd refuses even for key logins; "*" allows keys only.
  usermod -p '*' "$SUDO_USER_NAME"
  usermod -p '*' "$NOSUDO_USER_NAME"
  if [ ! -f "$SUDOERS" ]; then
    echo "$SUDO_USER_NAME ALL=(root) NOPASSWD: ALL" >"$SUDOERS"
    chmod 0440 "$SUDOERS"
    mark_started sudoers
  fi
}

# Debian's bash, which sshd runs for every session, reads the user's .bashrc when it finds itself started by sshd
# at shell level 1 (the SSH_SOURCE_BASHRC build option). On our machines root's .bashrc runs `pyenv init`, about
# 0.5 s of CPU per login that a target host with Debian's own root rc files does not spend; the lab's hosts stand for
# such hosts, so their sessions start at level 1 and bash starts at 2 (docs/PERFORMANCE.md).
SSHD_SESSION_ENV="SetEnv SHLVL=1"

free_port() {
  node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

write_sshd_config() { # name port [address]
  cat >"$LAB/$1.sshd_config" <<CONF
ListenAddress ${3:-127.0.0.1}
Port $2
HostKey $LAB/ssh_host_ed25519_key
PidFile $LAB/$1.sshd.pid
AuthorizedKeysFile $KEYS_DIR/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
AllowTcpForwarding yes
LogLevel VERBOSE
$SSHD_SESSION_ENV
CONF
}

start_sshd() { # name [namespace]
  local name=$1
  alive "$LAB/$name.sshd.pid" && return 0
  mkdir -p /run/sshd
  ${2:+ip netns exec "$2"} /usr/sbin/sshd -f "$LAB/$name.sshd_config" -E "$LAB/$name.sshd.log"
  for _ in $(seq 50); do alive "$LAB/$name.sshd.pid" && return 0; sleep 0.1; done
  cat "$LAB/$name.sshd.log" >&2
  say "sshd ($name) did not start"
  exit 1
}

port_of() { awk '$1=="Port"{print $2}' "$LAB/$1.sshd_config"; }

make_jump_network() {
  ip netns list | grep -qw "$JUMP_NS" && return 0
  ip netns add "$JUMP_NS"
  ip netns add "$BEHIND_NS"
  ip link add pnlab-j0 type veth peer name j0 netns "$JUMP_NS"
  ip link add j1 netns "$JUMP_NS" type veth peer name b0 netns "$BEHIND_NS"
  ip addr add 10.254.1.1/30 dev pnlab-j0
  ip link set pnlab-j0 up
  ip -n "$JUMP_NS" addr add "$JUMP_IP/30" dev j0
  ip -n "$JUMP_NS" addr add 10.254.2.1/30 dev j1
  ip -n "$BEHIND_NS" addr add "$BEHIND_IP/30" dev b0
  for dev in lo j0 j1; do ip -n "$JUMP_NS" link set "$dev" up; done
  for dev in lo b0; do ip -n "$BEHIND_NS" link set "$dev" up; done
  ip netns exec "$JUMP_NS" sysctl -qw net.ipv4.ip_forward=0
  # Without this, packets for the host behind would leave by the machine's default route.
  ip route add unreachable 10.254.2.0/30
}

up() {
  [ "$(id -u)" = 0 ] || { say "must run as root (it installs packages and creates namespaces)"; exit 1; }
  status && { say "already up"; return 0; }
  # Not up as a whole: clear what a killed run or a half-started lab left (from any checkout), then start afresh.
  down 2>/dev/null
  mkdir -p "$LAB"
  chmod 755 "$LAB"
  install_packages
  start_ovs
  make_users
  [ -f "$LAB/ssh_host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N "" -C pulumi-netns-lab-host -f "$LAB/ssh_host_ed25519_key"
  [ -f "$LAB/id_ed25519" ] || ssh-keygen -q -t ed25519 -N "" -C pulumi-netns-lab-client -f "$LAB/id_ed25519"
  [ -f "$LAB/wrong_id_ed25519" ] || ssh-keygen -q -t ed25519 -N "" -C pulumi-netns-lab-wrong -f "$LAB/wrong_id_ed25519"
  mkdir -p "$KEYS_DIR"
  chmod 755 "$(dirname "$KEYS_DIR")" "$KEYS_DIR"
  cp "$LAB/id_ed25519.pub" "$KEYS_DIR/authorized_keys"
  chmod 644 "$KEYS_DIR/authorized_keys"
  [ -f "$LAB/main.sshd_config" ] || write_sshd_config main "$(free_port)"
  [ -f "$LAB/jump.sshd_config" ] || write_sshd_config jump 22 "$JUMP_IP"
  [ -f "$LAB/behind.sshd_config" ] || write_sshd_config behind 22 "$BEHIND_IP"
  make_jump_network
  start_sshd main
  start_sshd jump "$JUMP_NS"
  start_sshd behind "$BEHIND_NS"
  hosts_up
  cat >"$LAB/connection.json" <<JSON
{
  "host": "127.0.0.1",
  "port": $(port_of main),
  "user": "root",
  "privateKeyPath": "$LAB/id_ed25519",
  "wrongPrivateKeyPath": "$LAB/wrong_id_ed25519",
  "hostKey": "$(cut -d' ' -f1,2 "$LAB/ssh_host_ed25519_key.pub")",
  "jumpHost": "$JUMP_IP",
  "jumpPort": $(port_of jump),
  "jumpLog": "$LAB/jump.sshd.log",
  "behindHost": "$BEHIND_IP",
  "behindPort": $(port_of behind),
  "sudoUser": "$SUDO_USER_NAME",
  "noSudoUser": "$NOSUDO_USER_NAME",
  "sshdLog": "$LAB/main.sshd.log",
  "labScript": "$ROOT/lab/lab.sh",
  "knownHosts": "$LAB/hosts/known_hosts",
  "hosts": $(hosts_json)
}
JSON
  say "up: sshd on 127.0.0.1:$(port_of main) (jump host $JUMP_IP, behind it $BEHIND_IP; hosts A, B, C at $(host_ip 1), $(host_ip 2), $(host_ip 3)); details in .lab/connection.json"
}

stop_pid() {
  alive "$1" || return 0
  local pid
  pid=$(cat "$1")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}

# One process of each mount namespace that has a lab host's /run (a tmpfs named pnlab-h<k>, hosts.sh).
lab_host_pids() {
  local p m seen=""
  for p in /proc/[0-9]*; do
    m=$(readlink "$p/ns/mnt" 2>/dev/null) || continue
    case "$seen " in *" $m "*) continue ;; esac
    seen="$seen $m"
    grep -qE '^pnlab-h[0-9]+ /run tmpfs' "$p/mounts" 2>/dev/null && echo "${p#/proc/}"
  done
  return 0
}

# Kills these processes and every process that shares a mount namespace with one of them (other than this script's):
# a lab host's daemons and whatever ran in it share its private mount namespace.
kill_with_mounts() { # pid...
  local own mnts="" p m
  own=$(readlink /proc/$$/ns/mnt)
  for p in "$@"; do
    m=$(readlink "/proc/$p/ns/mnt" 2>/dev/null) && [ "$m" != "$own" ] && mnts="$mnts $m"
    kill -9 "$p" 2>/dev/null || true
  done
  [ -n "$mnts" ] || return 0
  for p in /proc/[0-9]*; do
    m=$(readlink "$p/ns/mnt" 2>/dev/null) || continue
    case "$mnts " in *" $m "*) kill -9 "${p#/proc/}" 2>/dev/null || true ;; esac
  done
}

# Takes down whatever lab is on this machine, this checkout's or one a killed run left (from any checkout): it finds
# the lab's objects by their global names and processes, not by this checkout's files.
down() {
  stop_pid "$LAB/main.sshd.pid"
  # Every lab sshd, any checkout's (known by its config under a .lab directory), every process of a lab host (known by
  # the /run it mounted, even once its namespace is gone) with whatever shares its mounts, and every process in the
  # jump and behind namespaces.
  # shellcheck disable=SC2046 # one pid per word
  kill_with_mounts $(pgrep -f 'sshd -f /[^ ]*/\.lab/') $(lab_host_pids) $(ip netns pids "$JUMP_NS" 2>/dev/null) \
    $(ip netns pids "$BEHIND_NS" 2>/dev/null)
  ip link del pnlab-j0 2>/dev/null || true
  ip route del unreachable 10.254.2.0/30 2>/dev/null || true
  ip netns del "$JUMP_NS" 2>/dev/null || true
  ip netns del "$BEHIND_NS" 2>/dev/null || true
  hosts_down
  if started sudoers; then rm -f "$SUDOERS"; fi
  for user in "$SUDO_USER_NAME" "$NOSUDO_USER_NAME"; do
    if started "user:$user"; then userdel --remove "$user" 2>/dev/null || true; fi
  done
  if started ovs; then "$OVS_CTL" stop >/dev/null 2>&1 || true; fi
  rm -rf "$LAB" "$LAB_RUN"
  say "down"
}

status() {
  alive "$LAB/main.sshd.pid" && alive "$LAB/jump.sshd.pid" && alive "$LAB/behind.sshd.pid" && hosts_status &&
    [ -f "$LAB/connection.json" ] &&
    timeout 5 ovs-vsctl --timeout=3 show >/dev/null 2>&1
}

restart_sshd() {
  stop_pid "$LAB/main.sshd.pid"
  start_sshd main
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  restart-sshd) restart_sshd ;;
  *) echo "usage: $0 up|down|status|restart-sshd" >&2; exit 2 ;;
esac
