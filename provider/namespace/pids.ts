// The processes inside namespaces, for deletes that arrive together: one `stat` for them all, not an `ip` each.
import { Coalescer } from "../coalesce";
import { PerHost } from "../per-host";
import { NETNS_DIR } from "../shell/netns";
import { quote } from "../shell/quote";
import { Runner, mustScript } from "../transport/runner";

/**
 * One `stat` that prints the inode of each namespace's file and of every process's network namespace, as
 * `ip netns pids` compares them (all namespaces live on one nsfs, so the inode alone tells them apart). A namespace
 * that is not there prints nothing; so does a process that ends meanwhile. Names are validated namespace names.
 */
export const pidsScript = (names: readonly string[]) =>
  `stat -L -c '%i %n' -- ${names.map((n) => quote(`${NETNS_DIR}/${n}`)).join(" ")} /proc/[0-9]*/ns/net 2>/dev/null\n` +
  // stat exits 1 for a file it could not read (an absent namespace, a process gone): anything more is an error.
  `c=$?; [ $c -le 1 ] || { echo "stat of the namespaces and processes failed (exit $c)" >&2; exit $c; }`;

/** Each namespace's processes, in pid order; undefined for a namespace that is not there. */
export function parsePidsOutput(stdout: string, names: readonly string[]): Map<string, number[] | undefined> {
  const inodeOf = new Map<string, string>();
  const pidsIn = new Map<string, number[]>();
  for (const line of stdout.split("\n")) {
    const space = line.indexOf(" ");
    if (space < 0) continue;
    const [inode, path] = [line.slice(0, space), line.slice(space + 1)];
    const proc = /^\/proc\/(\d+)\/ns\/net$/.exec(path);
    if (proc) pidsIn.set(inode, [...(pidsIn.get(inode) ?? []), Number(proc[1])]);
    else if (path.startsWith(`${NETNS_DIR}/`)) inodeOf.set(path.slice(NETNS_DIR.length + 1), inode);
  }
  return new Map(
    names.map((n) => {
      const inode = inodeOf.get(n);
      return [n, inode === undefined ? undefined : (pidsIn.get(inode) ?? []).sort((a, b) => a - b)];
    }),
  );
}

const readers = new PerHost(
  (runner) =>
    new Coalescer<string, number[] | undefined>(async (names) =>
      parsePidsOutput(await mustScript(runner, pidsScript(names)), names),
    ),
);

/** The pids of the processes inside a namespace, or undefined when it is not there; reads asked together share one. */
export const pidsIn = (runner: Runner, name: string): Promise<number[] | undefined> => readers.of(runner).get(name);
