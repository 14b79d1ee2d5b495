// The DhcpClient Pulumi resource: dhclient on one interface in a namespace, never touching the host's files.
import * as pulumi from "@pulumi/pulumi";
import { NetnsResource, WithConnection } from "../dynamic/resource";

export interface DhcpClientArgs extends WithConnection {
  /** The namespace the client runs in (e.g. red). Changing it replaces the client. */
  namespace: pulumi.Input<string>;
  /** The interface to configure from DHCP (e.g. eth0-r). Changing it replaces the client. */
  interface: pulumi.Input<string>;
  /** Seconds to wait for a lease before create fails and cleans up. Defaults to 30. */
  timeout?: pulumi.Input<number>;
}

/**
 * dhclient with its own pid and lease files under /run/pulumi-netns/dhclient/ and its own script that
 * only sets the interface's address and default route: the host's /etc/resolv.conf is never rewritten.
 * Create returns once a lease is bound; update asks again; delete releases the lease.
 */
export class DhcpClient extends NetnsResource {
  declare readonly namespace: pulumi.Output<string>;
  declare readonly interface: pulumi.Output<string>;
  /** The leased address with its prefix, e.g. 10.50.50.37/24. */
  declare readonly address: pulumi.Output<string>;
  /** The router offered, if any. */
  declare readonly gateway: pulumi.Output<string | undefined>;
  /** The DNS servers offered, if any. */
  declare readonly dnsServers: pulumi.Output<string[] | undefined>;
  /** dhclient's lease file. */
  declare readonly leaseFile: pulumi.Output<string>;
  /** The dhclient process id. */
  declare readonly pid: pulumi.Output<number>;

  constructor(name: string, args: DhcpClientArgs, opts?: pulumi.CustomResourceOptions) {
    super("DhcpClient", name, args, ["timeout", "address", "gateway", "dnsServers", "leaseFile", "pid"], opts);
  }
}
