// The seed built by hand, brought under management: discover writes the program, and its first up adopts it in place.
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { main as cli } from "../../provider/cli";
import { EngineOptions } from "../../engine/engine";
import { REPO, engine } from "../../lab/harness";
import { handSeedFilesCleanup, handSeedScript } from "../helpers/hand-seed";
import { LabHost, RUN_PREFIX, lab, onHost, tcpOnHosts } from "../../lab/access";
import { sweep, sweepHost } from "../../lab/sweep";
import { tcpWorks } from "../helpers/tcp";

const P = RUN_PREFIX;
const NAMESPACES = ["red", "green", "dhcp-r", "dhcp-g"].map((n) => `${P}${n}`);

/** Where the lab is: commands run there, a TCP exchange between two of its namespaces, and discover's flags for it. */
interface Place {
  name: string;
  sh(script: string): string;
  tcp(serverNs: string, address: string, clientNs: string): Promise<boolean>;
  discoverFlags: string[];
  config: Record<string, string>;
  cleanUp(): void;
}

const local: Place = {
  name: "this machine",
  sh: (script) => execFileSync("/bin/sh", ["-c", script]).toString(),
  tcp: tcpWorks,
  discoverFlags: [],
  config: {},
  cleanUp: () => sweep(P),
};

function remote(h: LabHost): Place {
  return {
    name: `lab host ${h.name}`,
    sh: (script) => onHost(h, script),
    tcp: async (serverNs, address, clientNs) =>
      tcpOnHosts([h, clientNs], [h, serverNs], address)?.startsWith("hello from") ?? false,
    discoverFlags: [
      ...["--host", h.host, "--port", String(h.port), "--user", h.user],
      ...["--private-key-file", h.privateKeyPath, "--host-key", h.hostKey],
    ],
    config: { privateKey: readFileSync(h.privateKeyPath, "utf8") },
    cleanUp: () => sweepHost(h, P),
  };
}

/** Identities that adoption must keep: namespace inodes, veth ends' ifindexes, the bridge's and ports' uuids. */
function identities(at: Place): Record<string, string> {
  const out: Record<string, string> = {};
  for (const ns of NAMESPACES) out[ns] = at.sh(`stat -L -c %i /run/netns/${ns}`).trim();
  for (const [ns, dev] of [
    [`${P}red`, "eth0-r"],
    [`${P}green`, "eth0-g"],
    ["", `${P}veth-r`],
    ["", `${P}veth-g`],
  ])
    out[`${ns}/${dev}`] = at.sh(`ip ${ns ? `-n ${ns}` : ""} -j link show dev ${dev}`).match(/"ifindex":(\d+)/)![1];
  out.bridge = at.sh(`ovs-vsctl get bridge ${P}OVS1 _uuid`).trim();
  for (const port of ["veth-r", "veth-g", "tap-r", "tap-g"])
    out[port] = at.sh(`ovs-vsctl get port ${P}${port} _uuid`).trim();
  return out;
}

const addressOf = (at: Place, ns: string, dev: string) =>
  /inet (10\.50\.50\.\d+)\//.exec(at.sh(`ip -n ${ns} -4 addr show dev ${dev}`))?.[1];

/** The project discover writes, under the repo (so that the harness finds TypeScript), with the library linked in. */
function projectDir(name: string): string {
  const dir = join(REPO, ".lab", `${P}${name}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "node_modules"), { recursive: true });
  symlinkSync(REPO, join(dir, "node_modules", "pulumi-netns"));
  symlinkSync(join(REPO, "node_modules", "@pulumi"), join(dir, "node_modules", "@pulumi"));
  return dir;
}

async function discover(flags: string[]): Promise<string> {
  const said: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((s: string) => said.push(s) > 0) as typeof process.stdout.write;
  try {
    await cli(["discover", ...flags]);
  } finally {
    process.stdout.write = write;
  }
  return said.join("");
}

function adoptsTheSeed(at: () => Place) {
  let dir: string;
  let options: EngineOptions;
  const hand = `/run/${P}hand`;

  before(async () => {
    at().sh(handSeedScript(P, hand));
    dir = projectDir(`adopt-${at().name.replace(/\W+/g, "-")}`);
    options = {
      projectDir: dir,
      stack: "dev",
      statePath: join(dir, "state.json"),
      config: at().config,
      secretConfig: ["privateKey"],
      log: () => undefined,
    };
  });

  after(async () => {
    try {
      await engine("destroy", options).catch(() => undefined);
    } finally {
      at().cleanUp();
      at().sh(handSeedFilesCleanup(P, hand));
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("discover writes a program that declares the lab, every resource adopting", async () => {
    const flags = [...NAMESPACES.flatMap((n) => ["--namespace", n]), "--bridge", `${P}OVS1`];
    const said = await discover(["--out", dir, ...flags, ...at().discoverFlags]);
    assert.match(said, /17 resources to adopt/);
    const program = readFileSync(join(dir, "index.ts"), "utf8");
    assert.match(program, /const on = \{ host, adopt: true \};/);
    assert.match(program, /function vethPort\(/, "the veth-into-a-port shape repeats, so it is a helper");
    assert.match(program, new RegExp(`vethPort\\("eth0-r", ${"\\w+"}, "${P}veth-r", \\w+, \\{ tag: 100 \\}\\)`));
    assert.match(program, /type: "internal",\n {2}tag: 200,/);
    assert.match(program, /rangeStart: "10\.50\.50\.110",\n {2}rangeEnd: "10\.50\.50\.200",/);
    assert.doesNotMatch(program, /BEGIN OPENSSH PRIVATE KEY/, "the key stays in the stack's secret config");
  });

  it("up takes the lab over in place: nothing made again, ping keeps going, and TCP then works", async () => {
    const before = identities(at());
    const heldBefore = addressOf(at(), `${P}red`, "eth0-r");
    // TCP is dead before: checksum offload is on, as the seed's commands leave it on the userspace datapath.
    assert.equal(await at().tcp(`${P}dhcp-r`, "10.50.50.2", `${P}red`), false, "TCP fails in the hand-built lab");
    const ping = `${P}ping`;
    at().sh(
      `setsid -f sh -c 'echo $$ > /run/${ping}.pid; exec ip netns exec ${P}red ping -n -i 0.1 -w 300 10.50.50.2 > /run/${ping}.out 2>&1' </dev/null >/dev/null 2>&1; sleep 0.5`,
    );
    let up;
    try {
      up = await engine("up", options);
    } finally {
      at().sh(`kill -INT $(cat /run/${ping}.pid); sleep 0.3`);
    }
    const out = at().sh(`cat /run/${ping}.out; rm -f /run/${ping}.out /run/${ping}.pid`);
    assert.deepEqual(up.counts, { create: 18, update: 0, replace: 0, delete: 0, same: 0, gone: 0 });
    assert.deepEqual(identities(at()), before, "namespaces, veth ends, bridge and ports are the same objects");
    const [, sent, got] = /(\d+) packets transmitted, (\d+) received/.exec(out)!.map(Number);
    assert.ok(sent >= 10, `ping ran through the up (${sent} sent)`);
    assert.ok(sent - got <= 20, `at most 2 s of ping lost (${sent - got} of ${sent} at 0.1 s)`);
    assert.equal(addressOf(at(), `${P}red`, "eth0-r"), heldBefore, "red's dhclient kept its address");
    for (const [c, ns] of [
      ["r", `${P}red`],
      ["g", `${P}green`],
    ])
      assert.ok(await at().tcp(`${P}dhcp-${c}`, "10.50.50.2", ns), `TCP ${ns} -> its server, offload fixed`);
    const green = addressOf(at(), `${P}green`, "eth0-g")!;
    assert.equal(await at().tcp(`${P}green`, green, `${P}red`), false, "red cannot reach green");
    assert.ok(await at().tcp(`${P}green`, green, `${P}dhcp-g`), "green's own VLAN can (control)");
    // The daemons run under the library's files now; the ones started by hand are gone.
    const daemons = at().sh("ps -e -o args= | grep -E '^(dnsmasq|dhclient) ' || true");
    assert.equal(daemons.split("\n").filter((l) => l.includes(`${hand}/`)).length, 0, daemons);
    assert.equal(daemons.split("\n").filter((l) => l.includes(`/run/pulumi-netns/`) && l.includes(P)).length, 4);
    assert.match(at().sh(`ovs-vsctl get port ${P}veth-r external_ids`), /pulumi-netns-owner=/, "marked as ours");
  });

  it("the next up is all same, preview shows no change, and the graph draws it", async () => {
    const again = await engine("up", options);
    assert.equal(again.counts.same, 18, again.lines.join("\n"));
    await engine("preview", { ...options, expectNoChanges: true });
    const picture = join(dir, "graph.mmd");
    assert.equal(await cli(["graph", "--from", options.statePath, "-o", picture]), 0);
    const drawn = readFileSync(picture, "utf8");
    for (const name of [...NAMESPACES, `${P}OVS1`, `${P}veth-r`]) assert.ok(drawn.includes(name), name);
  });

  it("destroy removes it all", async () => {
    await engine("destroy", options);
    assert.equal(at().sh(`ip netns list | grep -c -- '${P}' || true`).trim(), "0");
    assert.equal(at().sh(`ovs-vsctl list-br | grep -c -- '${P}' || true`).trim(), "0");
    assert.equal(at().sh(`ip -o link show | grep -c -- '${P}' || true`).trim(), "0");
    assert.equal(at().sh(`ps -e -o args= | grep -E '^(dnsmasq|dhclient) ' | grep -c -- '${P}' || true`).trim(), "0");
  });
}

describe("adopting a lab built by hand (e2e)", function () {
  this.timeout(300_000);

  describe("on this machine", () => adoptsTheSeed(() => local));

  describe("over SSH on lab host A", () => {
    const place = () => remote(lab().hosts[0]);
    adoptsTheSeed(place);

    it("discover on a host with nothing to manage writes a Host only, and says so", async () => {
      const dir = projectDir("adopt-empty");
      try {
        const flags = ["--namespace", `${P}none`, "--bridge", `${P}none`, ...place().discoverFlags];
        const said = await discover(["--out", dir, ...flags]);
        assert.match(said, /nothing to manage on root@[\d.]+:22; wrote .* with a Host only/);
        const program = readFileSync(join(dir, "index.ts"), "utf8");
        assert.match(program, /Nothing to manage was found/);
        assert.match(program, /const host = new Host\("host", \{ connection: \{ host: "[\d.]+", port: 22/);
        assert.match(program, /privateKey: cfg\.requireSecret\("privateKey"\)/);
        assert.doesNotMatch(program, /new (Namespace|OvsBridge|OvsPort|VethPair)\(/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
