// Host-wide snapshots for the engine's reads (refresh): every namespace's links and the OVS tables in one round trip,
// shared by all the reads of a refresh instead of one query per resource.
import { PerHost } from "../per-host";
import { Link, linksFromOutput } from "./links";
import { OvsTables, ovsTablesArgv, parseOvsTables } from "./ovs-tables";
import { framePart, parseFrames } from "../shell/frames";
import { NETNS_DIR, ip, ipInVar } from "../shell/netns";
import { quoteArgv } from "../shell/quote";
import { CommandError, Runner, mustScript } from "../transport/runner";

/**
 * A snapshot serves the reads that arrive while it is being taken and, after it is complete, for MAX_AGE_MS or
 * LISTING_FACTOR times as long as it took to take, whichever is longer; each resource once: a refresh sees each host
 * as of then, and a second read of the same resource (someone checking again) always looks anew. Counting from
 * completion, and scaling with the listing's own time, keeps the listings at most about a tenth of a refresh's time
 * on a host of any size (docs/ARCHITECTURE.md).
 */
export const MAX_AGE_MS = 5000;
export const LISTING_FACTOR = 10;

/** Each namespace's links ("" is the host's); a namespace that could not be listed holds its error. */
export interface Snapshot {
  links: Map<string, Link[] | Error>;
  ovs: OvsTables | Error;
  /** Named namespaces by the id the host's namespace knows them by (a veth's `link_netnsid`). */
  netnsIds: Map<number, string>;
}

/**
 * How many shells list the named namespaces side by side, each starting its own `ip` per namespace. With a thousand
 * namespaces on two cores, four took 1.2 s where one took 2.5 s (docs/ARCHITECTURE.md, "Refresh snapshots").
 */
export const LISTING_JOBS = 4;

/** Where the listing shells keep their output until the last has finished; the listing removes it. */
export const LISTING_DIR = "pulumi-netns-snapshot";

/**
 * One script: the host's links, then each named namespace's, then how many namespaces it listed, then the OVS tables
 * and the namespace ids, each part framed (shell/frames.ts). The namespaces are read by LISTING_JOBS shells at once,
 * each into a file of its own so that their frames never interleave, and printed in turn; the count lets the parser
 * refuse a listing that lost any (parseSnapshot).
 */
export function snapshotScript(): string {
  const show = ["-d", "-json", "addr", "show"];
  const one = framePart(ipInVar("n", ...show), '"ns $n"');
  return [
    framePart(quoteArgv(ip(undefined, ...show)), "host"),
    // A subshell of its own keeps the list, the directory and its traps.
    "(",
    `set -- ${NETNS_DIR}/*`,
    `[ -e "$1" ] || set --`,
    `d=$(mktemp -d "\${TMPDIR:-/tmp}/${LISTING_DIR}.XXXXXX") || exit 1`,
    `trap 'rm -rf "$d"' EXIT`,
    `trap 'exit 1' HUP INT TERM`,
    "k=0",
    `while [ "$k" -lt ${LISTING_JOBS} ]; do`,
    `(i=0; for f in "$@"; do if [ $((i % ${LISTING_JOBS})) -eq "$k" ]; then n=\${f##*/}; ${one}; fi; i=$((i + 1)); done) >"$d/$k" &`,
    "k=$((k + 1))",
    "done",
    "wait",
    `cat "$d"/*`,
    framePart('echo "$#"', "namespaces"),
    ")",
    framePart(quoteArgv(ovsTablesArgv), "ovs"),
    framePart("ip netns list", "ids"),
  ].join("\n");
}

/**
 * The snapshot in the script's output. Throws when the namespaces were not all read (the script cut short, or a
 * listing shell's output lost): a namespace missing from a snapshot reads as deleted, so a partial one must not serve.
 */
export function parseSnapshot(stdout: string): Snapshot {
  const links = new Map<string, Link[] | Error>();
  let ovs: OvsTables | Error = new Error("the snapshot holds no OVS tables");
  const netnsIds = new Map<number, string>();
  let listed: number | undefined;
  let read = 0;
  for (const part of parseFrames({ stdout, stderr: "" })) {
    const body = part.stdout.trim();
    if (part.label === "namespaces") {
      listed = part.code === 0 ? Number(body) : undefined;
      continue;
    }
    if (part.label === "ids") {
      // "<name> (id: <n>)"; a namespace the host has no id for has no veth peer there.
      for (const m of body.matchAll(/^(\S+) \(id: (\d+)\)$/gm)) netnsIds.set(Number(m[2]), m[1]);
      continue;
    }
    if (part.label === "ovs") {
      ovs =
        part.code === 0
          ? parseOvsTables(body)
          : new CommandError(quoteArgv(ovsTablesArgv), { code: part.code, stdout: "", stderr: body });
      continue;
    }
    const ns = part.label === "host" ? "" : part.label.slice("ns ".length);
    if (ns) read++;
    try {
      const found = linksFromOutput(ns, body);
      // A namespace deleted between listing and reading is as good as never listed.
      if (found) links.set(ns, found);
    } catch (e) {
      links.set(ns, e as Error);
    }
  }
  if (!links.has("") || !Number.isInteger(listed))
    throw new Error("the host snapshot was cut short before its namespaces were all read");
  if (read !== listed) throw new Error(`the host snapshot read ${read} of the ${listed} namespaces it listed`);
  return { links, ovs, netnsIds };
}

/** Snapshots of one host, and the writes this process is making there (a snapshot never hides one). */
export class HostSnapshots {
  private current?: {
    /** When it completed, once it has; it serves reads until then plus its window. */
    until?: number;
    generation: number;
    served: Set<string>;
    value: Promise<Snapshot>;
  };
  private generation = 0;
  private writing = 0;

  /** `maxAgeMs` is MAX_AGE_MS but in tests, which make the host slow on a smaller scale. */
  constructor(
    private readonly runner: Runner,
    private readonly maxAgeMs = MAX_AGE_MS,
  ) {}

  async write<T>(f: () => Promise<T>): Promise<T> {
    this.generation++;
    this.writing++;
    try {
      return await f();
    } finally {
      this.writing--;
      this.generation++;
    }
  }

  /**
   * For the read of resource `reader`: a snapshot still being taken or inside its window (see MAX_AGE_MS), with no
   * write of ours since it began, that has not served this resource yet. Undefined while writes run.
   */
  get(reader: string): Promise<Snapshot> | undefined {
    if (this.writing) return undefined;
    const c = this.current;
    const fresh = c && (c.until === undefined || Date.now() < c.until);
    if (c && fresh && c.generation === this.generation && !c.served.has(reader)) {
      c.served.add(reader);
      return c.value;
    }
    const started = Date.now();
    const value = this.take();
    const entry: NonNullable<HostSnapshots["current"]> = {
      generation: this.generation,
      served: new Set([reader]),
      value,
    };
    this.current = entry;
    value.then(
      () => {
        const now = Date.now();
        entry.until = now + Math.max(this.maxAgeMs, LISTING_FACTOR * (now - started));
      },
      // A failed snapshot is not kept: the next read tries again.
      () => {
        if (this.current === entry) this.current = undefined;
      },
    );
    return value;
  }

  private async take(): Promise<Snapshot> {
    return parseSnapshot(await mustScript(this.runner, snapshotScript()));
  }
}

const hosts = new PerHost((runner) => new HostSnapshots(runner));

/** Runs a create, update or delete; snapshots begun before it ends serve no later read. */
export const duringWrite = <T>(runner: Runner, f: () => Promise<T>): Promise<T> => hosts.of(runner).write(f);

/** A runner that offers the shared readers (readers.ts) a snapshot to read links and OVS tables from; `base` runs its commands. */
export type SnapshotRunner = Runner & { snapshot(): Promise<Snapshot> | undefined; base: Runner };

/**
 * For the read of one resource (`reader`, e.g. its kind and id): a runner whose link and OVS reads (readers.ts) come
 * from the host's shared snapshot, all from the same one; commands run as usual.
 */
export function snapshotReads(runner: Runner, reader: string): SnapshotRunner {
  const s = hosts.of(runner);
  let mine: Promise<Snapshot> | undefined;
  let asked = false;
  return {
    target: runner.target,
    base: runner,
    run: (argv) => runner.run(argv),
    script: (text, inSession) => runner.script(text, inSession),
    snapshot: () => {
      if (!asked) {
        asked = true;
        mine = s.get(reader);
      }
      return mine;
    },
  };
}
