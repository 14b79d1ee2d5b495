// The Host kind against a scripted runner: what it probes, when it installs and starts, and what it leaves alone.
import { strict as assert } from "node:assert";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import * as cmd from "../../provider/host/commands";
import { host } from "../../provider/host/ops";
import { hostSchema } from "../../provider/host/schema";
import { FRAME } from "../../provider/shell/frames";
import { ScriptedRunner } from "../helpers/scripted-runner";

/** Matches the probe script (and nothing else Host runs). */
const PROBE = /list-br/;
const EVERYTHING = [
  "have ip ip utility, iproute2-6.1.0, libbpf 1.1.0",
  "have nsenter nsenter from util-linux 2.38.1",
  "have ovs-vsctl ovs-vsctl (Open vSwitch) 3.1.0",
  "have ethtool ethtool version 6.1",
  "have dnsmasq Dnsmasq version 2.90  Copyright (c) 2000-2024 Simon Kelley",
  "have ps ps from procps-ng 4.0.2",
  "have dhclient isc-dhclient-4.4.3-P1",
];

/**
 * A probe's answer, framed as the probe script's parts frame it, from lines: "have <tool> <version line>", "lack
 * <tool>", "ovs [bridges...]" (Open vSwitch answers), "systemd", "module", "apt".
 */
function probeOut(lines: string[]): string {
  const frame = (label: string, code: number, out = "") => `${out}\n${FRAME} ${label} ${code}\n`;
  const has = (word: string) => lines.find((l) => l === word || l.startsWith(`${word} `));
  return [
    ...lines
      .filter((l) => /^(have|lack) /.test(l))
      .map((l) => {
        const [word, tool, ...version] = l.split(" ");
        return frame(`tool ${tool}`, word === "have" ? 0 : 1, version.join(" "));
      }),
    frame("ovs", has("ovs") ? 0 : 1, has("ovs")?.split(" ").slice(1).join("\n")),
    ...["systemd", "module", "apt"].map((w) => frame(w, has(w) ? 0 : 1)),
  ].join("");
}

const inputs = (over: Record<string, unknown> = {}) => ({ ...hostSchema.parse(over), owner: "urn:x" });

describe("Host commands", () => {
  it("always needs ip and nsenter, and ps once however many daemons need it", () => {
    const tools = cmd.toolsFor(["dnsmasq", "dhclient"]).map((t) => t.command);
    assert.deepEqual(tools, ["ip", "nsenter", "dnsmasq", "ps", "dhclient"]);
    // An icmp Probe's ping, from the package minimal Debian images leave out.
    const ping = cmd.toolsFor(["ping"]).map((t) => `${t.command} ${t.pkg}`);
    assert.deepEqual(ping, ["ip iproute2", "nsenter util-linux", "ping iputils-ping"]);
  });

  it("names the package and the need of a tool an error says is not on the host, in each launcher's words", () => {
    const seen = (message: string) => {
      const t = cmd.missingTool(message);
      return t && `${t.command} ${t.pkg} ${t.need}`;
    };
    // dash, bash, nsenter, ip netns exec, and timeout with either quotes (the locale chooses).
    assert.equal(seen('running "dnsmasq --conf-file=x": sh: 1: dnsmasq: not found'), "dnsmasq dnsmasq-base dnsmasq");
    assert.equal(seen("bash: line 1: nft: command not found"), "nft nftables nftables");
    assert.equal(seen("nsenter: failed to execute ethtool: No such file or directory"), "ethtool ethtool openvswitch");
    assert.equal(seen('exec of "dhclient" failed: No such file or directory'), "dhclient isc-dhcp-client dhclient");
    for (const q of ["'ping'", "\u2018ping\u2019"])
      assert.equal(
        seen(`the probe could not run (exit code 127): timeout: failed to run command ${q}: No such file or directory`),
        "ping iputils-ping ping",
      );
    // Not a tool of any need, or no such words: nothing to say.
    assert.equal(seen("sh: 1: frobnicate: not found"), undefined);
    assert.equal(seen("RTNETLINK answers: File exists"), undefined);
  });

  it("adds the package and the Host's need to such an error, and leaves any other error as it was", () => {
    const e = cmd.withInstallHint(new Error("timeout: failed to run command 'ping': No such file or directory"));
    assert.match(
      (e as Error).message,
      /^timeout: failed .*\nping is not installed on the host \(Debian package iputils-ping\): list "ping" in the Host's needs, with install: true/,
    );
    const other = new Error("RTNETLINK answers: File exists");
    assert.equal(cmd.withInstallHint(other), other);
    assert.equal(cmd.withInstallHint("not an error"), "not an error");
  });

  it("reads each tool's version from its first line", () => {
    assert.equal(cmd.versionOf("gcc (Debian 12.2.0-14) 12.2.0"), "12.2.0-14");
    assert.equal(cmd.versionOf("  no version here \n"), "no version here", "a line without one, as it is");
    assert.equal(cmd.versionOf("ip utility, iproute2-6.1.0, libbpf 1.1.0"), "6.1.0");
    assert.equal(cmd.versionOf("isc-dhclient-4.4.3-P1"), "4.4.3-P1");
    assert.equal(cmd.versionOf("nftables v1.0.6 (Lester Gooch #5)"), "1.0.6");
  });

  it("probes this machine through /bin/sh: each answer as the machine would give it", () => {
    const tools = [...cmd.toolsFor(["openvswitch"]), { command: "pn-no-such-tool", pkg: "pn-none" }];
    const p = cmd.parseProbe(execFileSync("/bin/sh", ["-c", cmd.probeScript(tools)]).toString(), tools);
    const succeeds = (script: string) => spawnSync("/bin/sh", ["-c", script]).status === 0;
    assert.deepEqual(
      p.missing.map((t) => t.command),
      tools.filter((t) => !succeeds(`command -v ${t.command}`)).map((t) => t.command),
    );
    assert.ok(
      p.missing.some((t) => t.command === "pn-no-such-tool"),
      "control: a tool no machine has",
    );
    assert.match(p.versions.ip, /^\d+\.\d+/, "ip's version, from `ip -V`");
    assert.equal(p.systemd, existsSync("/run/systemd/system"));
    assert.equal(p.ovsModule, existsSync("/sys/module/openvswitch"));
    assert.equal(p.apt, succeeds("command -v apt-get"));
    const ovs = spawnSync("/bin/sh", ["-c", "ovs-vsctl --timeout=5 list-br"]);
    assert.equal(p.ovsRunning, ovs.status === 0);
    assert.deepEqual(p.bridges, ovs.status === 0 ? ovs.stdout.toString().split("\n").filter(Boolean) : []);
  });

  it("parses a probe, and refuses one cut short", () => {
    const tools = cmd.toolsFor(["openvswitch", "nftables"]);
    const p = cmd.parseProbe(probeOut([...EVERYTHING, "lack nft", "ovs br0 br1", "module", "apt"]), tools);
    assert.deepEqual(
      p.missing.map((t) => t.pkg),
      ["nftables"],
    );
    assert.deepEqual(p.bridges, ["br0", "br1"]);
    assert.equal(p.ovsRunning && p.ovsModule && p.apt && !p.systemd, true);
    assert.equal(p.versions["ovs-vsctl"], "3.1.0");
    const cut = probeOut(EVERYTHING);
    assert.throws(() => cmd.parseProbe(cut.slice(0, cut.indexOf(`${FRAME} apt`)), tools), /cut short/);
  });

  it("names every missing package and the commands that fix them in one message", () => {
    const tools = cmd.toolsFor(["openvswitch", "dnsmasq"]);
    const p = cmd.parseProbe(
      probeOut(["have ip 6.1.0", "have nsenter 2.38.1", "lack ovs-vsctl", "lack ethtool", "lack dnsmasq", "have ps 4"]),
      tools,
    );
    const m = cmd.missingMessage(p, true, "root@lab:22")!;
    assert.match(
      m,
      /host root@lab:22 lacks ovs-vsctl, ethtool, dnsmasq \(Debian packages openvswitch-switch, ethtool, dnsmasq-base\) and a running Open vSwitch/,
    );
    assert.match(
      m,
      /apt-get install -y --no-install-recommends openvswitch-switch ethtool dnsmasq-base && \/usr\/share\/openvswitch\/scripts\/ovs-ctl start/,
    );
    assert.match(m, /install: true/);
    const ready = cmd.parseProbe(probeOut([...EVERYTHING, "ovs"]), tools);
    assert.equal(cmd.missingMessage(ready, true, "local"), undefined);
    assert.equal(cmd.missingMessage({ ...ready, ovsRunning: false }, false, "local"), undefined, "OVS not needed");
  });
});

describe("Host operations (scripted runner)", () => {
  /** A host with everything installed but OVS stopped, that starts OVS when asked; no systemd. */
  function stoppedOvs() {
    let running = false;
    const r: ScriptedRunner = new ScriptedRunner([
      {
        match: PROBE,
        answer: (): { stdout: string } => ({ stdout: probeOut([...EVERYTHING, ...(running ? ["ovs"] : []), "apt"]) }),
      },
      {
        match: /ovs-ctl start/,
        answer: () => {
          running = true;
          return {};
        },
      },
      { match: /ovs-ctl stop/, answer: () => ((running = false), {}) },
    ]);
    return r;
  }

  it("without install, fails naming the fix, and starts nothing", async () => {
    const r = stoppedOvs();
    await assert.rejects(
      host.create(r, inputs()),
      /lacks a running Open vSwitch: run `\/usr\/share\/openvswitch\/scripts\/ovs-ctl start`/,
    );
    assert.deepEqual(
      r.asked.filter((a) => !PROBE.test(a)),
      [],
      "nothing but the probe ran",
    );
  });

  it("with install, starts Open vSwitch, says so, and its delete stops it once no bridge is left", async () => {
    const r = stoppedOvs();
    const outs = await host.create(r, inputs({ install: true }));
    assert.deepEqual(outs, {
      datapathType: "netdev",
      versions: {
        ip: "6.1.0",
        nsenter: "2.38.1",
        "ovs-vsctl": "3.1.0",
        ethtool: "6.1",
        dnsmasq: "2.90",
        ps: "4.0.2",
        dhclient: "4.4.3-P1",
      },
      installed: [],
      startedOpenvswitch: true,
    });
    r.on(PROBE, { stdout: probeOut([...EVERYTHING, "ovs someone-elses-br"]) });
    await host.delete(r, { ...inputs({ install: true }), ...outs });
    assert.equal(r.asked.filter((a) => /ovs-ctl stop/.test(a)).length, 0, "a bridge is left: OVS keeps running");
    r.on(PROBE, { stdout: probeOut([...EVERYTHING, "ovs"]) });
    await host.delete(r, { ...inputs({ install: true }), ...outs });
    assert.equal(r.asked.filter((a) => /ovs-ctl stop/.test(a)).length, 1);
  });

  it("never stops an Open vSwitch it did not start", async () => {
    const r = new ScriptedRunner([{ match: PROBE, answer: { stdout: probeOut([...EVERYTHING, "ovs"]) } }]);
    const outs = await host.create(r, inputs({ install: true }));
    assert.equal(outs.startedOpenvswitch, false);
    await host.delete(r, { ...inputs(), ...outs });
    assert.deepEqual(
      r.asked.filter((a) => !PROBE.test(a)),
      [],
    );
  });

  it("installs exactly the missing packages with apt-get, and uses systemd where it runs", async () => {
    let installed = false;
    const r: ScriptedRunner = new ScriptedRunner([
      {
        match: PROBE,
        answer: (): { stdout: string } => ({
          stdout: probeOut(
            installed
              ? [...EVERYTHING, "systemd", "apt", ...(r.asked.some((a) => /systemctl start/.test(a)) ? ["ovs"] : [])]
              : [
                  "have ip 6.1.0",
                  "have nsenter 2.38.1",
                  "lack ovs-vsctl",
                  "have ethtool 6.1",
                  "lack dnsmasq",
                  "have ps 4",
                  "lack dhclient",
                  "systemd",
                  "apt",
                ],
          ),
        }),
      },
      { match: /apt-get install/, answer: () => ((installed = true), {}) },
      { match: /systemctl start openvswitch-switch/, answer: {} },
    ]);
    const outs = await host.create(r, inputs({ install: true }));
    const apt = r.asked.find((a) => a.includes("apt-get install"))!;
    assert.match(
      apt,
      /apt-get install -y -qq --no-install-recommends openvswitch-switch dnsmasq-base isc-dhcp-client$/,
    );
    assert.deepEqual(outs.installed, ["openvswitch-switch", "dnsmasq-base", "isc-dhcp-client"]);
    assert.equal(outs.startedOpenvswitch, true);
  });

  it("refuses to install where there is no apt-get, naming what is missing", async () => {
    const r = new ScriptedRunner([
      { match: PROBE, answer: { stdout: probeOut(["have ip 6", "have nsenter 2", "lack nft"]) } },
    ]);
    await assert.rejects(
      host.create(r, inputs({ install: true, needs: ["nftables"] })),
      /lacks nft \(Debian package nftables\).*no apt-get/,
    );
  });

  it("reads a host that is no longer ready as gone, so the next up prepares it again", async () => {
    const r = stoppedOvs();
    assert.equal(await host.read(r, { ...inputs(), startedOpenvswitch: false }), undefined);
    r.on(PROBE, { stdout: probeOut([...EVERYTHING, "ovs", "module"]) });
    assert.equal(
      (await host.read(r, { ...inputs(), startedOpenvswitch: true, installed: [] }))?.datapathType,
      "system",
    );
  });
});
