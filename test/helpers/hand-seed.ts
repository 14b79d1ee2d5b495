// The seed built by hand, with the commands a person types (README, "Bringing an existing lab under management").

/**
 * The seed's commands under a name prefix (plus `datapath_type=netdev`, as on these machines), each daemon's files
 * in `dir` rather than the distribution's defaults, so that a test leaves nothing behind. Each client namespace gets
 * an /etc/netns/<ns>/resolv.conf first, without which the stock dhclient-script would rewrite the host's.
 */
export function handSeedScript(p: string, dir: string): string {
  const segment = (key: string, vlan: number, range: string) => `
ip netns add ${p}${key === "r" ? "red" : "green"}
ip link add eth0-${key} netns ${p}${key === "r" ? "red" : "green"} type veth peer name ${p}veth-${key}
ip link set ${p}veth-${key} up
ip netns exec ${p}${key === "r" ? "red" : "green"} ip link set eth0-${key} up
ip netns exec ${p}${key === "r" ? "red" : "green"} ip link set lo up
ovs-vsctl add-port ${p}OVS1 ${p}veth-${key}
ovs-vsctl set port ${p}veth-${key} tag=${vlan}
ip netns add ${p}dhcp-${key}
ovs-vsctl add-port ${p}OVS1 ${p}tap-${key} -- set interface ${p}tap-${key} type=internal
ovs-vsctl set port ${p}tap-${key} tag=${vlan}
ip link set ${p}tap-${key} netns ${p}dhcp-${key}
ip netns exec ${p}dhcp-${key} ip link set ${p}tap-${key} up
ip netns exec ${p}dhcp-${key} ip link set lo up
ip netns exec ${p}dhcp-${key} ip addr add 10.50.50.2/24 dev ${p}tap-${key}
ip netns exec ${p}dhcp-${key} dnsmasq --interface=${p}tap-${key} --dhcp-range=${range},255.255.255.0 --dhcp-leasefile=${dir}/dnsmasq-${key}.leases --pid-file=${dir}/dnsmasq-${key}.pid
mkdir -p /etc/netns/${p}${key === "r" ? "red" : "green"}
echo "nameserver 10.50.50.2" > /etc/netns/${p}${key === "r" ? "red" : "green"}/resolv.conf
ip netns exec ${p}${key === "r" ? "red" : "green"} dhclient -pf ${dir}/dhclient-${key}.pid -lf ${dir}/dhclient-${key}.leases eth0-${key}
`;
  return `set -e
mkdir -p ${dir}
ovs-vsctl add-br ${p}OVS1 -- set bridge ${p}OVS1 datapath_type=netdev
${segment("r", 100, "10.50.50.10,10.50.50.100")}
${segment("g", 200, "10.50.50.110,10.50.50.200")}`;
}

/** Removes what handSeedScript made outside namespaces and OVS (the sweep removes those): its files and /etc/netns entries. */
export const handSeedFilesCleanup = (p: string, dir: string) =>
  `rm -rf ${dir} /etc/netns/${p}red /etc/netns/${p}green; rmdir /etc/netns 2>/dev/null; true`;
