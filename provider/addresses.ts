// IPv4 and CIDR arithmetic (pure): parsing, netmasks, which network an address is in, ranges.
import { isIP } from "node:net";

export interface Cidr {
  address: string;
  prefix: number;
  family: 4 | 6;
}

export function parseCidr(s: string): Cidr | undefined {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  const family = isIP(m[1]);
  const prefix = Number(m[2]);
  if (family === 0 || prefix > (family === 4 ? 32 : 128)) return undefined;
  return { address: m[1], prefix, family: family as 4 | 6 };
}

/** An IPv4 address as a 32-bit number, or undefined when it is not one. */
export function ipv4ToInt(s: string): number | undefined {
  if (isIP(s) !== 4) return undefined;
  return s.split(".").reduce((acc, o) => acc * 256 + Number(o), 0);
}

export function prefixToNetmask(prefix: number): string {
  const n = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join(".");
}

export function netmaskToPrefix(mask: string): number | undefined {
  const n = ipv4ToInt(mask);
  if (n === undefined) return undefined;
  const bits = n.toString(2).padStart(32, "0");
  return /^1*0*$/.test(bits) ? (bits.indexOf("0") === -1 ? 32 : bits.indexOf("0")) : undefined;
}

/** True when an IPv4 address lies inside an IPv4 network given as a CIDR. */
export function inSubnet(address: string, subnet: string): boolean {
  const c = parseCidr(subnet);
  const a = ipv4ToInt(address);
  if (!c || c.family !== 4 || a === undefined) return false;
  const net = ipv4ToInt(c.address)!;
  const size = 2 ** (32 - c.prefix);
  return Math.floor(a / size) === Math.floor(net / size);
}

/** True when IPv4 address `a` comes after `b` in address order; false when either is no IPv4 address. */
export function ipv4After(a: string, b: string): boolean {
  const [x, y] = [a, b].map(ipv4ToInt);
  return x !== undefined && y !== undefined && x > y;
}

/** True when an IPv4 address lies between `start` and `end`, both included. */
export function inRange(address: string, start: string, end: string): boolean {
  const [a, s, e] = [address, start, end].map(ipv4ToInt);
  return a !== undefined && s !== undefined && e !== undefined && s <= a && a <= e;
}

/** An IPv4 network address with no host bits set, e.g. 10.50.50.0/24. */
export function isIpv4Network(s: string): boolean {
  const c = parseCidr(s);
  if (!c || c.family !== 4) return false;
  return c.prefix === 0 || ipv4ToInt(c.address)! % 2 ** (32 - c.prefix) === 0;
}

/** The IPv4 network (CIDR) an address belongs to at a prefix length. */
export function networkOf(address: string, prefix: number): string {
  const size = 2 ** (32 - prefix);
  const n = Math.floor((ipv4ToInt(address) ?? 0) / size) * size;
  return `${[24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".")}/${prefix}`;
}

/** The address `offset` places into an IPv4 network (negative: counted back from its broadcast address). */
export function addressAt(subnet: string, offset: number): string {
  const c = parseCidr(subnet)!;
  const size = 2 ** (32 - c.prefix);
  const n = ipv4ToInt(c.address)! + (offset < 0 ? size + offset : offset);
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");
}

/** The IPv4 network of the first address in `addrs` (an interface's) whose network holds `address`, if any. */
export function subnetHolding(
  addrs: ReadonlyArray<{ family: string; local: string; prefixlen: number }> | undefined,
  address: string | undefined,
): string | undefined {
  const a = addrs?.find((x) => x.family === "inet" && !!address && inSubnet(address, networkOf(x.local, x.prefixlen)));
  return a && networkOf(a.local, a.prefixlen);
}
