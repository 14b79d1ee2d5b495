# Lab hosts A, B, C (sourced by lab.sh): each its own network and mount namespace, with a /run of its own, Open
# vSwitch (database and daemons) and sshd, joined by an underlay network; see README, "Several hosts".
# shellcheck shell=bash
HOSTS="1 2 3"
UNDERLAY_NS=pnlab-underlay
host_ns() { echo "pnlab-h$1"; }
host_dir() { echo "$LAB/hosts/h$1"; }
host_ip() { echo "10.254.2$1.2"; }        # management address, where its sshd listens
underlay_ip() { echo "10.254.100.$1"; }   # its address on the underlay
host_name() { echo "ABC" | cut -c"$1"; }

# The host's first process: enters a private mount namespace, mounts the host's own directories, starts its Open
# vSwitch and sshd, and stays, so that everything the host runs shares its mounts.
write_host_init() { # k
  local k=$1 dir
  dir=$(host_dir "$k")
  cat >"$dir/init.sh" <<INIT
set -e
# A /run of its own: its namespaces, OVS sockets, sshd and the library's run directory are the host's alone (and
# a directory the machine removes from its own /run cannot detach them).
mount -t tmpfs -o mode=755 pnlab-h$k /run
mkdir -p /run/netns /run/openvswitch /run/sshd /run/lock
mount --bind $dir/etc /etc/openvswitch
mount --bind $dir/log /var/log/openvswitch
ovsdb-server /etc/openvswitch/conf.db --remote=punix:/run/openvswitch/db.sock --pidfile --detach --log-file
ovs-vsctl --no-wait init
ovs-vsctl --no-wait set Open_vSwitch . external_ids:system-id=pnlab-h$k
ovs-vswitchd --pidfile --detach --log-file
/usr/sbin/sshd -f $dir/sshd_config -E $dir/sshd.log
exec sleep infinity
INIT
}

host_up() { # k
  local k=$1 ns dir
  ns=$(host_ns "$k")
  dir=$(host_dir "$k")
  alive "$dir/sshd.pid" && return 0
  host_down "$k" # whatever a failed start left
  mkdir -p "$dir/etc" "$dir/log"
  [ -f "$dir/ssh_host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N "" -C "pulumi-netns-lab-h$k" -f "$dir/ssh_host_ed25519_key"
  cat >"$dir/sshd_config" <<CONF
ListenAddress $(host_ip "$k")
Port 22
HostKey $dir/ssh_host_ed25519_key
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
LogLevel VERBOSE
$SSHD_SESSION_ENV
CONF
  cp "$LAB/id_ed25519.pub" "$dir/authorized_keys"
  rm -f "$dir/etc/conf.db"
  ovsdb-tool create "$dir/etc/conf.db" /usr/share/openvswitch/vswitch.ovsschema
  ip netns add "$ns"
  ip link add "pnlab-m$k" type veth peer name mgmt0 netns "$ns"
  ip addr add "10.254.2$k.1/30" dev "pnlab-m$k"
  ip link set "pnlab-m$k" up
  ip -n "$ns" addr add "$(host_ip "$k")/30" dev mgmt0
  ip link add "ul$k" netns "$UNDERLAY_NS" type veth peer name ul0 netns "$ns"
  ip -n "$UNDERLAY_NS" link set "ul$k" master ul up
  ip -n "$ns" addr add "$(underlay_ip "$k")/24" dev ul0
  for dev in lo mgmt0 ul0; do ip -n "$ns" link set "$dev" up; done
  write_host_init "$k"
  ip netns exec "$ns" unshare --mount --propagation private sh "$dir/init.sh" >"$dir/init.log" 2>&1 &
  for _ in $(seq 100); do alive "$dir/sshd.pid" && return 0; sleep 0.1; done
  cat "$dir/init.log" "$dir/sshd.log" >&2 2>/dev/null || true
  say "host $(host_name "$k") did not start"
  exit 1
}

hosts_up() {
  if ! ip netns list | grep -qw "$UNDERLAY_NS"; then
    ip netns add "$UNDERLAY_NS"
    ip -n "$UNDERLAY_NS" link add ul type bridge
    ip -n "$UNDERLAY_NS" link set ul up
    # The underlay is the hosts' own: nothing from this machine goes there by its default route.
    ip route add unreachable 10.254.100.0/24
  fi
  for k in $HOSTS; do host_up "$k"; done
  : >"$LAB/hosts/known_hosts"
  for k in $HOSTS; do echo "$(host_ip "$k") $(cut -d' ' -f1,2 "$(host_dir "$k")/ssh_host_ed25519_key.pub")" >>"$LAB/hosts/known_hosts"; done
}

# The JSON list of the hosts for connection.json.
hosts_json() {
  local k sep=""
  echo "["
  for k in $HOSTS; do
    printf '%s    {"name": "%s", "host": "%s", "port": 22, "user": "root", "privateKeyPath": "%s", "hostKey": "%s", "underlayIp": "%s", "namespace": "%s", "managementLink": "pnlab-m%s", "sshdLog": "%s"}' \
      "$sep" "$(host_name "$k")" "$(host_ip "$k")" "$LAB/id_ed25519" \
      "$(cut -d' ' -f1,2 "$(host_dir "$k")/ssh_host_ed25519_key.pub")" "$(underlay_ip "$k")" "$(host_ns "$k")" "$k" "$(host_dir "$k")/sshd.log"
    sep=$',\n'
  done
  printf '\n  ]'
}

# Stops every process of the host (those in its network namespace, and all that share their mounts: its daemons and
# whatever ran in it), found from the namespace rather than the checkout's files, so a host a killed run left goes
# too; then its links.
host_down() { # k
  local k=$1 ns
  ns=$(host_ns "$k")
  # shellcheck disable=SC2046 # one pid per word
  kill_with_mounts $(ip netns pids "$ns" 2>/dev/null)
  ip link del "pnlab-m$k" 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
}

hosts_down() {
  for k in $HOSTS; do host_down "$k"; done
  ip netns del "$UNDERLAY_NS" 2>/dev/null || true
  ip route del unreachable 10.254.100.0/24 2>/dev/null || true
}

hosts_status() {
  for k in $HOSTS; do alive "$(host_dir "$k")/sshd.pid" || return 1; done
}
