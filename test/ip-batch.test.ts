// Host `ip` write batching: writes issued together become one `ip -force -batch`, each caller gets its own line's
// result, and lines whose fate the batch does not tell fail as maybe-run.
import { strict as assert } from "node:assert";
import { batchLine, batchResults, batchScript, batchingHostIp, groupDeletes } from "../provider/ip/batch";
import { RunResult, Runner } from "../provider/transport/runner";

const ok: RunResult = { code: 0, stdout: "", stderr: "" };

/** A runner that records what it ran (argv, or a script's text) and answers scripts from `answer`. */
function fake(answer: (text: string) => RunResult | Error = () => ok): Runner & { ran: Array<string[] | string> } {
  const ran: Array<string[] | string> = [];
  return {
    ran,
    target: "fake",
    run: async (argv) => (ran.push([...argv]), ok),
    script: async (text) => {
      ran.push(text);
      const a = answer(text);
      if (a instanceof Error) throw a;
      return a;
    },
  };
}

describe("ip write batching", () => {
  describe("batchLine", () => {
    it("writes a host-namespace write as a batch line, quoting words with blanks", () => {
      assert.equal(batchLine(["ip", "netns", "add", "red"]), "netns add red");
      assert.equal(
        batchLine(["ip", "link", "set", "dev", "v1", "alias", "urn:pulumi:s::p::t::n 0123456789abcdef", "up"]),
        "link set dev v1 alias 'urn:pulumi:s::p::t::n 0123456789abcdef' up",
      );
      assert.equal(
        batchLine(["ip", "link", "set", "dev", "v1", "alias", "it's here"]),
        `link set dev v1 alias "it's here"`,
      );
      assert.equal(batchLine(["ip", "link", "set", "dev", "v1", "alias", ""]), "link set dev v1 alias ''");
      // A quote inside a bare word is an ordinary character to ip; one at its start would open a quoted word.
      assert.equal(batchLine(["ip", "link", "set", "dev", "v1", "alias", `a'b"c`]), `link set dev v1 alias a'b"c`);
      assert.equal(batchLine(["ip", "link", "set", "dev", "v1", "alias", `'ab`]), `link set dev v1 alias "'ab"`);
    });

    it("refuses what a batch line cannot hold, or what is not a host-namespace write", () => {
      for (const argv of [
        ["ip", "link", "set", "dev", "v1", "alias", "a#b"], // ip cuts the line at '#'
        ["ip", "link", "set", "dev", "v1", "alias", "a\\"], // a backslash at the end joins the next line
        ["ip", "link", "set", "dev", "v1", "alias", "a\nb"],
        ["ip", "link", "set", "dev", "v1", "alias", `'a b"`], // holds both quotes and a blank
        ["ip", "link", "show", "dev", "v1"], // prints: its output could not be told apart
        ["ip", "netns", "pids", "red"],
        ["ip", "-d", "link", "set", "dev", "v1", "up"], // a global option
        ["nsenter", "--net=/run/netns/red", "ip", "link", "set", "dev", "lo", "up"],
        ["ovs-vsctl", "add-port", "br", "p"],
        ["ip", "link", "set", "dev", "v1", ...Array<string>(97).fill("up")],
      ])
        assert.equal(batchLine(argv), undefined, argv.join(" "));
    });
  });

  describe("batchResults", () => {
    it("gives each failed line its own messages and every other line success", () => {
      const r = {
        code: 1,
        stdout: "",
        stderr: 'Cannot find device "v2"\nCommand failed -:2\nRTNETLINK answers: File exists\nCommand failed -:4\n',
      };
      assert.deepEqual(batchResults(r, 5), [
        ok,
        { code: 1, stdout: "", stderr: 'Cannot find device "v2"' },
        ok,
        { code: 1, stdout: "", stderr: "RTNETLINK answers: File exists" },
        ok,
      ]);
      assert.deepEqual(batchResults(ok, 2), [ok, ok]);
    });

    it("fails the lines after the last one ip reported on as maybe-run when ip itself stopped", () => {
      // Line 3 made ip exit: no "Command failed" for it, and lines 4 and 5 never ran.
      const r = {
        code: 255,
        stdout: "",
        stderr: 'Cannot find device "v1"\nCommand failed -:1\nError: argument "x" is wrong\n',
      };
      const got = batchResults(r, 5);
      assert.deepEqual(got.slice(0, 1), [{ code: 1, stdout: "", stderr: 'Cannot find device "v1"' }]);
      for (const e of got.slice(1)) {
        assert.ok(e instanceof Error);
        assert.match(e.message, /may or may not have taken effect: Error: argument "x" is wrong/);
      }
      // Killed before it said anything: nothing is known.
      const killed = batchResults({ code: 137, stdout: "", stderr: "" }, 2);
      assert.ok(killed.every((e) => e instanceof Error && /exit code 137/.test(e.message)));
    });
  });

  describe("groupDeletes", () => {
    it("moves two or more device deletes into the group and deletes the group in one line at the end", () => {
      const lines = ["link del dev a", "netns add n", "link del b", `link del dev "'c"`];
      assert.deepEqual(groupDeletes(lines, 70000), {
        lines: [
          "link set dev a group 70000",
          "netns add n",
          "link set dev b group 70000",
          `link set dev "'c" group 70000`,
          "link del group 70000",
        ],
        grouped: [0, 2, 3],
      });
    });

    it("leaves a lone delete, and lines that only look like one, as they are", () => {
      for (const lines of [
        ["link del dev a", "netns add n"],
        ["link del dev a type veth", "link set dev b up", "netns del x"],
      ])
        assert.deepEqual(groupDeletes(lines, 70000), { lines, grouped: [] });
    });
  });

  describe("batchingHostIp", () => {
    it("joins writes issued together into one ip process, runs a lone write as itself, and passes the rest through", async () => {
      const r = fake();
      const host = batchingHostIp(r);
      await Promise.all([
        host.run(["ip", "netns", "add", "a"]),
        host.run(["ip", "link", "del", "dev", "b"]),
        host.run(["nsenter", "--net=/run/netns/a", "ip", "link", "set", "dev", "lo", "up"]),
      ]);
      await host.run(["ip", "link", "set", "dev", "c", "up"]);
      assert.deepEqual(r.ran, [
        ["nsenter", "--net=/run/netns/a", "ip", "link", "set", "dev", "lo", "up"],
        batchScript(["netns add a", "link del dev b"]),
        ["ip", "link", "set", "dev", "c", "up"],
      ]);
      assert.equal(
        batchScript(["netns add a", "link del dev b"]),
        "ip -force -batch - <<'PULUMI_NETNS_IP_BATCH'\nnetns add a\nlink del dev b\nPULUMI_NETNS_IP_BATCH",
      );
    });

    it("deletes devices issued together as one group; a device that is not there fails its own caller alone", async () => {
      let group = "";
      const r = fake((text) => {
        group = /link del group (\d+)/.exec(text)?.[1] ?? "";
        return { code: 1, stdout: "", stderr: 'Cannot find device "b"\nCommand failed -:2\n' };
      });
      const host = batchingHostIp(r);
      const got = await Promise.all(["a", "b", "c"].map((d) => host.run(["ip", "link", "del", "dev", d])));
      assert.ok(Number(group) >= 2 ** 16, `a group of its own: ${group}`);
      assert.deepEqual(r.ran, [
        batchScript([
          `link set dev a group ${group}`,
          `link set dev b group ${group}`,
          `link set dev c group ${group}`,
          `link del group ${group}`,
        ]),
      ]);
      assert.deepEqual(got, [ok, { code: 1, stdout: "", stderr: 'Cannot find device "b"' }, ok]);
    });

    it("deletes a group's devices one line each when the group delete fails, each caller learning its own fate", async () => {
      const r = fake((text) =>
        text.includes("group")
          ? { code: 1, stdout: "", stderr: "RTNETLINK answers: Operation not supported\nCommand failed -:3\n" }
          : { code: 1, stdout: "", stderr: "RTNETLINK answers: Operation not supported\nCommand failed -:2\n" },
      );
      const host = batchingHostIp(r);
      const [a, b] = await Promise.all(["a", "b"].map((d) => host.run(["ip", "link", "del", "dev", d])));
      assert.equal(r.ran.length, 2);
      assert.equal(r.ran[1], batchScript(["link del dev a", "link del dev b"]));
      assert.deepEqual([a, b], [ok, { code: 1, stdout: "", stderr: "RTNETLINK answers: Operation not supported" }]);
    });

    it("gives each caller its own line's result, and fails every caller when the batch is cut off", async () => {
      const host = batchingHostIp(
        fake(() => ({ code: 1, stdout: "", stderr: "RTNETLINK answers: File exists\nCommand failed -:2\n" })),
      );
      const [a, b] = await Promise.all([
        host.run(["ip", "link", "add", "name", "a", "type", "dummy"]),
        host.run(["ip", "link", "add", "name", "b", "type", "dummy"]),
      ]);
      assert.deepEqual([a, b], [ok, { code: 1, stdout: "", stderr: "RTNETLINK answers: File exists" }]);

      const cut = batchingHostIp(fake(() => new Error("the connection closed")));
      const got = await Promise.allSettled([
        cut.run(["ip", "netns", "add", "a"]),
        cut.run(["ip", "netns", "add", "b"]),
      ]);
      assert.deepEqual(
        got.map((g) => g.status === "rejected" && (g.reason as Error).message),
        ["the connection closed", "the connection closed"],
      );
    });
  });
});
