// Process against the lab host: a command kept running in a namespace, its readiness, environment and log, death
// read as gone and restarted, a failed start leaving nothing, and delete stopping everything the command started.
import { strict as assert } from "node:assert";
import { ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { Made, check, create, refresh, up } from "../helpers/engine";
import { RUN_PREFIX, labConnection } from "../../lab/access";
import { alive } from "../helpers/proc";
import { eventually, until } from "../helpers/wait";
import { sweep } from "../../lab/sweep";
import { namesSeen } from "../helpers/web";

const P = RUN_PREFIX;
const connection = labConnection();
const DIR = "/run/pulumi-netns/process";
/** Answers each connection with its name and, after a space, the environment it sees as JSON. */
const SERVER = `require("net").createServer((c) => c.end(process.argv[1] + " " + JSON.stringify(process.env))).listen(Number(process.argv[2]), "127.0.0.1", () => console.log("serving"));`;
const server = (name: string, port: number) => [process.execPath, "-e", SERVER, name, String(port)];
const session = (sid: number) =>
  execFileSync("ps", ["-o", "pid=", "-s", String(sid)])
    .toString()
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map(Number)
    .filter(alive);
const pidsIn = (ns: string) =>
  execFileSync("ip", ["netns", "pids", ns]).toString().trim().split(/\s+/).filter(Boolean).sort();
const filesOf = (ns: string, name: string) =>
  ["pid", "log", "env"].map((e) => `${DIR}/${ns}.${name}.${e}`).filter((f) => existsSync(f));

describe("Process (e2e, lab host over SSH)", function () {
  this.timeout(90_000);
  const made = new Made(connection);
  const ns = `${P}proc`;
  const strays: ChildProcess[] = [];
  /** The first word a connection to the namespace's loopback port gets back (the server's name). */
  const nameAt = async (port: number) => (await namesSeen(ns, "127.0.0.1", port, 1))[0]?.split(" ")[0];
  before(async () => {
    await made.create("Namespace", { name: ns });
    execFileSync("ip", ["-n", ns, "link", "set", "lo", "up"]);
  });
  after(async () => {
    for (const s of strays) s.kill("SIGKILL");
    await made.destroy().catch(() => undefined);
    sweep(P);
  });

  it("serves once create returns, with only the environment it was given, and logs what it prints", async () => {
    const p = await made.create("Process", {
      namespace: ns,
      name: "web",
      command: server("hello", 8081),
      environment: { GREETING: 'it\'s "quoted" $HOME\nline two' },
      readyTcpPort: 8081,
    });
    const [reply] = await namesSeen(ns, "127.0.0.1", 8081, 1);
    assert.ok(reply, "answers at once: create waited for the listener");
    assert.equal(reply.slice(0, reply.indexOf(" ")), "hello");
    const env = JSON.parse(reply.slice(reply.indexOf(" ") + 1)) as Record<string, string>;
    assert.equal(env.GREETING, 'it\'s "quoted" $HOME\nline two', "the value byte for byte");
    assert.ok(env.PATH, "a PATH");
    assert.equal(env.SSH_CONNECTION, undefined, "nothing of the SSH session that started it");
    assert.equal(
      execFileSync("ip", ["netns", "identify", String(p.outs.pid)])
        .toString()
        .trim(),
      ns,
    );
    assert.ok(!readFileSync(`/proc/${p.outs.pid}/cmdline`, "utf8").includes("line two"), "not in its argv");
    assert.deepEqual(
      filesOf(ns, "web"),
      [`${DIR}/${ns}.web.pid`, `${DIR}/${ns}.web.log`],
      "the environment file is gone once read",
    );
    assert.match(readFileSync(p.outs.logPath as string, "utf8"), /^serving$/m);
    assert.equal((await up((await refresh(p))!, { ...p.inputs, connection })).action, "same");
  });

  it("is read as gone when killed by hand, and the next up starts it again", async () => {
    const p = await made.create("Process", {
      namespace: ns,
      name: "k",
      command: server("k", 8082),
      readyTcpPort: 8082,
    });
    assert.equal(await nameAt(8082), "k", "control: serving");
    process.kill(p.outs.pid as number, "SIGKILL");
    assert.equal(await nameAt(8082), undefined, "killed");
    assert.equal(await refresh(p), undefined, "refresh: gone");
    const again = made.replace(p, await create("Process", { ...p.inputs, connection }));
    assert.notEqual(again.outs.pid, p.outs.pid);
    assert.equal(await nameAt(8082), "k", "started again");
  });

  it("fails a command that exits as it starts with the end of its output, and leaves nothing", async () => {
    await assert.rejects(
      create("Process", {
        namespace: ns,
        name: "bad",
        command: ["/bin/sh", "-c", "echo first; echo 'no such config' >&2; exit 3"],
        connection,
      }),
      /process "bad" in namespace "\S+proc" exited as it started; the last lines of its output:\nfirst\nno such config$/,
    );
    await assert.rejects(
      create("Process", { namespace: ns, name: "nocmd", command: ["/nonexistent/prog"], connection }),
      /exited as it started; the last lines of its output:\n.*\/nonexistent\/prog/,
    );
    assert.deepEqual([...filesOf(ns, "bad"), ...filesOf(ns, "nocmd")], []);
  });

  it("stops one that does not listen in time, and refuses a missing namespace or directory before starting", async () => {
    const before = pidsIn(ns);
    await assert.rejects(
      create("Process", {
        namespace: ns,
        name: "deaf",
        command: ["/bin/sh", "-c", "sleep 600 & wait"],
        readyTcpPort: 8083,
        readyTimeoutMs: 1500,
        connection,
      }),
      /process "deaf" in namespace "\S+" was not listening on TCP port 8083 after 1500 ms \(it printed nothing\)/,
    );
    assert.deepEqual(pidsIn(ns), before, "the shell and its sleep are stopped");
    assert.deepEqual(filesOf(ns, "deaf"), []);
    await assert.rejects(
      create("Process", { namespace: `${P}nope`, name: "x", command: ["sleep", "1"], connection }),
      /starting process "x" in namespace "\S+nope": namespace "\S+nope" does not exist/,
    );
    await assert.rejects(
      create("Process", {
        namespace: ns,
        name: "x",
        command: ["sleep", "1"],
        workingDirectory: "/nonexistent",
        connection,
      }),
      /working directory \/nonexistent does not exist/,
    );
    assert.deepEqual(filesOf(ns, "x"), []);
  });

  it("delete stops everything the command started, and nothing else", async () => {
    const p = await made.create("Process", {
      namespace: ns,
      name: "tree",
      command: ["/bin/sh", "-c", "sleep 600 & sleep 600 & wait"],
    });
    const members = await eventually(
      "the shell and its two sleeps",
      () => session(p.outs.pid as number),
      (m) => m.length === 3,
    );
    const other = made.all.find((d) => d.inputs.name === "web")!;
    await made.destroyOne(p);
    assert.deepEqual(members.filter(alive), [], "all stopped");
    assert.deepEqual(filesOf(ns, "tree"), []);
    assert.ok(alive(other.outs.pid as number), "control: the other process runs on");
  });

  it("keeps a command that execs another program (a wrapper script) as its own: read, and stopped by delete", async () => {
    const p = await made.create("Process", {
      namespace: ns,
      name: "wrapper",
      command: ["/bin/sh", "-c", 'exec "$0" 600', "sleep"],
    });
    const pid = p.outs.pid as number;
    await until("the shell became sleep", () => readFileSync(`/proc/${pid}/cmdline`, "utf8"), "sleep\0" + "600\0");
    assert.equal((await refresh(p))?.outs.pid, pid, "still this resource's process");
    await made.destroyOne(p);
    assert.ok(!alive(pid), "stopped");
    assert.deepEqual(filesOf(ns, "wrapper"), []);
  });

  it("does not take a pid that now runs something else for its own: read as gone, and delete leaves it", async () => {
    const p = await made.create("Process", { namespace: ns, name: "reuse", command: ["sleep", "600"] });
    // A session leader in the same namespace, as ours is: only its start time tells it apart.
    const stranger = spawn("ip", ["netns", "exec", ns, "sleep", "601"], { stdio: "ignore", detached: true });
    strays.push(stranger);
    await until(
      "the stranger runs sleep",
      () => readFileSync(`/proc/${stranger.pid}/cmdline`, "utf8"),
      "sleep\0" + "601\0",
    );
    assert.deepEqual(await refresh(p).then((d) => d?.outs.pid), p.outs.pid, "control: its own pid is read");
    process.kill(p.outs.pid as number, "SIGKILL");
    writeFileSync(`${DIR}/${ns}.reuse.pid`, `${stranger.pid}\n`);
    assert.equal(await refresh(p), undefined, "another command under the pid file's pid: gone");
    await made.destroyOne(p);
    assert.ok(alive(stranger.pid!), "the stranger was not stopped");
    assert.deepEqual(filesOf(ns, "reuse"), []);
  });

  it("refuses bad input in check, naming the property", async () => {
    const ok = { namespace: ns, name: "v", command: ["sleep", "1"] };
    await assert.rejects(check("Process", { ...ok, command: [] }), /command: must name a program/);
    await assert.rejects(check("Process", { ...ok, command: [""] }), /command: must name a program/);
    await assert.rejects(check("Process", { ...ok, command: ["a\0b"] }), /command\.0: must not contain a NUL byte/);
    await assert.rejects(
      check("Process", { ...ok, environment: { "1X": "y" } }),
      /environment\.1X: a name must be letters, digits and/,
    );
    await assert.rejects(
      check("Process", { ...ok, workingDirectory: "tmp" }),
      /workingDirectory: must be an absolute path/,
    );
    await assert.rejects(check("Process", { ...ok, readyTcpPort: 0 }), /readyTcpPort: must be a port from 1 to 65535/);
    await assert.rejects(
      check("Process", { ...ok, readyTcpPort: 65536 }),
      /readyTcpPort: must be a port from 1 to 65535/,
    );
    await assert.rejects(check("Process", { ...ok, name: "a/b" }), /name: must be 1-32/);
    await assert.rejects(check("Process", { ...ok, namespace: undefined }), /namespace: /);
  });
});
