// A gRPC unary client over node:http2 for the harness: message framing, status trailers, nothing else.
// grpc-js's client machinery (channels, filters, retries) cost the harness more per call than the provider's own
// work; the engine it stands in for pays none of that, so the harness speaks the protocol directly.
import { ClientHttp2Session, connect, constants } from "node:http2";
import { createConnection } from "node:net";

export class GrpcError extends Error {
  constructor(
    readonly code: number,
    details: string,
  ) {
    super(details);
  }
}

export class UnaryClient {
  private readonly session: ClientHttp2Session;
  private readonly pending = new Set<(e: Error) => void>();

  constructor(address: string) {
    const [host, port] = [
      address.slice(0, address.lastIndexOf(":")),
      Number(address.slice(address.lastIndexOf(":") + 1)),
    ];
    // Small requests and replies go out at once: Nagle's algorithm would hold each behind the last one's ACK.
    this.session = connect(`http://${address}`, {
      createConnection: () => createConnection({ host, port, noDelay: true }),
    });
    // A session that fails or closes fails every call still waiting on it, whatever its streams report.
    const failAll = (e?: Error) => {
      for (const reject of this.pending) reject(e ?? new GrpcError(14, `the connection to ${address} closed`));
      this.pending.clear();
    };
    this.session.on("error", failAll);
    this.session.on("close", () => failAll());
  }

  /** Sends one length-prefixed message and resolves with the response message, or rejects with the grpc-status. */
  call(path: string, message: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      if (this.session.closed || this.session.destroyed) return reject(new GrpcError(14, "the connection is closed"));
      this.pending.add(reject);
      const settle = () => this.pending.delete(reject);
      const stream = this.session.request({
        [constants.HTTP2_HEADER_METHOD]: "POST",
        [constants.HTTP2_HEADER_PATH]: path,
        [constants.HTTP2_HEADER_CONTENT_TYPE]: "application/grpc",
        [constants.HTTP2_HEADER_TE]: "trailers",
      });
      const frame = Buffer.allocUnsafe(5 + message.length);
      frame[0] = 0;
      frame.writeUInt32BE(message.length, 1);
      message.copy(frame, 5);
      stream.end(frame);

      const chunks: Buffer[] = [];
      let status: string | undefined;
      let details = "";
      // A call that fails at once gets its status in the response headers ("trailers-only"); otherwise in trailers.
      const takeStatus = (h: Record<string, unknown>) => {
        if (h["grpc-status"] === undefined) return;
        status = String(h["grpc-status"]);
        details = decodeURIComponent(String(h["grpc-message"] ?? ""));
      };
      stream.on("response", takeStatus);
      stream.on("trailers", takeStatus);
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("error", reject);
      stream.on("close", () => {
        settle();
        if (status === undefined) return reject(new GrpcError(14, `stream closed without a gRPC status (${path})`));
        if (status !== "0") return reject(new GrpcError(Number(status), details || `gRPC status ${status}`));
        const body = Buffer.concat(chunks);
        if (body.length < 5 || body[0] !== 0) return reject(new GrpcError(13, `malformed response to ${path}`));
        resolve(body.subarray(5, 5 + body.readUInt32BE(1)));
      });
    });
  }

  close(): void {
    this.session.close();
  }
}
