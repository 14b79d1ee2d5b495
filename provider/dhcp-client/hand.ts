// A dhclient started by hand, read back as a DhcpClient: its command line, and the lease it holds (pure).

/** Where Debian's dhclient keeps its leases when its command line names no file. */
export const DEFAULT_LEASE_FILE = "/var/lib/dhcp/dhclient.leases";

/** dhclient's options that take a value. */
const WITH_VALUE = new Set([
  "-pf",
  "-lf",
  "-cf",
  "-sf",
  "-s",
  "-g",
  "-p",
  "-e",
  "-xf",
  "--decline-wait-time",
  "--dad-wait-time",
  "--prefix-len-hint",
]);

/** What a dhclient command line says, as far as a DhcpClient can say it. */
export interface HandClient {
  /** The interfaces it configures (none: every interface it finds). */
  interfaces: string[];
  leaseFile: string;
  /** True for a DHCPv6 client (-6), which a DhcpClient is not. */
  ipv6: boolean;
}

export function parseHandClient(argv: readonly string[]): HandClient {
  const c: HandClient = { interfaces: [], leaseFile: DEFAULT_LEASE_FILE, ipv6: false };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === "-lf") c.leaseFile = argv[i + 1] ?? c.leaseFile;
    if (a === "-6") c.ipv6 = true;
    if (WITH_VALUE.has(a)) i++;
    else if (!a.startsWith("-")) c.interfaces.push(a);
  }
  return c;
}

/** True when the client configures this interface. */
export const configures = (c: HandClient, iface: string) =>
  !c.ipv6 && (c.interfaces.length === 0 || c.interfaces.includes(iface));

/** The newest lease in a dhclient lease file for this interface, as a lease file of its own (undefined for none). */
export function leaseFor(text: string, iface: string): string | undefined {
  const blocks = text.match(/^lease \{$[\s\S]*?^\}$/gm) ?? [];
  const mine = blocks.filter((b) => b.includes(`\n  interface ${JSON.stringify(iface)};`));
  return mine.length ? `${mine[mine.length - 1]}\n` : undefined;
}

/** How many leases a lease file holds: dhclient adds one each time it binds. */
export const leaseCount = (text: string) => (text.match(/^lease \{$/gm) ?? []).length;
