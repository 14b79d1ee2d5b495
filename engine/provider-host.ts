// Starts @pulumi/pulumi's real dynamic-provider host and speaks the engine's ResourceProvider gRPC protocol to it.
import { ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { processCpu } from "./proc";
import { UnaryClient } from "./grpc-unary";
import { Field, FieldKind, decodeMessage, encodeMessage } from "./wire";

type Props = Record<string, unknown>;

export interface CheckResult {
  inputs: Props;
  failures: Array<{ property: string; reason: string }>;
}

export interface DiffResult {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
}

/** DiffResponse.DiffChanges.DIFF_SOME in provider.proto. */
const DIFF_SOME = 2;

/** How long the CLI lets a plugin exit after SIGINT before it kills the plugin's process group. */
const STOP_GRACE_MS = 5000;

/** Signals every process in the group that `pid` leads; a group already gone is no error. */
function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ESRCH") throw e;
  }
}

/** Hosts not stopped yet, by pid. */
const live = new Set<number>();
let endsHooked = false;

/**
 * Hosts lead groups of their own (see start), so Ctrl-C at the harness, or the harness ending without stop(), no longer
 * reaches them through its group: they end with this process instead of living on without an engine.
 */
function endWithThisProcess(pid: number): void {
  if (!endsHooked) {
    endsHooked = true;
    process.on("exit", () => live.forEach((p) => signalGroup(p, "SIGKILL")));
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
      process.once(signal, () => {
        live.forEach((p) => signalGroup(p, signal));
        // Handlers others installed have had this signal already; with none, it takes its default action.
        if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
      });
    }
  }
  live.add(pid);
}

export class ProviderHost {
  private constructor(
    private readonly child: ChildProcess,
    private readonly client: UnaryClient,
    private readonly stderr: Buffer[],
  ) {}

  /** What the host wrote to stderr, when started with captureStderr. */
  get log(): string {
    return Buffer.concat(this.stderr).toString("utf8");
  }

  /** Spawns the host the way the CLI does: in the project directory, printing its port on stdout. */
  static async start(
    projectDir: string,
    opts: { captureStderr?: boolean; nodeArgs?: string[] } = {},
  ): Promise<ProviderHost> {
    const pulumiDir = dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [projectDir] }));
    // NETNS_HOST_NODE_ARGS passes node flags to the host when profiling it. --cpu-prof writes its profile only when
    // the host exits by itself, which stop()'s SIGINT does not let it do; add
    // --import data:text/javascript,process.on("SIGINT",()=>process.exit()) (no spaces: the flags split on them).
    // Under c8 (`npm run coverage`), the host writes its coverage when SIGINT comes, then goes on as it would have:
    // its own handlers run, and with none, the signal is raised again to end it as before.
    const coverageOnSigint = [
      "--import",
      "data:text/javascript," +
        'process.once("SIGINT",()=>{process.getBuiltinModule("v8").takeCoverage();' +
        'if(!process.listenerCount("SIGINT"))process.kill(process.pid,"SIGINT")})',
    ];
    const nodeArgs = [
      ...(process.env.NODE_V8_COVERAGE ? coverageOnSigint : []),
      ...(process.env.NETNS_HOST_NODE_ARGS?.split(" ").filter(Boolean) ?? []),
      ...(opts.nodeArgs ?? []),
    ];
    const child = spawn(process.execPath, [...nodeArgs, `${pulumiDir}/cmd/dynamic-provider/index.js`, "127.0.0.1:1"], {
      cwd: projectDir,
      stdio: ["ignore", "pipe", opts.captureStderr ? "pipe" : "inherit"],
      // A process group of its own, as the CLI starts every plugin, so stop() can signal the group as it does.
      detached: true,
    });
    endWithThisProcess(child.pid!);
    child.once("exit", () => live.delete(child.pid!));
    const stderr: Buffer[] = [];
    child.stderr?.on("data", (b: Buffer) => stderr.push(b));
    const port = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout!.on("data", (b: Buffer) => {
        out += b.toString();
        if (out.includes("\n")) resolve(out.trim());
      });
      child.once("exit", (code) => reject(new Error(`the dynamic provider host exited with code ${code}`)));
    });
    const client = new UnaryClient(`127.0.0.1:${port}`);
    const host = new ProviderHost(child, client, stderr);
    // ConfigureRequest: args (2) is an empty Struct, acceptSecrets (3).
    await host.call("Configure", [
      { n: 2, struct: {} },
      { n: 3, bool: true },
    ]);
    return host;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** The CPU seconds the host has used so far (user and system). */
  cpuSeconds(): number {
    return processCpu(this.child.pid!).own;
  }

  /** The host's peak resident memory in MB (VmHWM). */
  peakRssMb(): number {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.child.pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : 0;
  }

  /**
   * Stops the host as the CLI stops a plugin at the end of a verb (README, "The engine harness"): SIGINT to its
   * process group, and SIGKILL to the group when the host has not exited 5 s later. Anything the provider started in
   * that group without leaving it dies here, as it would under `pulumi up`.
   */
  async stop(): Promise<void> {
    this.client.close();
    const running = () => this.child.exitCode === null && this.child.signalCode === null;
    if (!running()) return;
    signalGroup(this.child.pid!, "SIGINT");
    try {
      await once(this.child, "exit", { signal: AbortSignal.timeout(STOP_GRACE_MS) });
    } catch {
      signalGroup(this.child.pid!, "SIGKILL");
      if (running()) await once(this.child, "exit");
    }
  }

  /** One unary call; the fields are the request's, numbered as in provider.proto. */
  private call(method: string, fields: Field[]): Promise<Buffer> {
    return this.client.call(`/pulumirpc.ResourceProvider/${method}`, encodeMessage(fields));
  }

  private async ask(method: string, fields: Field[], reply: Record<number, [string, FieldKind]>) {
    return decodeMessage(await this.call(method, fields), reply);
  }

  async check(urn: string, olds: Props, news: Props): Promise<CheckResult> {
    const r = await this.ask(
      "Check",
      [
        { n: 1, string: urn },
        { n: 2, struct: olds },
        { n: 3, struct: news },
      ],
      { 1: ["inputs", "struct"], 2: ["failures", "messages"] },
    );
    const failures = ((r.failures ?? []) as Buffer[]).map((f) => {
      const d = decodeMessage(f, { 1: ["property", "string"], 2: ["reason", "string"] });
      return { property: (d.property as string) ?? "", reason: (d.reason as string) ?? "" };
    });
    return { inputs: (r.inputs as Props) ?? {}, failures };
  }

  async diff(id: string, urn: string, olds: Props, news: Props, oldInputs: Props): Promise<DiffResult> {
    const r = await this.ask(
      "Diff",
      [
        { n: 1, string: id },
        { n: 2, string: urn },
        { n: 3, struct: olds },
        { n: 4, struct: news },
        { n: 6, struct: oldInputs },
      ],
      { 1: ["replaces", "strings"], 3: ["deleteBeforeReplace", "bool"], 4: ["changes", "varint"] },
    );
    return {
      changes: r.changes === DIFF_SOME,
      replaces: (r.replaces as string[]) ?? [],
      deleteBeforeReplace: r.deleteBeforeReplace === true,
    };
  }

  async create(urn: string, props: Props): Promise<{ id: string; outs: Props }> {
    const r = await this.ask(
      "Create",
      [
        { n: 1, string: urn },
        { n: 2, struct: props },
      ],
      { 1: ["id", "string"], 2: ["properties", "struct"] },
    );
    return { id: (r.id as string) ?? "", outs: (r.properties as Props) ?? {} };
  }

  async read(id: string, urn: string, props: Props, inputs: Props): Promise<{ id: string; props: Props }> {
    const r = await this.ask(
      "Read",
      [
        { n: 1, string: id },
        { n: 2, string: urn },
        { n: 3, struct: props },
        { n: 4, struct: inputs },
      ],
      { 1: ["id", "string"], 2: ["properties", "struct"] },
    );
    return { id: (r.id as string) ?? "", props: (r.properties as Props) ?? {} };
  }

  async update(id: string, urn: string, olds: Props, news: Props, oldInputs: Props): Promise<Props> {
    const r = await this.ask(
      "Update",
      [
        { n: 1, string: id },
        { n: 2, string: urn },
        { n: 3, struct: olds },
        { n: 4, struct: news },
        { n: 8, struct: oldInputs },
      ],
      { 1: ["properties", "struct"] },
    );
    return (r.properties as Props) ?? {};
  }

  async delete(id: string, urn: string, props: Props): Promise<void> {
    await this.call("Delete", [
      { n: 1, string: id },
      { n: 2, string: urn },
      { n: 3, struct: props },
    ]);
  }
}
