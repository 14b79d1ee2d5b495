// A TCP client for servers that answer each connection with a short text (the examples' web servers say their name).
import { execFile } from "node:child_process";

const CLIENT = `
const [addr, port] = process.argv.slice(1);
const c = require("net").connect({ host: addr, port: Number(port) });
let got = "";
c.on("data", (b) => (got += b));
c.on("end", () => { process.stdout.write(got); process.exit(0); });
c.on("error", () => process.exit(1));
setTimeout(() => process.exit(1), 2000);
`;

/** The distinct answers `count` connections from `clientNs` to addr:port got back, sorted (failed ones give none). */
export async function namesSeen(clientNs: string, addr: string, port: number, count: number): Promise<string[]> {
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
