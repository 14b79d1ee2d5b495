// Namespace commands (pure: inputs to argv, stdout to state).
import type { Link } from "../reads/links";
import { ip } from "../shell/netns";

export const add = (name: string) => ["ip", "netns", "add", name];
export const del = (name: string) => ["ip", "netns", "del", name];
export const setLoopback = (name: string, up: boolean) => ip(name, "link", "set", "dev", "lo", up ? "up" : "down");
export const deleteLink = (name: string, link: string) => ip(name, "link", "del", "dev", link);
export const processNames = (list: number[]) => ["ps", "-o", "pid=,comm=", "-p", list.join(",")];

export function loopbackUp(links: Link[]): boolean {
  return links.some((l) => l.ifname === "lo" && l.flags.includes("UP"));
}

/** Links that deleting the namespace would free only asynchronously: delete them first, synchronously. */
export function pairedLinks(links: Link[]): string[] {
  return links.filter((l) => l.linkinfo?.info_kind === "veth").map((l) => l.ifname);
}
