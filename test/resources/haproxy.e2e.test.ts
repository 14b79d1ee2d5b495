// Haproxy against the lab host, on a namespace's loopback: a config edited by hand is read as the fields it
// changed and put back by up, and a reload keeps an established connection while new ones reach the new pool.
import { strict as assert } from "node:assert";
import { ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { Made, refresh, up } from "../helpers/engine";
import { RUN_PREFIX, labConnection } from "../../lab/access";
import { alive } from "../helpers/proc";
import { eventually, until } from "../helpers/wait";
import { sweep } from "../../lab/sweep";

const P = RUN_PREFIX;
const connection = labConnection();
/** Says its name, then echoes every line it gets back prefixed with its name. */
const SERVER = `const [name, port] = process.argv.slice(1);
require("net").createServer((c) => {
  c.write(name + "\\n");
  c.on("data", (b) => c.write(name + ":" + b));
}).listen(Number(port), "127.0.0.1");`;
/** Keeps one connection open: writes each stdin line to it and prints what comes back. */
const CLIENT = `const c = require("net").connect({ host: process.argv[1], port: Number(process.argv[2]) });
c.on("data", (b) => process.stdout.write(b));
c.on("close", () => { process.stdout.write("closed\\n"); process.exit(0); });
c.on("error", (e) => { process.stdout.write("error " + e.message + "\\n"); process.exit(1); });
process.stdin.on("data", (b) => c.write(b));`;

/** A client with one long connection through the VIP; `say` sends a line and resolves with the next line back. */
class Held {
  private out = "";
  private waiters: (() => void)[] = [];
  readonly child: ChildProcessWithoutNullStreams;
  constructor(ns: string, addr: string, port: number) {
    this.child = spawn("ip", ["netns", "exec", ns, process.execPath, "-e", CLIENT, addr, String(port)]);
    this.child.stdout.on("data", (b: Buffer) => {
      this.out += b.toString();
      this.waiters.splice(0).forEach((w) => w());
    });
  }
  /** The next whole line the connection gave (or "timeout"). */
  async line(): Promise<string> {
    const deadline = Date.now() + 5000;
    while (!this.out.includes("\n")) {
      if (Date.now() > deadline) return "timeout";
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 200);
      });
    }
    const i = this.out.indexOf("\n");
    const l = this.out.slice(0, i);
    this.out = this.out.slice(i + 1);
    return l;
  }
  say(text: string): Promise<string> {
    this.child.stdin.write(`${text}\n`);
    return this.line();
  }
}

describe("Haproxy (e2e, lab host over SSH)", function () {
  this.timeout(120_000);
  const made = new Made(connection);
  const ns = `${P}lb`;
  const held: Held[] = [];
  const member = (name: string, port: number) => ({ name, address: "127.0.0.1", port });
  const lb = (members: ReturnType<typeof member>[], balance = "roundrobin") => ({
    namespace: ns,
    name: "lb",
    vip: "127.0.0.1",
    listeners: [{ protocol: "tcp", port: 80 }],
    members,
    balance,
    healthCheck: { intervalMs: 300, timeoutMs: 200, rise: 1, fall: 2 },
  });
  before(async () => {
    await made.create("Namespace", { name: ns });
    execFileSync("ip", ["-n", ns, "link", "set", "lo", "up"]);
    for (const [name, port] of [
      ["m1", 9001],
      ["m2", 9002],
    ] as const)
      await made.create("Process", {
        namespace: ns,
        name,
        command: [process.execPath, "-e", SERVER, name, String(port)],
        readyTcpPort: port,
      });
  });
  after(async () => {
    for (const h of held) h.child.kill("SIGKILL");
    await made.destroy().catch(() => undefined);
    sweep(P);
  });
  /** The distinct members `count` new connections through the VIP were greeted by. */
  const firstLines = async (count: number) => {
    const names = new Set<string>();
    for (let i = 0; i < count; i++) {
      const c = new Held(ns, "127.0.0.1", 80);
      names.add(await c.line());
      c.child.kill("SIGKILL");
    }
    return [...names].sort();
  };

  it("a config edited by hand is read as the fields it changed; up writes and reloads the program's own", async () => {
    const h = await made.create("Haproxy", lb([member("m1", 9001), member("m2", 9002)]));
    const path = h.outs.configPath as string;
    const generated = readFileSync(path, "utf8");
    writeFileSync(path, generated.replace("balance roundrobin", "balance source").replace(/^ {4}server m2 .*\n/m, ""));
    const seen = await refresh(h);
    assert.equal(seen?.outs.balance, "source");
    assert.deepEqual(
      (seen?.outs.members as { name: string }[]).map((m) => m.name),
      ["m1"],
      "the member removed by hand",
    );
    assert.equal(seen?.outs.pid, h.outs.pid, "still the same process: only its file changed");
    const { action, deployed } = await up(seen!, { ...h.inputs, connection });
    assert.equal(action, "update");
    made.replace(h, deployed);
    assert.equal(readFileSync(path, "utf8"), generated, "the program's config again");
    assert.equal((await up((await refresh(deployed))!, { ...h.inputs, connection })).action, "same");
    await until("both members serve (rise 1 at 300 ms)", () => firstLines(8), ["m1", "m2"]);
  });

  it("a reload keeps an established connection on the old process; new connections reach the new pool", async () => {
    const h = made.all.find((d) => d.kind === "Haproxy")!;
    // Only m1 in the pool, so the held connection lands on m1.
    const one = made.replace(h, (await up(h, { ...lb([member("m1", 9001)]), connection })).deployed);
    await until("m1 serves", () => firstLines(2), ["m1"]);
    const c = new Held(ns, "127.0.0.1", 80);
    held.push(c);
    assert.equal(await c.line(), "m1", "connected through the VIP");
    assert.equal(await c.say("before"), "m1:before");

    const { action, deployed } = await up(one, { ...lb([member("m2", 9002)]), connection });
    assert.equal(action, "update");
    made.replace(one, deployed);
    assert.notEqual(deployed.outs.pid, one.outs.pid, "a new process took over the listener");
    assert.ok(alive(one.outs.pid as number), "the old one stays for the connection it holds");
    assert.equal(await c.say("after"), "m1:after", "the established connection still works");
    await until("control: new connections go to the new pool only", () => firstLines(6), ["m2"]);

    c.child.stdin.end();
    c.child.kill("SIGTERM");
    await eventually("the old process leaves once its connection is done", () => !alive(one.outs.pid as number));
  });
});
