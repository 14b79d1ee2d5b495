// Reading what a person started by hand: dnsmasq's and dhclient's command lines and leases, processes, discover's flags.
import { strict as assert } from "node:assert";
import { configures, leaseCount, leaseFor, parseHandClient } from "../../provider/dhcp-client/hand";
import { confOptions, dnsmasqOptions, leasesFor, parseHandServer } from "../../provider/dhcp-server/hand";
import { parseDiscoverArgs } from "../../provider/discover/cli";
import { isLibrarys, parseProcesses, processesScript, programOf } from "../../provider/daemons/hand-started";
import { isMark, parseWhereIs, whereIsScript } from "../../provider/veth/commands";

describe("a dnsmasq started by hand, read as a DhcpServer", () => {
  it("reads long and short options, the range's netmask and lease time, and DHCP options by number or name", () => {
    const s = parseHandServer(
      dnsmasqOptions([
        "/usr/sbin/dnsmasq",
        "--interface=tap-r",
        "-F",
        "10.50.50.10,10.50.50.100,255.255.255.0,12h",
        "--dhcp-option=3,10.50.50.1",
        "-O",
        "option:dns-server,10.0.0.53,10.0.0.54",
        "--dhcp-host=02:00:00:00:00:01,10.50.50.5,web",
        "--dhcp-leasefile=/var/lib/lab/r.leases",
        "--bind-interfaces",
        "-z",
        "--log-dhcp",
        "--enable-tftp",
      ]),
    );
    assert.deepEqual(s.interfaces, ["tap-r"]);
    assert.equal(s.leaseFile, "/var/lib/lab/r.leases");
    assert.deepEqual(s.fields, {
      rangeStart: "10.50.50.10",
      rangeEnd: "10.50.50.100",
      leaseTime: "12h",
      subnet: "10.50.50.0/24",
      gateway: "10.50.50.1",
      dnsServers: ["10.0.0.53", "10.0.0.54"],
      staticHosts: [{ mac: "02:00:00:00:00:01", ip: "10.50.50.5", hostname: "web" }],
      extraOptions: [{ name: "log-dhcp" }],
    });
    assert.deepEqual(s.unsupported, ["--enable-tftp"], "what a DhcpServer cannot say is named, not dropped");
  });

  it("defaults as Debian's dnsmasq does, and leaves the subnet to the interface when the range names no netmask", () => {
    const s = parseHandServer(dnsmasqOptions(["dnsmasq", "-i", "eth1", "--dhcp-range=10.1.0.10,10.1.0.20"]));
    assert.equal(s.leaseFile, "/var/lib/misc/dnsmasq.leases");
    assert.equal(s.fields.subnet, undefined);
    assert.deepEqual(s.interfaces, ["eth1"]);
  });

  it("reads a conf file's lines as options", () => {
    assert.deepEqual(confOptions("# lab\ninterface=tap-g\n\ndhcp-range=10.2.0.10,10.2.0.20,255.255.0.0\nno-resolv\n"), [
      ["interface", "tap-g"],
      ["dhcp-range", "10.2.0.10,10.2.0.20,255.255.0.0"],
      ["no-resolv", undefined],
    ]);
  });

  it("carries over only the leases of the program's range and fixed hosts (a shared lease file holds other servers')", () => {
    const file = [
      "1700000000 02:00:00:00:00:01 10.50.50.20 a *",
      "1700000000 02:00:00:00:00:02 10.50.50.150 b *",
      "1700000000 02:00:00:00:00:03 10.50.50.5 c *",
      "duid 00:01:02",
    ].join("\n");
    const kept = leasesFor(file, {
      rangeStart: "10.50.50.10",
      rangeEnd: "10.50.50.100",
      staticHosts: [{ mac: "02:00:00:00:00:03", ip: "10.50.50.5" }],
    });
    assert.equal(kept, "1700000000 02:00:00:00:00:01 10.50.50.20 a *\n1700000000 02:00:00:00:00:03 10.50.50.5 c *\n");
    assert.equal(leasesFor("", { rangeStart: "10.0.0.1", rangeEnd: "10.0.0.2", staticHosts: [] }), "");
  });
});

describe("a dhclient started by hand, read as a DhcpClient", () => {
  it("reads its interface and lease file, skipping options' values", () => {
    const c = parseHandClient([
      "dhclient",
      "-v",
      "-pf",
      "/run/d.pid",
      "-lf",
      "/var/lib/dhcp/r.leases",
      "-e",
      "A=1",
      "eth0-r",
    ]);
    assert.deepEqual(c, { interfaces: ["eth0-r"], leaseFile: "/var/lib/dhcp/r.leases", ipv6: false });
    assert.equal(parseHandClient(["dhclient", "eth0"]).leaseFile, "/var/lib/dhcp/dhclient.leases");
    assert.ok(configures(c, "eth0-r"));
    assert.equal(configures(c, "eth1"), false);
    assert.ok(configures(parseHandClient(["dhclient"]), "eth1"), "no interface named: every one");
    assert.equal(
      configures(parseHandClient(["dhclient", "-6", "eth0-r"]), "eth0-r"),
      false,
      "a DHCPv6 client is not one",
    );
  });

  it("takes the newest lease of its interface from a lease file that holds several", () => {
    const block = (iface: string, ip: string) =>
      `lease {\n  interface "${iface}";\n  fixed-address ${ip};\n  option subnet-mask 255.255.255.0;\n}`;
    const file = [block("eth0-r", "10.0.0.1"), block("eth1", "10.1.0.1"), block("eth0-r", "10.0.0.2")].join("\n");
    assert.equal(leaseFor(file, "eth0-r"), `${block("eth0-r", "10.0.0.2")}\n`);
    assert.equal(leaseFor(file, "eth2"), undefined);
    assert.equal(leaseCount(file), 3);
  });
});

describe("processes in namespaces", () => {
  it("reads each process's namespace, pid and command line (any byte), and tells the library's own apart", () => {
    const line = (ns: string, pid: number, argv: string[]) =>
      `${ns} ${pid} ${Buffer.from(argv.join("\0") + "\0").toString("base64")}`;
    const out = [
      line("red", 10, ["dhclient", "eth0 r"]),
      line("dhcp-r", 11, ["/usr/sbin/dnsmasq", "--conf-file=/run/pulumi-netns/dnsmasq/x.conf"]),
      "garbage",
    ].join("\n");
    const ps = parseProcesses(out);
    assert.deepEqual(ps[0], { namespace: "red", pid: 10, argv: ["dhclient", "eth0 r"] });
    assert.equal(programOf(ps[1].argv), "dnsmasq");
    assert.deepEqual(
      ps.map((p) => isLibrarys(p.argv)),
      [false, true],
    );
    assert.match(processesScript(["red", "a b"]), /for n in red 'a b'; do/);
    assert.match(processesScript(), /for n in \$\(ip netns list/);
  });

  it("finds where a link is: the host's namespace, a named one, or none", () => {
    assert.equal(parseWhereIs("/\nblue\n"), "");
    assert.equal(parseWhereIs("blue\n"), "blue");
    assert.equal(parseWhereIs(""), undefined);
    assert.match(whereIsScript("a'b"), /dev 'a'\\''b'/);
    assert.ok(isMark("urn:pulumi:s::p::t::n 0123456789abcdef") && isMark("sha256:ab"));
    assert.equal(isMark("uplink to core"), false, "an alias a person set is no mark");
  });
});

describe("discover's flags", () => {
  const key = () => "-----BEGIN OPENSSH PRIVATE KEY-----\nsecret\n-----END OPENSSH PRIVATE KEY-----\n";

  it("reads this machine by default, and a host over SSH checked as a resource's connection is", () => {
    assert.deepEqual(parseDiscoverArgs(["--out", "/tmp/My Lab", "--namespace", "red", "--namespace", "blue"], key), {
      out: "/tmp/My Lab",
      project: "my-lab",
      scope: { namespaces: ["red", "blue"] },
    });
    const o = parseDiscoverArgs(["--out", "x", "--host", "10.0.0.5", "--port", "2222", "--private-key-file", "k"], key);
    assert.deepEqual(o.connection, { host: "10.0.0.5", port: 2222, privateKey: key() });
  });

  it("names the flag and the rule, and never the key", () => {
    assert.throws(() => parseDiscoverArgs([], key), /--out is required/);
    assert.throws(() => parseDiscoverArgs(["--out", "x", "--port", "22"], key), /--host is required/);
    assert.throws(() => parseDiscoverArgs(["--out", "x", "--host", "10.0.0.5", "--port", "0"], key), /--port: /);
    assert.throws(() => parseDiscoverArgs(["--out", "x", "--host", "not a host!"], key), /--host: must be a host name/);
    assert.throws(() => parseDiscoverArgs(["--out", "x", "--bogus"], key), /unknown option "--bogus"/);
    assert.throws(() => parseDiscoverArgs(["--out"], key), /--out needs a value/);
    const missing = () => {
      throw Object.assign(new Error("ENOENT: /k"), { code: "ENOENT" });
    };
    assert.throws(
      () => parseDiscoverArgs(["--out", "x", "--host", "h", "--private-key-file", "/k"], missing),
      /--private-key-file: cannot read \/k \(ENOENT\)/,
    );
    try {
      parseDiscoverArgs(["--out", "x", "--host", "h", "--port", "x", "--private-key-file", "k"], key);
      assert.fail("a bad port is refused");
    } catch (e) {
      assert.doesNotMatch((e as Error).message, /secret|PRIVATE KEY/);
    }
  });
});
