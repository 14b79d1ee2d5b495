#!/usr/bin/env bash
# Checks that the lab leaves nothing behind when a run fails, is stopped by a signal, or was killed and its checkout
# deleted (then the next run clears it), and that down clears a lab whose namespaces and sshds were removed by hand.
# Run by .ci/run before the tests (about 40 s); fails naming what was left.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"

leftovers() {
  local out="" ns
  ns=$(ip netns list | awk '$1 ~ /^pnlab-/ {print $1}' | tr '\n' ' ')
  [ -z "$ns" ] || out="$out namespaces: $ns;"
  ! pgrep -f 'sshd -f /[^ ]*/\.lab/' >/dev/null || out="$out a lab sshd;"
  ! pgrep -f 'ovsdb-server .*--remote=punix:/run/openvswitch/db.sock --pidfile --detach' >/dev/null || out="$out a lab host's ovsdb-server;"
  ! ip link show pnlab-j0 >/dev/null 2>&1 || out="$out link pnlab-j0;"
  [ ! -e /run/pulumi-netns-lab ] || out="$out /run/pulumi-netns-lab;"
  ! id pnlab >/dev/null 2>&1 || out="$out user pnlab;"
  echo "$out"
}
check() { # what happened
  local left
  left=$(leftovers)
  [ -z "$left" ] || { echo "lab cleanup: after $1, left:$left" >&2; exit 1; }
  echo "lab cleanup: after $1, nothing left" >&2
}

[ -z "$(leftovers)" ] || { echo "lab cleanup: the machine already holds a lab:$(leftovers)" >&2; exit 1; }

# A run whose command fails.
if bash "$HERE/with-lab.sh" false; then echo "lab cleanup: with-lab.sh hid the command's failure" >&2; exit 1; fi
check "a failing run"

# A run stopped by a signal while its command runs.
setsid bash "$HERE/with-lab.sh" sleep 600 &
pid=$!
for _ in $(seq 600); do pgrep -f '^sleep 600$' >/dev/null && break; sleep 0.1; done
kill -TERM -- "-$pid"
wait "$pid" || true
check "a run stopped by SIGTERM"

# A run killed outright, whose checkout is then deleted: the next run must clear what it left.
other=$(mktemp -d)
cp -r "$HERE" "$other/lab"
bash "$other/lab/lab.sh" up 2>/dev/null
rm -rf "$other"
bash "$HERE/with-lab.sh" true
check "a killed run's lab from a deleted checkout"

# A lab whose namespaces were deleted and sshds killed by hand while the rest ran: down still finds each host by
# the /run it mounted.
bash "$HERE/lab.sh" up 2>/dev/null
for ns in $(ip netns list | awk '$1 ~ /^pnlab-/ {print $1}'); do ip netns del "$ns"; done
pkill -9 -f 'sshd -f /[^ ]*/\.lab/'
bash "$HERE/lab.sh" down
check "a lab whose namespaces and sshds were removed by hand"
