// Probe commands (pure): what an attempt's output means, told apart case by case, and the words of a failure.
import { strict as assert } from "node:assert";
import { execFile, execFileSync } from "node:child_process";
import { createSocket } from "node:dgram";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { attemptScript, mismatch, parseAttempt } from "../../provider/probe/commands";
import { ProbeInputs } from "../../provider/probe/schema";
import { NETNS_DIR } from "../../provider/shell/netns";

const run = promisify(execFile);
const tcp: ProbeInputs = {
  namespace: "red",
  target: "10.50.50.2",
  protocol: "tcp",
  port: 22,
  expect: "reach",
  timeoutMs: 1000,
  attempts: 3,
};
const out = (rc: number, said: string, neigh = "10.50.50.2 dev eth0-r lladdr 02:00:00:00:00:01 REACHABLE") =>
  `rc=${rc}\nus=1234\nroute=10.50.50.2 dev eth0-r src 10.50.50.23 uid 0 \nneigh=${neigh}\nout=${said}\n`;

describe("probe: one attempt's output", () => {
  it("tells an answer, silence and a refusal apart", () => {
    assert.deepEqual(parseAttempt(out(0, "")), {
      observed: "reach",
      rttMs: 1.23,
      device: "eth0-r",
      via: undefined,
      route: "10.50.50.2 dev eth0-r src 10.50.50.23 uid 0",
      neighbour: "10.50.50.2 dev eth0-r lladdr 02:00:00:00:00:01 REACHABLE",
      said: "",
    });
    assert.equal(parseAttempt(out(124, ""))?.observed, "blocked", "no answer before the timeout");
    const reset = "bash: connect: Connection refused bash: /dev/tcp/10.50.50.2/22: Connection refused";
    assert.equal(parseAttempt(out(3, reset))?.observed, "refused", "a TCP reset");
    const portUnreachable = "bash: read: read error: 0: Connection refused";
    assert.equal(parseAttempt(out(4, portUnreachable))?.observed, "refused", "an ICMP port unreachable for UDP");
  });

  it("takes a host unreachable for a refusal only when the next hop answered its neighbour solicitation", () => {
    const said = "bash: connect: No route to host";
    assert.equal(parseAttempt(out(3, said))?.observed, "refused", "a router said so");
    const silent = "10.50.50.2 dev eth0-r FAILED";
    assert.equal(parseAttempt(out(3, said, silent))?.observed, "blocked", "nobody answered at all");
    assert.equal(parseAttempt(out(3, said, "10.50.50.2 dev eth0-r INCOMPLETE"))?.observed, "blocked");
    assert.equal(parseAttempt(out(3, "bash: connect: Network is unreachable"))?.observed, "blocked", "no route");
  });

  it("reads ping's own round trip and its silence", () => {
    const ping = "64 bytes from 10.50.50.2: icmp_seq=1 ttl=64 time=0.412 ms";
    assert.equal(parseAttempt(out(0, ping))?.rttMs, 0.412);
    assert.equal(parseAttempt(out(1, "1 packets transmitted, 0 received, 100% packet loss"))?.observed, "blocked");
    const prohibited = "From 10.0.0.1 icmp_seq=1 Packet filtered";
    assert.equal(parseAttempt(out(1, prohibited))?.observed, "refused");
  });

  it("reads the next hop of a routed path, a gone namespace, and fails on a probe that could not run", () => {
    const routed = out(0, "").replace("route=10.50.50.2 dev", "route=203.0.113.1 via 10.50.50.1 dev");
    assert.deepEqual([parseAttempt(routed)?.via, parseAttempt(routed)?.device], ["10.50.50.1", "eth0-r"]);
    assert.equal(parseAttempt("gone\n"), undefined);
    assert.throws(() => parseAttempt(out(127, "bash: not found")), /could not run \(exit code 127\): bash: not found/);
  });

  it("names the probe, its path, what it saw and a line of diagnosis", () => {
    const seen = parseAttempt(out(124, ""))!;
    const owner = "urn:pulumi:dev::seed::pulumi-nodejs:dynamic/netns:Probe::red-server";
    assert.equal(
      mismatch({ ...tcp, owner }, seen),
      'Probe "red-server": expected reach, observed blocked (tcp from namespace red via eth0-r to 10.50.50.2 port 22: ' +
        "no answer within 1000 ms, 3 attempts); diagnosis: route 10.50.50.2 dev eth0-r src 10.50.50.23 uid 0; " +
        "neighbour 10.50.50.2 dev eth0-r lladdr 02:00:00:00:00:01 REACHABLE",
    );
  });

  it("writes a script that sh parses, for every protocol, with hostile values quoted", () => {
    for (const p of [tcp, { ...tcp, protocol: "udp" as const }, { ...tcp, protocol: "icmp" as const, port: undefined }])
      execFileSync("/bin/sh", ["-n", "-c", attemptScript({ ...p, namespace: "a'b$(id)" })]);
    assert.match(attemptScript(tcp), /ns=red; t=10\.50\.50\.2; port=22/);
    assert.match(attemptScript(tcp), /timeout 1\.000 bash/);
  });

  it("reads an attempt with parts missing, and tells ping's silence from other failures by its exit code", () => {
    assert.deepEqual(parseAttempt("rc=124\n"), {
      observed: "blocked",
      device: undefined,
      via: undefined,
      route: "",
      neighbour: "",
      said: "",
    });
    const silence = "1 packets transmitted, 0 received, 100% packet loss";
    assert.throws(() => parseAttempt(out(2, silence)), /exit code 2/, "ping's exit 2 is an error, not silence");
    assert.throws(() => parseAttempt(out(1, "ping: unknown host")), /exit code 1\): ping: unknown host/);
    assert.throws(() => parseAttempt("rc=5\nout=\n"), /exit code 5\): no output/);
    assert.equal(parseAttempt(out(0, "  padded  "))?.said, "padded");
    assert.equal(parseAttempt(out(0, "", " 10.0.0.1 dev eth0 REACHABLE "))?.neighbour, "10.0.0.1 dev eth0 REACHABLE");
  });

  it("words every kind of failure: no owner, no port, a refusal, one attempt, no route or neighbour", () => {
    const icmp = { ...tcp, protocol: "icmp" as const, port: undefined, attempts: 1, expect: "blocked" as const };
    const bare = { observed: "reach" as const, route: "", neighbour: "", said: "" };
    assert.equal(
      mismatch(icmp, bare),
      "Probe: expected blocked, observed reach (icmp from namespace red to 10.50.50.2: an answer, 1 attempt); " +
        "diagnosis: route none; neighbour none",
    );
    const refused = { ...bare, observed: "refused" as const };
    assert.match(
      mismatch(tcp, refused),
      /observed refused \(tcp from namespace red to 10\.50\.50\.2 port 22: a refusal \(refused\), 3 attempts\)/,
    );
    const long = { ...refused, said: "x".repeat(200) };
    assert.ok(mismatch(tcp, long).includes(`a refusal (${"x".repeat(120)}),`), "what it said, cut to 120 characters");
    assert.match(mismatch({ ...tcp, owner: 42 }, bare), /^Probe: /, "an owner that is not a URN names nothing");
  });

  it("runs one attempt through sh on this machine's loopback: an answer, a refusal, a gone namespace", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pn-probe-"));
    const tcpServer = createServer().listen(0, "127.0.0.1");
    const udpServer = createSocket("udp4");
    udpServer.on("message", (m, from) => udpServer.send(m, from.port, from.address));
    await new Promise((done) => tcpServer.once("listening", done));
    await new Promise<void>((done) => udpServer.bind(0, "127.0.0.1", done));
    const [tcpPort, udpPort] = [(tcpServer.address() as AddressInfo).port, udpServer.address().port];
    // A port nobody listens on: the TCP server's, once it is closed.
    const closed = createServer().listen(0, "127.0.0.1");
    await new Promise((done) => closed.once("listening", done));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((done) => closed.close(done));
    try {
      const nsFile = join(dir, "ns");
      writeFileSync(nsFile, "");
      // The namespace's file moved into the temporary directory, and nsenter left out (it needs root).
      // Run without blocking this process, whose event loop answers the UDP echo.
      const attempt = async (p: ProbeInputs) => {
        const script = attemptScript(p)
          .split(`"${NETNS_DIR}/$ns"`)
          .join(JSON.stringify(nsFile))
          .replace(`nsenter --net=${JSON.stringify(nsFile)} `, "");
        return parseAttempt((await run("/bin/sh", ["-c", script])).stdout);
      };
      const local = { ...tcp, target: "127.0.0.1", timeoutMs: 2000, attempts: 1 };
      const answer = await attempt({ ...local, port: tcpPort });
      assert.equal(answer?.observed, "reach");
      assert.equal(answer?.device, "lo");
      assert.ok(answer!.rttMs! >= 0, String(answer?.rttMs));
      assert.equal((await attempt({ ...local, port: closedPort }))?.observed, "refused", "a TCP reset");
      assert.equal((await attempt({ ...local, protocol: "udp", port: udpPort }))?.observed, "reach", "an echo");
      assert.equal(
        (await attempt({ ...local, protocol: "udp", port: closedPort }))?.observed,
        "refused",
        "port unreachable",
      );
      assert.equal((await attempt({ ...local, protocol: "icmp", port: undefined }))?.observed, "reach");
      rmSync(nsFile);
      assert.equal(await attempt({ ...local, port: tcpPort }), undefined, "the namespace is gone");
    } finally {
      tcpServer.close();
      udpServer.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
