// Probe commands (pure): what an attempt's output means, told apart case by case, and the words of a failure.
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { attemptScript, mismatch, parseAttempt } from "../../provider/probe/commands";
import { ProbeInputs } from "../../provider/probe/schema";

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
});
