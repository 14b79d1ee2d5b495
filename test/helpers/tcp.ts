// TCP round trips between namespaces a test made: an echo server in one namespace, a client in another (both node).
import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";

const SERVER = `
const [addr, port] = process.argv.slice(1);
const s = require("net").createServer((c) => c.pipe(c));
s.listen(Number(port), addr, () => console.log("listening"));
setTimeout(() => process.exit(0), 8000).unref();
s.on("connection", (c) => c.on("close", () => process.exit(0)));
`;

const CLIENT = `
const [addr, port, token] = process.argv.slice(1);
const c = require("net").connect({ host: addr, port: Number(port) }, () => c.end(token));
let got = "";
c.on("data", (b) => (got += b));
c.on("end", () => { process.stdout.write(got); process.exit(0); });
c.on("error", (e) => { process.stderr.write(e.message); process.exit(1); });
setTimeout(() => { process.stderr.write("timed out"); process.exit(1); }, 4000);
`;

/**
 * True when a TCP connection from `clientNs` to `address` inside `serverNs` carries data both ways. Traffic stays
 * inside the two namespaces.
 */
export async function tcpWorks(serverNs: string, address: string, clientNs: string): Promise<boolean> {
  const port = String(20000 + (randomBytes(2).readUInt16BE() % 20000));
  const server = spawn("ip", ["netns", "exec", serverNs, process.execPath, "-e", SERVER, address, port], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.stdout!.once("data", () => resolve());
      server.once("exit", (code) => reject(new Error(`echo server in ${serverNs} exited (${code})`)));
    });
    const token = randomBytes(8).toString("hex");
    const echoed = await new Promise<string>((resolve) =>
      execFile("ip", ["netns", "exec", clientNs, process.execPath, "-e", CLIENT, address, port, token], (e, out) =>
        resolve(e ? "" : out),
      ),
    );
    return echoed === token;
  } finally {
    server.kill();
  }
}
