// Shared input rules (names, addresses, VLANs), each failing with a message that states the rule.
import { isIP } from "node:net";
import { z } from "zod";
import { parseCidr } from "./addresses";

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

export const ipv4 = () => z.string().refine((s) => isIP(s) === 4, "must be an IPv4 address (e.g. 10.50.50.10)");

/** An address a host can have and be reached at: not in 0.0.0.0/8, multicast 224.0.0.0/4 or reserved 240.0.0.0/4. */
export const unicastIpv4 = () =>
  ipv4().refine((s) => {
    const first = Number(s.split(".")[0]);
    return first !== 0 && first < 224;
  }, "must be a unicast address (not in 0.0.0.0/8, multicast 224.0.0.0/4 or reserved 240.0.0.0/4)");
