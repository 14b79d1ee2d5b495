// The DhcpServer Pulumi resource: dnsmasq serving DHCP on one interface inside a namespace.
import * as pulumi from "@pulumi/pulumi";
import { NetnsResource, WithConnection } from "../dynamic/resource";

export interface StaticHost {
  /** The client's MAC address. */
  mac: pulumi.Input<string>;
  /** The address it always gets. */
  ip: pulumi.Input<string>;
  /** The host name it gets. */
  hostname?: pulumi.Input<string>;
}

export interface ExtraOption {
  /** A dnsmasq option from the allow-list (dhcp-option, dhcp-boot, dhcp-lease-max, log-dhcp, ...). */
  name: pulumi.Input<string>;
  /** Its value; omit for flags. One line. */
  value?: pulumi.Input<string>;
}

export interface DhcpServerArgs extends WithConnection {
  /** The namespace dnsmasq runs in (e.g. dhcp-r). Changing it replaces the server. */
  namespace: pulumi.Input<string>;
  /** The interface to serve (e.g. the internal port tap-r); it must hold an address in `subnet`. Changing it replaces. */
  interface: pulumi.Input<string>;
  /** The IPv4 subnet served, e.g. 10.50.50.0/24; gives the netmask handed out. */
  subnet: pulumi.Input<string>;
  /** The first address handed out. */
  rangeStart: pulumi.Input<string>;
  /** The last address handed out. */
  rangeEnd: pulumi.Input<string>;
  /** How long leases last, e.g. "12h" or "infinite". Defaults to "1h". */
  leaseTime?: pulumi.Input<string>;
  /** The router handed out; unset offers none. */
  gateway?: pulumi.Input<string>;
  /** The DNS servers handed out. */
  dnsServers?: pulumi.Input<pulumi.Input<string>[]>;
  /** The domain name handed out. */
  domain?: pulumi.Input<string>;
  /** Fixed leases: MAC address to IP address (and host name). */
  staticHosts?: pulumi.Input<pulumi.Input<StaticHost>[]>;
  /** More dnsmasq options, from an allow-list of DHCP options. */
  extraOptions?: pulumi.Input<pulumi.Input<ExtraOption>[]>;
}

/**
 * dnsmasq, DHCP only, bound to one interface in one namespace, with its config, pid and lease files under
 * /run/pulumi-netns/dnsmasq/. Every setting but the namespace and interface changes in place (restart,
 * leases kept).
 */
export class DhcpServer extends NetnsResource {
  declare readonly namespace: pulumi.Output<string>;
  declare readonly interface: pulumi.Output<string>;
  declare readonly rangeStart: pulumi.Output<string>;
  declare readonly rangeEnd: pulumi.Output<string>;
  /** The dnsmasq process id. */
  declare readonly pid: pulumi.Output<number>;
  /** The generated dnsmasq configuration file. */
  declare readonly configPath: pulumi.Output<string>;
  /** dnsmasq's lease file. */
  declare readonly leaseFile: pulumi.Output<string>;

  constructor(name: string, args: DhcpServerArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "DhcpServer",
      name,
      args,
      ["leaseTime", "staticHosts", "extraOptions", "pid", "configPath", "leaseFile"],
      opts,
    );
  }
}
