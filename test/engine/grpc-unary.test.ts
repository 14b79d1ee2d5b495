// The harness's gRPC unary client against a real grpc-js server: replies, statuses, large and concurrent calls.
import { strict as assert } from "node:assert";
import * as grpc from "@grpc/grpc-js";
import { GrpcError, UnaryClient } from "../../engine/grpc-unary";

const bytes = (b: Buffer) => b;
const method = (path: string) => ({
  path,
  requestStream: false,
  responseStream: false,
  requestSerialize: bytes,
  requestDeserialize: bytes,
  responseSerialize: bytes,
  responseDeserialize: bytes,
});

describe("engine/grpc-unary", () => {
  let server: grpc.Server;
  let client: UnaryClient;

  before(async () => {
    server = new grpc.Server();
    server.addService(
      { Reverse: method("/t.T/Reverse"), Fail: method("/t.T/Fail"), Late: method("/t.T/Late") } as never,
      {
        Reverse: (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) =>
          cb(null, Buffer.from(call.request).reverse()),
        Fail: (_call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) =>
          cb({ code: grpc.status.FAILED_PRECONDITION, details: "veth x: 100% busy ✓\nsecond line" }),
        Late: (_call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) =>
          setTimeout(() => cb({ code: grpc.status.INTERNAL, details: "after a while" }), 20),
      },
    );
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
    );
    client = new UnaryClient(`127.0.0.1:${port}`);
  });

  after(() => {
    client.close();
    server.forceShutdown();
  });

  it("returns the reply message, empty ones included", async () => {
    assert.deepEqual(await client.call("/t.T/Reverse", Buffer.from([1, 2, 3])), Buffer.from([3, 2, 1]));
    assert.equal((await client.call("/t.T/Reverse", Buffer.alloc(0))).length, 0);
  });

  it("carries messages of megabytes both ways", async () => {
    const big = Buffer.alloc(3 * 1024 * 1024, 7);
    big[0] = 1;
    const back = await client.call("/t.T/Reverse", big);
    assert.equal(back.length, big.length);
    assert.equal(back[back.length - 1], 1);
  });

  it("rejects with the server's status code and its details, decoded", async () => {
    for (const [path, code, details] of [
      ["/t.T/Fail", grpc.status.FAILED_PRECONDITION, "veth x: 100% busy ✓\nsecond line"],
      ["/t.T/Late", grpc.status.INTERNAL, "after a while"],
    ] as const) {
      const e = await client.call(path, Buffer.alloc(1)).then(
        () => assert.fail(`${path} resolved`),
        (x: unknown) => x,
      );
      assert.ok(e instanceof GrpcError);
      assert.equal(e.code, code);
      assert.equal(e.message, details);
    }
    await assert.rejects(
      client.call("/t.T/Missing", Buffer.alloc(0)),
      (e: GrpcError) => e.code === grpc.status.UNIMPLEMENTED,
    );
  });

  it("keeps hundreds of calls at once apart", async () => {
    const replies = await Promise.all(
      Array.from({ length: 300 }, (_, i) => client.call("/t.T/Reverse", Buffer.from(`call ${i}`))),
    );
    replies.forEach((r, i) => assert.equal(Buffer.from(r).reverse().toString(), `call ${i}`));
  });

  it("fails calls once the server is gone", async () => {
    const s = new grpc.Server();
    s.addService({ Reverse: method("/t.T/Reverse") } as never, { Reverse: () => undefined });
    const port = await new Promise<number>((resolve, reject) =>
      s.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
    );
    const c = new UnaryClient(`127.0.0.1:${port}`);
    // The handler never answers; shutting the server down must not leave the call hanging.
    const pending = c.call("/t.T/Reverse", Buffer.from("x"));
    await new Promise((r) => setTimeout(r, 50));
    s.forceShutdown();
    await assert.rejects(pending);
    c.close();
  });

  it("fails calls, rather than hanging, when nothing listens", async () => {
    const s = new grpc.Server();
    const port = await new Promise<number>((resolve, reject) =>
      s.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
    );
    s.forceShutdown();
    const c = new UnaryClient(`127.0.0.1:${port}`);
    await assert.rejects(c.call("/t.T/Reverse", Buffer.from("x")), /ECONNREFUSED|closed/);
    await assert.rejects(c.call("/t.T/Reverse", Buffer.from("y")), /closed|ECONNREFUSED/);
    c.close();
  });
});
