// Fuzz: for random valid and invalid inputs, only checked inputs reach a runner, and every argv it gets survives /bin/sh exactly.
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { checkInputs } from "../../provider/dynamic/check";
import { KINDS, definition } from "../../provider/registry";
import { quoteArgv } from "../../provider/shell/quote";
import { RunResult, Runner } from "../../provider/transport/runner";

/** Records what would run and answers "ok, nothing to report", so creates and deletes go as far as they can. */
class RecordingRunner implements Runner {
  readonly target = "fuzz";
  readonly argvs: string[][] = [];
  readonly scripts: string[] = [];
  async run(argv: readonly string[]): Promise<RunResult> {
    this.argvs.push([...argv]);
    return { code: 0, stdout: argv[0] === "ovsdb-client" ? '[{"rows":[]},{"rows":[]},{"rows":[]}]' : "", stderr: "" };
  }
  async script(text: string): Promise<RunResult> {
    this.scripts.push(text);
    return { code: 0, stdout: "", stderr: "" };
  }
}

const hostile = fc.oneof(
  fc.constantFrom("red", "eth0", "veth-r", "OVS1", "tap_1", "a.b", "x", "dhcp-r", "qdhcp-3f2c"),
  fc.constantFrom("a;b", "$(id)", "`id`", "a b", "-x", "..", "a/b", "a\nb", "ñ", "'", '"', "a".repeat(16), ""),
  fc.string({ unit: "binary", maxLength: 20 }).map((s) => s.replace(/\0/g, "")),
);
const cidr = fc.oneof(fc.constantFrom("10.0.0.1/24", "fd00::1/64", "10.0.0.1", "1.2.3.4/33", "x/24"), hostile);
const num = fc.oneof(fc.integer({ min: -5, max: 70000 }), fc.constant(100));

/**
 * Kinds whose create waits on the host for something the recording runner never gives: each of the 150 runs would
 * wait out its timeout. Their argvs are built from names the same validation checks (ifName, nsName).
 */
const NOT_FUZZED: Record<string, string> = {
  DhcpClient: "create waits for a lease (at least a second)",
  Process: "create waits for the process to be ready (at least 100 ms)",
};
const generators: Record<string, fc.Arbitrary<Record<string, unknown>>> = {
  Host: fc.record({
    needs: fc.array(fc.constantFrom("openvswitch", "dnsmasq", "dhclient", "nftables", "haproxy", "x;y"), {
      maxLength: 3,
    }),
    install: fc.boolean(),
  }),
  DhcpServer: fc.record({
    namespace: hostile,
    device: hostile,
    subnet: fc.oneof(fc.constant("10.0.0.0/24"), cidr),
    rangeStart: fc.oneof(fc.constant("10.0.0.10"), hostile),
    rangeEnd: fc.oneof(fc.constant("10.0.0.20"), hostile),
    domain: fc.option(hostile, { nil: undefined }),
  }),
  Haproxy: fc.record({
    namespace: hostile,
    name: hostile,
    vip: fc.oneof(fc.constant("10.0.0.9"), hostile),
    listeners: fc.array(fc.record({ port: num }), { minLength: 1, maxLength: 2 }),
    members: fc.array(fc.record({ name: hostile, address: fc.oneof(fc.constant("10.0.0.5"), hostile), port: num }), {
      maxLength: 2,
    }),
  }),
  Namespace: fc.record({ name: hostile, loopbackUp: fc.boolean() }),
  VethPair: fc.record({
    name: hostile,
    peerName: hostile,
    namespace: fc.option(hostile, { nil: undefined }),
    mtu: fc.option(num, { nil: undefined }),
  }),
  OvsBridge: fc.record({
    name: hostile,
    datapathType: fc.constantFrom("netdev", "system", "x;y"),
    externalIds: fc.dictionary(hostile, hostile, { maxKeys: 2 }),
  }),
  OvsPort: fc.record({
    bridge: hostile,
    name: hostile,
    tag: fc.option(num, { nil: undefined }),
    type: fc.constantFrom("system", "internal"),
    namespace: fc.option(hostile, { nil: undefined }),
  }),
  Address: fc.record({ namespace: fc.option(hostile, { nil: undefined }), device: hostile, cidr }),
  Route: fc.record({
    namespace: fc.option(hostile, { nil: undefined }),
    destination: fc.oneof(cidr, fc.constant("default")),
    via: fc.option(fc.oneof(hostile, fc.constant("10.0.0.1")), { nil: undefined }),
    device: fc.option(hostile, { nil: undefined }),
  }),
  Nat: fc.record({
    namespace: hostile,
    snat: fc.array(
      fc.record({
        source: fc.oneof(fc.constant("10.0.0.0/24"), cidr),
        outInterface: fc.option(hostile, { nil: undefined }),
        to: fc.option(fc.oneof(fc.constant("192.0.2.1"), hostile), { nil: undefined }),
      }),
      { maxLength: 3 },
    ),
    floatingIps: fc.array(
      fc.record({
        floatingIp: fc.oneof(fc.constant("192.0.2.10"), hostile),
        fixedIp: fc.oneof(fc.constant("10.0.0.5"), hostile),
      }),
      { maxLength: 2 },
    ),
  }),
  Probe: fc.record({
    namespace: hostile,
    target: fc.oneof(fc.constantFrom("10.0.0.2", "fd00::2", "10.0.0.2; id"), hostile),
    protocol: fc.constantFrom("icmp", "tcp", "udp", "sctp"),
    port: fc.option(num, { nil: undefined }),
    expect: fc.constantFrom("reach", "blocked", "refused", "gone"),
    timeoutMs: num,
    attempts: fc.constantFrom(1, 2, 0),
  }),
  Sysctl: fc.record({
    namespace: hostile,
    key: fc.oneof(
      fc.constantFrom("net.ipv4.ip_forward", "net.ipv4.conf.all.arp_ignore", "kernel.x", "net.a;b"),
      hostile,
    ),
    value: fc.oneof(fc.constantFrom("1", "32768 60999", "1\n0", "$(id)"), hostile),
  }),
};

/** Sends each argv through /bin/sh as the SSH transport does (one quoted command each) and returns what arrived. */
function throughSh(argvs: readonly (readonly string[])[]): string[][] {
  const script = argvs.map((argv) => `printf '%s\\0' ${quoteArgv(argv)}; printf '\\1\\0'`).join("\n");
  const out = execFileSync("/bin/sh", ["-c", script], { maxBuffer: 64 << 20 }).toString("utf8");
  return out
    .split("\u0001\0")
    .slice(0, -1)
    .map((x) => x.split("\0").slice(0, -1));
}

describe("fuzz: what reaches the runner", function () {
  this.timeout(120_000);
  let valid = 0;
  let invalid = 0;

  it("has a generator for every kind in the one list (provider/registry.ts), or says why not", () => {
    assert.deepEqual([...Object.keys(generators), ...Object.keys(NOT_FUZZED)].sort(), [...KINDS].sort());
  });

  for (const [kind, gen] of Object.entries(generators)) {
    it(`${kind}: every command create, read and delete send for accepted random inputs survives /bin/sh`, async () => {
      const def = definition(kind);
      await fc.assert(
        fc.asyncProperty(gen, async (raw) => {
          const { inputs, failures } = checkInputs(def, raw);
          if (failures.length) {
            invalid++;
            return; // the engine stops at failed checks (proven in hostile-input.e2e.test.ts), so nothing runs
          }
          valid++;
          const runner = new RecordingRunner();
          // The recording runner answers every command with success and no output, which some parsers refuse:
          // what matters here is what was sent before that.
          await def.create(runner, inputs).catch(() => undefined);
          assert.ok(runner.argvs.length + runner.scripts.length > 0, "create sent something");
          await def.read(runner, inputs).catch(() => undefined);
          await def.delete(runner, inputs).catch(() => undefined);
          assert.deepEqual(throughSh(runner.argvs), runner.argvs, "each argv arrives byte for byte");
          for (const script of runner.scripts) execFileSync("/bin/sh", ["-n", "-c", script]);
        }),
        { numRuns: 150 },
      );
    });
  }

  it("saw both valid and invalid inputs", () => {
    assert.ok(valid > 50 && invalid > 50, `valid ${valid}, invalid ${invalid}`);
  });
});
