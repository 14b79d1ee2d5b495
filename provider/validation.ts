// Shared input rules (names, addresses, VLANs), each failing with a message that states the rule.
import { isIP } from "node:net";
import { z } from "zod";

/** Kernel interface names: at most 15 bytes; we also refuse anything a shell or a path could misread. */
export const ifName = () =>
  z
    .string()
    .regex(
      /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,14}$/,
      "must be 1-15 characters (the kernel's interface-name limit) of letters, digits, '_', '-' and '.', not starting with '-' or '.'",
    );

/** Namespace names become files under /run/netns; OpenStack-style "qdhcp-<uuid>" fits. */
export const nsName = () =>
  z
    .string()
    .regex(
      /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/,
      "must be 1-64 characters of letters, digits, '_', '-' and '.', not starting with '-' or '.'",
    );

export const ipAddress = () =>
  z.string().refine((s) => isIP(s) !== 0, "must be an IPv4 or IPv6 address (e.g. 10.0.0.1 or fd00::1)");

/** An address with its prefix length, as `ip addr add` takes it. */
export const cidr = () =>
  z
    .string()
    .refine(
      (s) => parseCidr(s) !== undefined,
      "must be an address with a prefix length, e.g. 10.0.0.1/24 or fd00::1/64",
    );

export const mac = () =>
  z
    .string()
    .regex(/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/, "must be a MAC address like 02:00:00:00:00:01")
    .refine(
      (s) => (parseInt(s.slice(0, 2), 16) & 1) === 0,
      "must be a unicast MAC address (the first octet's low bit clear)",
    )
    .transform((s) => s.toLowerCase());

export const vlanTag = () =>
  z.number().int().min(1, "must be a VLAN id from 1 to 4094").max(4094, "must be a VLAN id from 1 to 4094");

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

export const ipv4 = () => z.string().refine((s) => isIP(s) === 4, "must be an IPv4 address (e.g. 10.50.50.10)");

/** An address a host can have and be reached at: not in 0.0.0.0/8, multicast 224.0.0.0/4 or reserved 240.0.0.0/4. */
export const unicastIpv4 = () =>
  ipv4().refine((s) => {
    const first = Number(s.split(".")[0]);
    return first !== 0 && first < 224;
  }, "must be a unicast address (not in 0.0.0.0/8, multicast 224.0.0.0/4 or reserved 240.0.0.0/4)");

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
