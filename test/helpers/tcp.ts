// TCP and UDP round trips between namespaces a test made: a server in one namespace, a client in another (both node).
import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";

type Kind = "tcp" | "udp" | "bulk" | "peer";

/** Echoes one TCP connection or UDP datagram; for "bulk", answers the SHA-256 of everything the client sent. */
const SERVER = `
const [kind, addr, port] = process.argv.slice(1);
const done = () => process.exit(0);
setTimeout(done, 15000).unref();
if (kind === "udp") {
  const s = require("dgram").createSocket("udp4");
  s.on("message", (m, r) => s.send(m, r.port, r.address, done));
  s.bind(Number(port), addr, () => console.log("listening"));
} else {
  const s = require("net").createServer((c) => {
    if (kind === "tcp") c.pipe(c);
    else if (kind === "peer") c.end(c.remoteAddress);
    else {
      const h = require("crypto").createHash("sha256");
      c.on("data", (b) => h.update(b));
      c.on("end", () => c.end(h.digest("hex")));
    }
    c.on("close", done);
  });
  s.listen(Number(port), addr, () => console.log("listening"));
}
`;

/** Prints "ok" when the echo (or, for "bulk", the server's hash of what it got) matches what was sent. */
const CLIENT = `
const [kind, addr, port, size] = process.argv.slice(1);
const fail = (m) => { process.stderr.write(m); process.exit(1); };
setTimeout(() => fail("timed out"), 5000);
const payload = require("crypto").randomBytes(Number(size));
const expect = kind === "bulk" ? require("crypto").createHash("sha256").update(payload).digest("hex") : payload.toString("hex");
const check = (got) => { process.stdout.write(kind === "peer" ? "peer " + got : got === expect ? "ok" : "mismatch"); process.exit(0); };
if (kind === "udp") {
  const s = require("dgram").createSocket("udp4");
  s.on("message", (m) => check(m.toString("hex")));
  s.send(payload, Number(port), addr);
} else {
  const c = require("net").connect({ host: addr, port: Number(port) }, () => c.end(payload));
  const parts = [];
  c.on("data", (b) => parts.push(b));
  c.on("end", () => { const b = Buffer.concat(parts); check(kind === "tcp" ? b.toString("hex") : b.toString()); });
  c.on("error", (e) => fail(e.message));
}
`;

/** The client's output ("ok", or "peer <address>"), or undefined when the exchange failed. */
async function exchange(kind: Kind, serverNs: string, listen: string, clientNs: string, connect: string, size: number) {
  const port = String(20000 + (randomBytes(2).readUInt16BE() % 20000));
  const server = spawn("ip", ["netns", "exec", serverNs, process.execPath, "-e", SERVER, kind, listen, port], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.stdout!.once("data", () => resolve());
      server.once("exit", (code) => reject(new Error(`${kind} server in ${serverNs} exited (${code})`)));
    });
    const args = ["netns", "exec", clientNs, process.execPath, "-e", CLIENT, kind, connect, port, String(size)];
    return await new Promise<string | undefined>((resolve) =>
      execFile("ip", args, (e, out) => resolve(e ? undefined : out)),
    );
  } finally {
    server.kill();
  }
}

const roundTrip = async (kind: Kind, serverNs: string, address: string, clientNs: string, size: number) =>
  (await exchange(kind, serverNs, address, clientNs, address, size)) === "ok";

/**
 * The source address a TCP server listening on `listen` in `serverNs` sees for a connection from `clientNs` to
 * `connect` (another address when NAT sits between), or undefined when no connection was made.
 */
export async function tcpSourceSeen(serverNs: string, listen: string, clientNs: string, connect = listen) {
  const out = await exchange("peer", serverNs, listen, clientNs, connect, 1);
  return out?.startsWith("peer ") ? out.slice("peer ".length) : undefined;
}

/**
 * True when a TCP connection from `clientNs` to `address` inside `serverNs` carries data both ways. Traffic stays
 * inside the two namespaces.
 */
export const tcpWorks = (serverNs: string, address: string, clientNs: string) =>
  roundTrip("tcp", serverNs, address, clientNs, 16);

/** True when a UDP datagram from `clientNs` to `address` inside `serverNs` is echoed back intact. */
export const udpWorks = (serverNs: string, address: string, clientNs: string) =>
  roundTrip("udp", serverNs, address, clientNs, 512);

/** True when `bytes` random bytes sent over TCP arrive intact (the server's SHA-256 of them matches). */
export const bulkArrivesIntact = (serverNs: string, address: string, clientNs: string, bytes: number) =>
  roundTrip("bulk", serverNs, address, clientNs, bytes);
