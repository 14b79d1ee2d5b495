// Links as `ip -d -json addr show` prints them (pure): the command, its framed script for several queries, the parse.
import { framedScript, parseFrames } from "../shell/frames";
import { ip } from "../shell/netns";
import { quoteArgv } from "../shell/quote";

/** One entry of `ip -d -json addr show`: the link and its addresses. */
export interface Link {
  ifname: string;
  flags: string[];
  mtu: number;
  address?: string;
  /** The link alias: pulumi-netns marks links with their owner's URN here. */
  ifalias?: string;
  linkinfo?: { info_kind?: string };
  ifindex?: number;
  /** A veth's peer's ifindex, when the peer is in the namespace `link_netnsid` names. */
  link_index?: number;
  /** A veth's peer's name, when the peer is in this same namespace (ip then names it rather than giving its ifindex). */
  link?: string;
  link_netnsid?: number;
  addr_info?: Array<{ family: string; local: string; prefixlen: number; scope?: string }>;
}

/**
 * One `ip -d -json addr show` answer: its links, or undefined when the namespace (or the device asked for) is not
 * there; any other answer is an error.
 */
export function linksFromOutput(namespace: string, output: string): Link[] | undefined {
  if (output.startsWith("[")) return JSON.parse(output) as Link[];
  if (/Cannot open network namespace|No such file or directory|does not exist/.test(output)) return undefined;
  throw new Error(`reading links in namespace "${namespace}": ${output}`);
}

/** Prints a namespace's links ("" or undefined: the host's), or just one device, with their addresses as JSON. */
export const showLinks = (namespace: string | undefined, device?: string) =>
  ip(namespace || undefined, "-d", "-json", "addr", "show", ...(device ? ["dev", device] : []));

/** One round trip for every query asked together; each answer is framed with its index (shell/frames.ts). */
export function linksScript(keys: string[]): string {
  return framedScript(
    keys.map((key, i) => {
      const [ns, dev] = key.split("\n");
      return { label: String(i), script: quoteArgv(showLinks(ns, dev)) };
    }),
  );
}

/** Splits the script's output into each query's links; undefined where the namespace or the device does not exist. */
export function parseLinksOutput(stdout: string, keys: string[]): Map<string, Link[] | undefined> {
  const out = new Map<string, Link[] | undefined>();
  for (const f of parseFrames({ stdout, stderr: "" })) {
    const key = keys[Number(f.label)];
    out.set(key, linksFromOutput(key.split("\n")[0], f.stdout.trim()));
  }
  return out;
}

/** True for a link that is set up. */
export const isUp = (link: Link) => link.flags.includes("UP");
