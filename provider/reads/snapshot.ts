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

/** One script: the host's links, then each named namespace's, then the OVS tables, each part framed (shell/frames.ts). */
export function snapshotScript(): string {
  const show = ["-d", "-json", "addr", "show"];
  return [
    framePart(quoteArgv(ip(undefined, ...show)), "host"),
    `for f in ${NETNS_DIR}/*; do [ -e "$f" ] || continue; n=\${f##*/}; ${framePart(ipInVar("n", ...show), '"ns $n"')}; done`,
    framePart(quoteArgv(ovsTablesArgv), "ovs"),
    framePart("ip netns list", "ids"),
  ].join("\n");
}

export function parseSnapshot(stdout: string): Snapshot {
  const links = new Map<string, Link[] | Error>();
  let ovs: OvsTables | Error = new Error("the snapshot holds no OVS tables");
  const netnsIds = new Map<number, string>();
  for (const part of parseFrames({ stdout, stderr: "" })) {
    const body = part.stdout.trim();
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
    try {
      const found = linksFromOutput(ns, body);
      // A namespace deleted between listing and reading is as good as never listed.
      if (found) links.set(ns, found);
    } catch (e) {
      links.set(ns, e as Error);
    }
  }
  return links.has("") ? { links, ovs, netnsIds } : { links, ovs: new Error("the snapshot was cut short"), netnsIds };
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
