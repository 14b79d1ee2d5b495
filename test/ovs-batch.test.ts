// OVS write batching: writes issued together become one ovs-vsctl transaction; a failed batch is split so each caller gets its own result.
import { strict as assert } from "node:assert";
import { batchingOvsWrites, lingerAfter } from "../provider/ovs/batch";
import { Op, joinOps, nameTaken, noSuchBridge, opsOf, transactArgv, transactResult } from "../provider/ovs/ops";
import { RunResult, Runner } from "../provider/transport/runner";

/** A runner that records what it ran and answers from `answer`. */
function fake(answer: (argv: readonly string[]) => RunResult | Error): Runner & { ran: string[][] } {
  const ran: string[][] = [];
  return {
    ran,
    target: "fake",
    run: async (argv) => {
      ran.push([...argv]);
      const a = answer(argv);
      if (a instanceof Error) throw a;
      return a;
    },
    script: async () => ({ code: 0, stdout: "", stderr: "" }),
  };
}

const ok: RunResult = { code: 0, stdout: "", stderr: "" };

describe("OVS write batching", () => {
  it("joins writes issued together into one transaction, and passes other commands straight through", async () => {
    const r = fake(() => ok);
    const ovs = batchingOvsWrites(r);
    await Promise.all([
      ovs.run(["ovs-vsctl", "add-port", "br", "a", "--", "set", "port", "a", "tag=1"]),
      ovs.run(["ovs-vsctl", "--if-exists", "del-port", "br", "b"]),
      ovs.run(["ip", "link", "set", "dev", "a", "up"]),
    ]);
    assert.deepEqual(r.ran, [
      ["ip", "link", "set", "dev", "a", "up"],
      [
        "ovs-vsctl",
        "add-port",
        "br",
        "a",
        "--",
        "set",
        "port",
        "a",
        "tag=1",
        "--",
        "--if-exists",
        "del-port",
        "br",
        "b",
      ],
    ]);
  });

  it("waits for the switch unless none of the transaction's writes needs it", async () => {
    const r = fake(() => ok);
    const ovs = batchingOvsWrites(r);
    await Promise.all([
      ovs.run(["ovs-vsctl", "--no-wait", "--if-exists", "del-port", "br", "a"]),
      ovs.run(["ovs-vsctl", "--no-wait", "--if-exists", "del-port", "br", "b"]),
    ]);
    await Promise.all([
      ovs.run(["ovs-vsctl", "--no-wait", "--if-exists", "del-port", "br", "c"]),
      ovs.run(["ovs-vsctl", "add-port", "br", "d"]),
    ]);
    await ovs.run(["ovs-vsctl", "--no-wait", "--if-exists", "del-port", "br", "e"]);
    assert.deepEqual(r.ran, [
      ["ovs-vsctl", "--no-wait", "--if-exists", "del-port", "br", "a", "--", "--if-exists", "del-port", "br", "b"],
      ["ovs-vsctl", "--if-exists", "del-port", "br", "c", "--", "add-port", "br", "d"],
      ["ovs-vsctl", "--no-wait", "--if-exists", "del-port", "br", "e"],
    ]);
  });

  it("runs each write alone when the joined transaction fails, so each caller gets its own result", async () => {
    const r = fake((argv) =>
      argv.includes("dup")
        ? {
            code: 1,
            stdout: "",
            stderr: "ovs-vsctl: cannot create a port named dup because a port named dup already exists",
          }
        : ok,
    );
    const ovs = batchingOvsWrites(r);
    const [a, dup] = await Promise.all([
      ovs.run(["ovs-vsctl", "add-port", "br", "a"]),
      ovs.run(["ovs-vsctl", "add-port", "br", "dup"]),
    ]);
    assert.equal(a.code, 0);
    assert.equal(dup.code, 1);
    assert.match(dup.stderr, /already exists/);
    assert.equal(r.ran.length, 3, "the joined attempt, then each alone");
  });

  it("fails every write of a transaction cut off mid-way, without running any again", async () => {
    const r = fake(() => new Error("connection lost"));
    const ovs = batchingOvsWrites(r);
    const results = await Promise.allSettled([
      ovs.run(["ovs-vsctl", "add-port", "br", "a"]),
      ovs.run(["ovs-vsctl", "add-port", "br", "b"]),
    ]);
    assert.deepEqual(
      results.map((x) => x.status),
      ["rejected", "rejected"],
    );
    assert.equal(r.ran.length, 1);
  });

  it("sends a write that arrives while a transaction is in flight with the next one", async () => {
    let release: () => void = () => undefined;
    const r = fake(() => ok);
    const slow: Runner = {
      ...r,
      run: async (argv) => {
        if (r.ran.length === 0) await new Promise<void>((res) => (release = res));
        return r.run(argv);
      },
    };
    const ovs = batchingOvsWrites(slow);
    const first = ovs.run(["ovs-vsctl", "add-port", "br", "a"]);
    await new Promise((res) => setImmediate(res));
    const late = [ovs.run(["ovs-vsctl", "add-port", "br", "b"]), ovs.run(["ovs-vsctl", "add-port", "br", "c"])];
    release();
    await Promise.all([first, ...late]);
    assert.deepEqual(r.ran, [
      ["ovs-vsctl", "add-port", "br", "a"],
      ["ovs-vsctl", "add-port", "br", "b", "--", "add-port", "br", "c"],
    ]);
  });

  it("lets later writes join when the host's transactions are slow, and sends at once when they are fast", async () => {
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    /** Two writes 20 ms apart, after one transaction that took `ms`: how many transactions they made. */
    const staggered = async (ms: number) => {
      const ran: string[][] = [];
      const r: Runner = {
        target: "fake",
        run: async (argv) => (ran.push([...argv]), await sleep(ms), ok),
        script: async () => ok,
      };
      const ovs = batchingOvsWrites(r);
      await ovs.run(["ovs-vsctl", "add-port", "br", "a"]);
      const b = ovs.run(["ovs-vsctl", "add-port", "br", "b"]);
      await sleep(20);
      await Promise.all([b, ovs.run(["ovs-vsctl", "add-port", "br", "c"])]);
      return ran.length - 1;
    };
    assert.equal(await staggered(120), 1, "after a 120 ms transaction, b waits 60 ms and c joins it");
    assert.equal(await staggered(0), 2, "after an instant one, b goes at once");
    assert.equal(lingerAfter(100), 50);
    assert.equal(lingerAfter(5000), 250, "never more than a quarter second");
  });

  describe("ovsdb-client writes (ovs/ops.ts)", () => {
    const rows = (name: string): Op[] => [
      { op: "insert", table: "Interface", row: { name }, "uuid-name": "interface" },
      { op: "insert", table: "Port", row: { name, interfaces: ["named-uuid", "interface"] }, "uuid-name": "port" },
      {
        op: "mutate",
        table: "Bridge",
        where: [["name", "==", "br"]],
        mutations: [["ports", "insert", ["named-uuid", "port"]]],
      },
    ];
    const committed = (n: number): RunResult => ({ code: 0, stdout: JSON.stringify(Array(n).fill({})), stderr: "" });

    it("reads back the operations of its own argv only", () => {
      assert.deepEqual(opsOf(transactArgv(rows("a"))), rows("a"));
      assert.equal(opsOf(["ovsdb-client", "transact", JSON.stringify(["OtherDb", {}])]), undefined);
      assert.equal(opsOf(["ovs-vsctl", "add-br", "b"]), undefined);
    });

    it("gives each request's named rows its own prefix when joined, references included", () => {
      const [a, b] = [joinOps([rows("a"), rows("b")]).slice(0, 3), joinOps([rows("a"), rows("b")]).slice(3)];
      assert.equal(a[0]["uuid-name"], "r0_interface");
      assert.deepEqual((a[1].row as Record<string, unknown>).interfaces, ["named-uuid", "r0_interface"]);
      assert.equal(b[1]["uuid-name"], "r1_port");
      assert.deepEqual(b[2].mutations, [["ports", "insert", ["named-uuid", "r1_port"]]]);
      assert.deepEqual((b[1].row as Record<string, unknown>).name, "b", "other values stay");
    });

    it("turns an aborted transaction into a failure that says why, and keeps a committed one", () => {
      assert.deepEqual(transactResult(committed(2)), committed(2));
      const taken = transactResult({
        code: 0,
        stdout: JSON.stringify([
          {},
          { error: "constraint violation", details: 'identical values (a) for index on column "name".' },
        ]),
        stderr: "",
      });
      assert.equal(taken.code, 1);
      assert.ok(nameTaken(taken.stderr), taken.stderr);
      const noBridge = transactResult({
        code: 0,
        stdout: JSON.stringify([{ error: "timed out", details: '"where" clause test failed' }, null]),
        stderr: "",
      });
      assert.ok(noSuchBridge(noBridge.stderr) && !nameTaken(noBridge.stderr), noBridge.stderr);
      assert.deepEqual(transactResult({ code: 1, stdout: "", stderr: "database connection failed" }).code, 1);
      assert.equal(transactResult({ code: 0, stdout: "not json", stderr: "" }).code, 1);
    });

    it("joins ovsdb-client writes issued together into one transaction beside the ovs-vsctl ones, each alone if it aborts", async () => {
      const r = fake((argv) =>
        argv[0] !== "ovsdb-client"
          ? ok
          : argv[2].includes('"taken"')
            ? {
                code: 0,
                stdout: JSON.stringify([
                  { error: "constraint violation", details: 'identical values (taken) for index on column "name".' },
                ]),
                stderr: "",
              }
            : committed(3),
      );
      const ovs = batchingOvsWrites(r);
      const got = await Promise.all([
        ovs.run(transactArgv(rows("a"))),
        ovs.run(transactArgv(rows("b"))),
        ovs.run(["ovs-vsctl", "--no-wait", "--if-exists", "del-port", "br", "c"]),
      ]);
      assert.deepEqual(
        got.map((g) => g.code),
        [0, 0, 0],
      );
      assert.equal(r.ran.length, 2, "one transaction per client");
      assert.deepEqual(opsOf(r.ran.find((a) => a[0] === "ovsdb-client")!), joinOps([rows("a"), rows("b")]));
      assert.ok(r.ran.some((a) => a.join(" ") === "ovs-vsctl --no-wait --if-exists del-port br c"));

      r.ran.length = 0;
      const [a, taken] = await Promise.all([ovs.run(transactArgv(rows("a"))), ovs.run(transactArgv(rows("taken")))]);
      assert.equal(a.code, 0, "the other write commits on its own");
      assert.ok(nameTaken(taken.stderr), taken.stderr);
      assert.equal(taken.code, 1);
      assert.equal(r.ran.length, 3, "the joined transaction, then each alone");
    });

    it("sends a transaction that reads straight through, never joined with writes", async () => {
      const select = transactArgv([{ op: "select", table: "Port", where: [["name", "==", "a"]], columns: ["name"] }]);
      const r = fake((argv) =>
        argv[2]?.includes('"select"') ? { code: 0, stdout: '[{"rows":[]}]', stderr: "" } : committed(3),
      );
      const ovs = batchingOvsWrites(r);
      const [read] = await Promise.all([ovs.run(select), ovs.run(transactArgv(rows("b")))]);
      assert.equal(read.stdout, '[{"rows":[]}]', "the read's own result");
      assert.deepEqual(
        r.ran.map((a) => a[2]),
        [select[2], transactArgv(joinOps([rows("b")]))[2]],
        "the read alone, the write in a transaction of its own",
      );
    });
  });
});
