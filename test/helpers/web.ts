// Tiny TCP "web" servers in namespaces a test made, each answering every connection with its own name.
import { ChildProcess, execFile, spawn } from "node:child_process";

const SERVER = `require("net").createServer((c) => c.end(process.argv[1])).listen(8080, "0.0.0.0", () => console.log("up"));`;
const CLIENT = `
const [addr, port] = process.argv.slice(1);
const c = require("net").connect({ host: addr, port: Number(port) });
let got = "";
c.on("data", (b) => (got += b));
c.on("end", () => { process.stdout.write(got); process.exit(0); });
c.on("error", () => process.exit(1));
setTimeout(() => process.exit(1), 2000);
`;

export class WebServers {
  private running = new Map<string, ChildProcess>();

  /** Starts a server answering `name` on port 8080 in `namespace`. */
  start(namespace: string, name: string): void {
    this.running.set(
      namespace,
      spawn("ip", ["netns", "exec", namespace, process.execPath, "-e", SERVER, name], { stdio: "ignore" }),
    );
  }

  stop(namespace: string): void {
    this.running.get(namespace)?.kill("SIGKILL");
    this.running.delete(namespace);
  }

  stopAll(): void {
    for (const ns of [...this.running.keys()]) this.stop(ns);
  }

  /** The distinct names `count` connections from `clientNs` to addr:port got back, sorted (failed ones give none). */
  async namesSeen(clientNs: string, addr: string, port: number, count: number): Promise<string[]> {
    const names = new Set<string>();
    for (let i = 0; i < count; i++) {
      const got = await new Promise<string | undefined>((resolve) =>
        execFile("ip", ["netns", "exec", clientNs, process.execPath, "-e", CLIENT, addr, String(port)], (e, out) =>
          resolve(e ? undefined : out),
        ),
      );
      if (got) names.add(got);
    }
    return [...names].sort();
  }
}
