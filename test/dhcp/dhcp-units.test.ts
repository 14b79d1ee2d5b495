// DHCP pure parts: dnsmasq config render and parse-back, file paths, dhclient lease parsing and argv.
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as client from "../../provider/dhcp-client/commands";
import { parseConfig, renderConfig, serverPaths } from "../../provider/dhcp-server/config";
import { serverSchema } from "../../provider/dhcp-server/schema";

const server = serverSchema.parse({
  namespace: "dhcp-r",
  device: "tap-r",
  subnet: "10.50.50.0/24",
  rangeStart: "10.50.50.10",
  rangeEnd: "10.50.50.100",
  gateway: "10.50.50.1",
  dnsServers: ["10.50.50.3", "10.50.50.4"],
  domain: "lab.example",
  staticHosts: [{ mac: "02:00:00:00:00:05", ip: "10.50.50.5", hostname: "printer" }],
  extraOptions: [{ name: "log-dhcp" }, { name: "dhcp-lease-max", value: "50" }],
});

describe("DHCP units", () => {
  it("renders a DHCP-only dnsmasq config bound to one interface, with our paths", () => {
    const text = renderConfig(server);
    const lines = text.trimEnd().split("\n");
    assert.deepEqual(lines.slice(1), [
      "port=0",
      "interface=tap-r",
      "bind-interfaces",
      "except-interface=lo",
      "no-resolv",
      "no-hosts",
      "no-poll",
      "dhcp-authoritative",
      "pid-file=/run/pulumi-netns/dnsmasq/dhcp-r.tap-r.pid",
      "dhcp-leasefile=/run/pulumi-netns/dnsmasq/dhcp-r.tap-r.leases",
      "dhcp-range=10.50.50.10,10.50.50.100,255.255.255.0,1h",
      "dhcp-option=option:router,10.50.50.1",
      "dhcp-option=option:dns-server,10.50.50.3,10.50.50.4",
      "dhcp-option=option:domain-name,lab.example",
      "dhcp-host=02:00:00:00:00:05,10.50.50.5,printer",
      "log-dhcp",
      "dhcp-lease-max=50",
    ]);
    assert.deepEqual(serverPaths(server), {
      configPath: "/run/pulumi-netns/dnsmasq/dhcp-r.tap-r.conf",
      pidFile: "/run/pulumi-netns/dnsmasq/dhcp-r.tap-r.pid",
      leaseFile: "/run/pulumi-netns/dnsmasq/dhcp-r.tap-r.leases",
    });
  });

  it("is a config dnsmasq itself accepts", () => {
    const dir = mkdtempSync(join(tmpdir(), "pn-dnsmasq-"));
    try {
      writeFileSync(join(dir, "d.conf"), renderConfig(server));
      execFileSync("dnsmasq", ["--test", `--conf-file=${join(dir, "d.conf")}`], {
        stdio: ["ignore", "ignore", "pipe"],
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("parses its own config back to the same inputs", () => {
    const back = parseConfig(renderConfig(server));
    for (const key of [
      "subnet",
      "rangeStart",
      "rangeEnd",
      "leaseTime",
      "gateway",
      "dnsServers",
      "domain",
      "staticHosts",
      "extraOptions",
    ] as const) {
      assert.deepEqual(back[key], server[key], key);
    }
    assert.equal(
      parseConfig(renderConfig({ ...server, gateway: undefined })).gateway,
      undefined,
      "empty router option",
    );
  });

  it("renders only what is given: no DNS, domain or hosts lines without them, a static host without a name", () => {
    const bare = serverSchema.parse({
      namespace: "dhcp-r",
      device: "tap-r",
      subnet: "10.50.50.0/24",
      rangeStart: "10.50.50.10",
      rangeEnd: "10.50.50.100",
      staticHosts: [{ mac: "02:00:00:00:00:06", ip: "10.50.50.6" }],
    });
    const text = renderConfig(bare);
    assert.ok(text.endsWith("\ndhcp-host=02:00:00:00:00:06,10.50.50.6\n"), text);
    assert.doesNotMatch(text, /dns-server|domain-name/);
    assert.match(text, /^dhcp-option=option:router$/m, "an empty router option: dnsmasq would offer itself");
  });

  it("parses a config edited by hand: options it does not write go to extraOptions, a bad mask gives no subnet", () => {
    const seen = parseConfig(
      [
        "# a comment",
        "dhcp-range=10.50.50.10,10.50.50.100,255.0.255.0,1h",
        "dhcp-option=option:ntp-server,10.50.50.7",
        "dhcp-option",
        "dhcp-option=option:domain-name,lab.example",
        "dhcp-option=option:dns-server,10.50.50.3",
        "log-queries",
        "",
      ].join("\n"),
    );
    assert.deepEqual(seen, {
      staticHosts: [],
      extraOptions: [
        { name: "dhcp-option", value: "option:ntp-server,10.50.50.7" },
        { name: "dhcp-option" },
        { name: "log-queries" },
      ],
      rangeStart: "10.50.50.10",
      rangeEnd: "10.50.50.100",
      leaseTime: "1h",
      domain: "lab.example",
      dnsServers: ["10.50.50.3"],
    });
  });

  it("builds dhclient argv with its own files and script", () => {
    const c = { namespace: "red", device: "eth0-r", timeout: 30 };
    const base = "/run/pulumi-netns/dhclient/red.eth0-r";
    assert.deepEqual(client.start(c), [
      "ip",
      "netns",
      "exec",
      "red",
      "dhclient",
      "-4",
      "-nw",
      "-pf",
      `${base}.pid`,
      "-lf",
      `${base}.leases`,
      "-sf",
      `${base}.sh`,
      "eth0-r",
    ]);
    assert.deepEqual(client.release(c).slice(4, 7), ["dhclient", "-4", "-r"]);
  });

  it("says why no lease came from what the host saw", () => {
    const c = { namespace: "red", device: "eth0", timeout: 30 };
    const link = (flags: string[], tx = 4, rx = 0) => ({
      flags,
      stats64: { tx: { packets: tx }, rx: { packets: rx } },
    });
    const up = ["BROADCAST", "MULTICAST", "UP", "LOWER_UP"];
    assert.equal(
      client.describeNoLease(c, { pid: 42, link: link(up) }),
      'no DHCP lease for "eth0" in namespace "red" within 30 s (dhclient (pid 42) is still asking; 4 packets sent, 0 ' +
        "received on it, of any kind): is a DHCP server reachable on its segment (and VLAN)?",
    );
    assert.match(
      client.describeNoLease(c, { link: link(up, 3, 2) }),
      /\(dhclient has exited; 3 packets sent, 2 received/,
    );
    assert.match(client.describeNoLease(c, { pid: 1, link: link(["BROADCAST"]) }), /; "eth0" is down;/);
    assert.match(client.describeNoLease(c, { pid: 1, link: link(["UP", "NO-CARRIER"]) }), /; "eth0" has no carrier/);
    assert.match(client.describeNoLease(c, { pid: 1 }), /is still asking; "eth0" could not be read\):/);
    // Counters missing from what ip printed count as none; a link without counters adds no count at all.
    assert.match(
      client.describeNoLease(c, { pid: 1, link: { flags: up, stats64: {} } }),
      /asking; 0 packets sent, 0 received/,
    );
    assert.match(
      client.describeNoLease(c, { pid: 1, link: { flags: up } }),
      /\(dhclient \(pid 1\) is still asking\): /,
    );
    assert.deepEqual(client.parseLinkStats('[{"flags":["UP"],"stats64":{"rx":{"packets":2}}}]'), {
      flags: ["UP"],
      stats64: { rx: { packets: 2 } },
    });
    assert.equal(client.parseLinkStats('Device "eth0" does not exist.'), undefined);
    assert.deepEqual(client.linkStats(c), [
      "nsenter",
      "--net=/run/netns/red",
      "ip",
      "-s",
      "-j",
      "link",
      "show",
      "dev",
      "eth0",
    ]);
  });

  it("parses the newest lease from a dhclient lease file", () => {
    const lease = (ip: string, extra = "") =>
      `lease {\n  interface "eth0-r";\n  fixed-address ${ip};\n  option subnet-mask 255.255.255.0;\n${extra}  renew 0 2026/11/29 02:59:59;\n}\n`;
    assert.deepEqual(
      client.parseLease(
        lease("10.50.50.17") +
          lease("10.50.50.18", "  option routers 10.50.50.1;\n  option domain-name-servers 10.0.0.1, 10.0.0.2;\n"),
      ),
      {
        address: "10.50.50.18/24",
        gateway: "10.50.50.1",
        dnsServers: ["10.0.0.1", "10.0.0.2"],
      },
    );
    assert.deepEqual(client.parseLease(lease("10.50.50.17")), { address: "10.50.50.17/24" });
    assert.equal(client.parseLease(""), undefined);
    // dhclient.conf-like text before the first lease, a lease without its mask, two routers with blanks.
    assert.deepEqual(client.parseLease(`default-duid "x";\n  fixed-address 10.9.9.9;\n${lease("10.50.50.19")}`), {
      address: "10.50.50.19/24",
    });
    assert.equal(client.parseLease(lease("10.50.50.20").replace(/.*subnet-mask.*\n/, "")), undefined, "no mask");
    assert.equal(client.parseLease(lease("10.50.50.20").replace(/.*fixed-address.*\n/, "")), undefined, "no address");
    assert.equal(client.parseLease("lease {\n"), undefined, "an empty block");
    assert.equal(
      client.parseLease("  fixed-address 10.9.9.9;\n  option subnet-mask 255.0.0.0;\n"),
      undefined,
      "fields outside any lease block",
    );
    assert.equal(
      client.parseLease(lease("10.50.50.21", "  option routers  10.50.50.1 , 10.50.50.254;\n"))?.gateway,
      "10.50.50.1",
      "the first router, without blanks",
    );
    // A value mentioned inside another option is not the field.
    assert.deepEqual(
      client.parseLease(lease("10.50.50.22", '  option x "fixed-address 1.1.1.1; option routers 2.2.2.2;";\n')),
      { address: "10.50.50.22/24" },
    );
  });

  it("ships a client script that writes no file", () => {
    const withoutNullRedirects = client.SCRIPT.replace(/2>\/dev\/null/g, "");
    assert.doesNotMatch(withoutNullRedirects, /resolv|>|tee |cp |mv |install /);
    execFileSync("sh", ["-n"], { input: client.SCRIPT });
  });
});
