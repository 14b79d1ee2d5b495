// The engine side a program talks to: the ResourceMonitor and Engine gRPC services, served with the SDK's own definitions.
import { join } from "node:path";

type Props = Record<string, unknown>;

/** How the SDK marks a secret value inside a Struct (sdk/nodejs/runtime/rpc.ts). */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** One RegisterResource request, as plain data: secrets unwrapped and listed by top-level key. */
export interface Registration {
  type: string;
  name: string;
  custom: boolean;
  /** The parent's URN ("" for none). */
  parent: string;
  inputs: Props;
  secretKeys: string[];
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
  protect: boolean;
  retainOnDelete: boolean;
  deleteBeforeReplace: boolean;
  ignoreChanges: string[];
  replaceOnChanges: string[];
  additionalSecretOutputs: string[];
  /** Old URNs this resource may have had (the SDK computes them from `aliases`: aliasSpecs is not offered). */
  aliasUrns: string[];
}

export interface Registered {
  urn: string;
  id: string;
  outputs: Props;
  secretKeys: string[];
  /**
   * A step that failed, or was skipped because a dependency failed. The SDK asks for results (supportsResultReporting),
   * so like the Go engine the answer is not an RPC error: the program goes on, and the resource's outputs stay unknown.
   */
  result?: "fail" | "skip";
}

export interface MonitorHandlers {
  register(r: Registration): Promise<Registered>;
  registerOutputs(urn: string, outputs: Props): void;
  /** Severity as in engine.proto: 0 debug, 1 info, 2 warning, 3 error. */
  log(severity: number, message: string, urn: string): void;
}

/** The features this engine offers; the SDK adapts what it sends (see README, "The engine harness"). */
const FEATURES = new Set(["secrets"]);

/** Unwraps secret markers; returns the value and whether any part of it was secret. */
function unwrap(v: unknown): [unknown, boolean] {
  if (Array.isArray(v)) {
    const parts = v.map(unwrap);
    return [parts.map((p) => p[0]), parts.some((p) => p[1])];
  }
  if (v && typeof v === "object") {
    const o = v as Props;
    if (o[SIG_KEY] === SECRET_SIG) return [unwrap(o.value)[0], true];
    const entries = Object.entries(o).map(([k, x]) => [k, unwrap(x)] as const);
    return [Object.fromEntries(entries.map(([k, [x]]) => [k, x])), entries.some(([, [, s]]) => s)];
  }
  return [v, false];
}

export function unwrapProps(object: Props): { props: Props; secretKeys: string[] } {
  const props: Props = {};
  const secretKeys: string[] = [];
  for (const [k, v] of Object.entries(object)) {
    const [value, secret] = unwrap(v);
    props[k] = value;
    if (secret) secretKeys.push(k);
  }
  return { props, secretKeys };
}

export function wrapProps(props: Props, secretKeys: readonly string[]): Props {
  const out: Props = JSON.parse(JSON.stringify(props));
  for (const k of secretKeys) if (k in out) out[k] = { [SIG_KEY]: SECRET_SIG, value: out[k] };
  return out;
}

export class Monitor {
  private constructor(
    private readonly server: any,
    readonly address: string,
  ) {}

  /** Serves both services on 127.0.0.1 with the grpc-js, protobuf definitions and Struct class of the program's SDK. */
  static async start(sdk: string, h: MonitorHandlers): Promise<Monitor> {
    const from = (m: string) => require(require.resolve(m, { paths: [sdk] }));
    const grpc = from("@grpc/grpc-js");
    const resGrpc = require(join(sdk, "proto", "resource_grpc_pb"));
    const resPb = require(join(sdk, "proto", "resource_pb"));
    const engGrpc = require(join(sdk, "proto", "engine_grpc_pb"));
    const engPb = require(join(sdk, "proto", "engine_pb"));
    const { Struct } = from("google-protobuf/google/protobuf/struct_pb");
    const { Empty } = from("google-protobuf/google/protobuf/empty_pb");
    const unimplemented = (_call: unknown, cb: (e: unknown) => void) =>
      cb({ code: grpc.status.UNIMPLEMENTED, details: "not offered by the pulumi-netns engine harness" });
    const fail = (cb: (e: unknown) => void, e: unknown) =>
      cb({ code: grpc.status.UNKNOWN, details: e instanceof Error ? e.message : String(e) });
    let root = "";

    const server = new grpc.Server();
    server.addService(resGrpc.ResourceMonitorService, {
      getDeploymentInfo: unimplemented,
      supportsFeature(call: any, cb: any) {
        const resp = new resPb.SupportsFeatureResponse();
        resp.setHassupport(FEATURES.has(call.request.getId()));
        cb(null, resp);
      },
      invoke: unimplemented,
      call: unimplemented,
      readResource: unimplemented,
      registerResource(call: any, cb: any) {
        const req = call.request;
        const deps: Record<string, string[]> = {};
        req.getPropertydependenciesMap().forEach((v: any, k: string) => (deps[k] = v.getUrnsList()));
        const { props, secretKeys } = unwrapProps(req.getObject()?.toJavaScript() ?? {});
        h.register({
          type: req.getType(),
          name: req.getName(),
          custom: req.getCustom(),
          parent: req.getParent(),
          inputs: props,
          secretKeys,
          dependencies: req.getDependenciesList(),
          propertyDependencies: deps,
          protect: req.getProtect() === true,
          retainOnDelete: req.getRetainondelete() === true,
          deleteBeforeReplace: req.getDeletebeforereplace(),
          ignoreChanges: req.getIgnorechangesList(),
          replaceOnChanges: req.getReplaceonchangesList(),
          additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
          aliasUrns: req.getAliasurnsList(),
        }).then(
          (r) => {
            const resp = new resPb.RegisterResourceResponse();
            resp.setUrn(r.urn);
            resp.setId(r.id);
            resp.setObject(Struct.fromJavaScript(wrapProps(r.outputs, r.secretKeys)));
            if (r.result) resp.setResult(r.result === "fail" ? resPb.Result.FAIL : resPb.Result.SKIP);
            cb(null, resp);
          },
          (e) => fail(cb, e),
        );
      },
      registerResourceOutputs(call: any, cb: any) {
        const { props } = unwrapProps(call.request.getOutputs()?.toJavaScript() ?? {});
        h.registerOutputs(call.request.getUrn(), props);
        cb(null, new Empty());
      },
      registerStackTransform: unimplemented,
      registerStackInvokeTransform: unimplemented,
      registerResourceHook: unimplemented,
      registerErrorHook: unimplemented,
      registerPackage: unimplemented,
      signalAndWaitForShutdown: unimplemented,
    });
    server.addService(engGrpc.EngineService, {
      log(call: any, cb: any) {
        h.log(call.request.getSeverity(), call.request.getMessage(), call.request.getUrn());
        cb(null, new Empty());
      },
      getRootResource(_call: any, cb: any) {
        const resp = new engPb.GetRootResourceResponse();
        resp.setUrn(root);
        cb(null, resp);
      },
      setRootResource(call: any, cb: any) {
        root = call.request.getUrn();
        cb(null, new engPb.SetRootResourceResponse());
      },
      startDebugging: unimplemented,
      requirePulumiVersion: (_call: any, cb: any) => cb(null, new engPb.RequirePulumiVersionResponse()),
    });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e: Error | null, p: number) =>
        e ? reject(e) : resolve(p),
      ),
    );
    return new Monitor(server, `127.0.0.1:${port}`);
  }

  stop(): void {
    this.server.forceShutdown();
  }
}
