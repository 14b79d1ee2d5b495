// Starts @pulumi/pulumi's real dynamic-provider host and speaks the engine's ResourceProvider gRPC protocol to it.
import { ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname } from "node:path";

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

export class ProviderHost {
  private constructor(
    private readonly child: ChildProcess,
    private readonly client: any,
    private readonly pb: any,
    private readonly Struct: any,
    private readonly stderr: Buffer[],
  ) {}

  /** What the host wrote to stderr, when started with captureStderr. */
  get log(): string {
    return Buffer.concat(this.stderr).toString("utf8");
  }

  /** Spawns the host the way the CLI does: in the project directory, printing its port on stdout. */
  static async start(projectDir: string, opts: { captureStderr?: boolean } = {}): Promise<ProviderHost> {
    const pulumiDir = dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [projectDir] }));
    const need = (m: string) => require(require.resolve(m, { paths: [pulumiDir] }));
    const grpc = need("@grpc/grpc-js");
    const pb = need("@pulumi/pulumi/proto/provider_pb");
    const services = need("@pulumi/pulumi/proto/provider_grpc_pb");
    const { Struct } = need("google-protobuf/google/protobuf/struct_pb");
    // NETNS_HOST_NODE_ARGS passes node flags to the host (e.g. --cpu-prof) when profiling it.
    const nodeArgs = process.env.NETNS_HOST_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
    const child = spawn(process.execPath, [...nodeArgs, `${pulumiDir}/cmd/dynamic-provider/index.js`, "127.0.0.1:1"], {
      cwd: projectDir,
      stdio: ["ignore", "pipe", opts.captureStderr ? "pipe" : "inherit"],
    });
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
    const client = new services.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const host = new ProviderHost(child, client, pb, Struct, stderr);
    const configure = new pb.ConfigureRequest();
    configure.setArgs(Struct.fromJavaScript({}));
    configure.setAcceptsecrets(true);
    await host.call("configure", configure);
    return host;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** The host's peak resident memory in MB (VmHWM). */
  peakRssMb(): number {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.child.pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : 0;
  }

  stop(): void {
    this.client.close();
    this.child.kill();
  }

  private call(method: string, req: unknown): Promise<any> {
    return new Promise((resolve, reject) =>
      this.client[method](req, (err: { details?: string; message: string } | null, resp: unknown) =>
        err ? reject(new Error(err.details || err.message)) : resolve(resp),
      ),
    );
  }

  /** Everything the harness sends came from JSON (capture, state, the host's own answers), so it converts as is. */
  private struct(p: Props) {
    return this.Struct.fromJavaScript(p ?? {});
  }

  async check(urn: string, olds: Props, news: Props): Promise<CheckResult> {
    const req = new this.pb.CheckRequest();
    req.setUrn(urn);
    req.setOlds(this.struct(olds));
    req.setNews(this.struct(news));
    const resp = await this.call("check", req);
    return {
      inputs: resp.getInputs()?.toJavaScript() ?? {},
      failures: resp.getFailuresList().map((f: any) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  async diff(id: string, urn: string, olds: Props, news: Props, oldInputs: Props): Promise<DiffResult> {
    const req = new this.pb.DiffRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setOlds(this.struct(olds));
    req.setNews(this.struct(news));
    req.setOldInputs(this.struct(oldInputs));
    const resp = await this.call("diff", req);
    const { DIFF_SOME } = this.pb.DiffResponse.DiffChanges;
    return {
      changes: resp.getChanges() === DIFF_SOME,
      replaces: resp.getReplacesList(),
      deleteBeforeReplace: resp.getDeletebeforereplace(),
    };
  }

  async create(urn: string, props: Props): Promise<{ id: string; outs: Props }> {
    const req = new this.pb.CreateRequest();
    req.setUrn(urn);
    req.setProperties(this.struct(props));
    const resp = await this.call("create", req);
    return { id: resp.getId(), outs: resp.getProperties()?.toJavaScript() ?? {} };
  }

  async read(id: string, urn: string, props: Props, inputs: Props): Promise<{ id: string; props: Props }> {
    const req = new this.pb.ReadRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setProperties(this.struct(props));
    req.setInputs(this.struct(inputs));
    const resp = await this.call("read", req);
    return { id: resp.getId(), props: resp.getProperties()?.toJavaScript() ?? {} };
  }

  async update(id: string, urn: string, olds: Props, news: Props, oldInputs: Props): Promise<Props> {
    const req = new this.pb.UpdateRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setOlds(this.struct(olds));
    req.setNews(this.struct(news));
    req.setOldInputs(this.struct(oldInputs));
    const resp = await this.call("update", req);
    return resp.getProperties()?.toJavaScript() ?? {};
  }

  async delete(id: string, urn: string, props: Props): Promise<void> {
    const req = new this.pb.DeleteRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setProperties(this.struct(props));
    await this.call("delete", req);
  }
}
