// check and diff for every kind: each diff-table row, failures that name the property, preview unknowns, no host access.
import { strict as assert } from "node:assert";
import { checkInputs } from "../../provider/dynamic/check";
import { diffInputs } from "../../provider/dynamic/diff";
import { diffTable } from "../../provider/dynamic/fields";
import { assertRulesOnly, withRules } from "../../provider/dynamic/rules";
import { UNKNOWN } from "../../provider/dynamic/unknown";
import { z } from "zod";
import { KINDS, definition } from "../../provider/registry";

/**
 * The fields whose change replaces the object, per kind, written out here on their own (every other field updates in
 * place): the diff table is checked against this list, never against itself. Docs/REFERENCE.md shows the same rows.
 */
const REPLACES: Record<string, string[]> = {
  Host: [],
  Namespace: ["name"],
  VethPair: ["name", "peerName", "namespace", "peerNamespace"],
  OvsBridge: ["name"],
  OvsPort: ["bridge", "name", "type", "peer", "remoteIp", "key", "namespace"],
  Address: ["namespace", "device", "cidr", "noDad"],
  Route: ["namespace", "destination", "metric", "ipv6"],
  DhcpServer: ["namespace", "device"],
  DhcpClient: ["namespace", "device"],
  Sysctl: ["namespace", "key"],
  Nat: ["namespace"],
  Haproxy: ["namespace", "name"],
  Process: ["namespace", "name", "command", "environment", "workingDirectory"],
  Probe: ["namespace", "target", "protocol", "port"],
};
const expected = (kind: string, field: string) => (REPLACES[kind].includes(field) ? "replace" : "update");

/** A valid input set per kind, and a changed value per field. */
const cases: Record<string, { base: Record<string, unknown>; changes: Record<string, unknown> }> = {
  Namespace: { base: { name: "red" }, changes: { name: "blue", loopbackUp: false, killProcesses: true } },
  VethPair: {
    base: { name: "a", peerName: "b" },
    changes: {
      name: "c",
      peerName: "d",
      namespace: "red",
      peerNamespace: "green",
      mtu: 1400,
      macAddress: "02:00:00:00:00:01",
      peerMacAddress: "02:00:00:00:00:02",
      up: false,
    },
  },
  OvsBridge: {
    base: { name: "OVS1" },
    changes: { name: "OVS2", datapathType: "netdev", failMode: "secure", externalIds: { a: "b" } },
  },
  OvsPort: {
    base: { bridge: "OVS1", name: "tap", type: "internal" },
    changes: {
      bridge: "OVS2",
      name: "tap2",
      type: "system",
      namespace: "dhcp",
      tag: 5,
      trunks: [1, 2],
      vlanMode: "trunk",
      up: false,
      checksumOffload: "off",
    },
  },
  Address: {
    base: { device: "eth0", cidr: "10.0.0.1/24" },
    changes: { namespace: "red", device: "eth1", cidr: "10.0.0.2/24", noDad: true },
  },
  Route: {
    base: { destination: "10.1.0.0/16", via: "10.0.0.1" },
    changes: { namespace: "red", destination: "10.2.0.0/16", via: "10.0.0.2", device: "eth0", metric: 9, ipv6: false },
  },
  DhcpServer: {
    base: {
      namespace: "dhcp-r",
      device: "tap-r",
      subnet: "10.50.50.0/24",
      rangeStart: "10.50.50.10",
      rangeEnd: "10.50.50.100",
    },
    changes: {
      namespace: "dhcp-x",
      device: "tap-x",
      subnet: "10.50.0.0/16",
      rangeStart: "10.50.50.20",
      rangeEnd: "10.50.50.90",
      leaseTime: "12h",
      gateway: "10.50.50.1",
      dnsServers: ["10.50.50.3"],
      domain: "lab.example",
      staticHosts: [{ mac: "02:00:00:00:00:05", ip: "10.50.50.5" }],
      extraOptions: [{ name: "log-dhcp" }],
    },
  },
  DhcpClient: {
    base: { namespace: "red", device: "eth0-r" },
    changes: { namespace: "green", device: "eth0-g", timeout: 5 },
  },
  Host: {
    base: {},
    changes: { needs: ["openvswitch"], install: true },
  },
  Haproxy: {
    base: { namespace: "qlbaas-1", name: "lb", vip: "10.0.0.200", listeners: [{ port: 80 }] },
    changes: {
      namespace: "qlbaas-2",
      name: "lb2",
      vip: "10.0.0.201",
      listeners: [{ port: 81 }],
      members: [{ name: "w1", address: "10.0.0.11", port: 8080 }],
      balance: "leastconn",
      healthCheck: { intervalMs: 500, timeoutMs: 400, rise: 1, fall: 2 },
    },
  },
  Nat: {
    base: { namespace: "qrouter-1" },
    changes: {
      namespace: "qrouter-2",
      snat: [{ source: "10.0.0.0/24", outInterface: "qg-1" }],
      floatingIps: [{ floatingIp: "192.0.2.10", fixedIp: "10.0.0.5" }],
    },
  },
  Probe: {
    base: { namespace: "red", target: "10.0.0.2", protocol: "tcp", port: 80 },
    changes: {
      namespace: "green",
      target: "fd00::2",
      protocol: "udp",
      port: 53,
      expect: "blocked",
      timeoutMs: 500,
      attempts: 1,
    },
  },
  Process: {
    base: { namespace: "red", name: "web", command: ["python3", "-m", "http.server"], readyTcpPort: 8000 },
    changes: {
      namespace: "green",
      name: "web2",
      command: ["sleep", "60"],
      environment: { A: "1" },
      workingDirectory: "/tmp",
      readyTcpPort: 8080,
      readyTimeoutMs: 500,
    },
  },
  Sysctl: {
    base: { namespace: "qrouter-1", key: "net.ipv4.ip_forward", value: "1" },
    changes: { namespace: "qrouter-2", key: "net.ipv4.conf.all.arp_ignore", value: "0" },
  },
};
// Tunnel and patch fields need their own base inputs (remoteIps updates in place; the others replace).
const portVariants: Array<[string, Record<string, unknown>, Record<string, unknown>]> = [
  ["peer", { bridge: "b", name: "p", type: "patch", peer: "q" }, { peer: "r" }],
  ["remoteIp", { bridge: "b", name: "v", type: "vxlan", remoteIp: "192.0.2.1", key: "1" }, { remoteIp: "192.0.2.2" }],
  ["key", { bridge: "b", name: "v", type: "vxlan", remoteIp: "192.0.2.1", key: "1" }, { key: "2" }],
  [
    "remoteIps",
    { bridge: "b", name: "v", type: "vxlan", remoteIps: ["192.0.2.1"], key: "1" },
    { remoteIps: ["192.0.2.1", "192.0.2.2"] },
  ],
  ["mtu", { bridge: "b", name: "t", type: "internal", mtu: 1450 }, { mtu: 1400 }],
];

function checked(kind: string, inputs: Record<string, unknown>) {
  const r = checkInputs(definition(kind), inputs);
  assert.deepEqual(r.failures, [], `${kind} ${JSON.stringify(inputs)}`);
  return r.inputs;
}

describe("dynamic check and diff", () => {
  it("has a case and a list of replacing fields for every kind in the one list (provider/registry.ts)", () => {
    assert.deepEqual(Object.keys(cases).sort(), [...KINDS].sort());
    assert.deepEqual(Object.keys(REPLACES).sort(), [...KINDS].sort());
  });

  for (const [kind, { base, changes }] of Object.entries(cases)) {
    describe(kind, () => {
      const def = definition(kind);
      const table = diffTable(def.schema.shape);

      it("has a diff row for every input, each the row this test expects, and a test for every row", () => {
        assert.deepEqual(Object.keys(table).sort(), Object.keys(def.schema.shape).sort());
        for (const field of Object.keys(table)) assert.equal(table[field], expected(kind, field), `${kind}.${field}`);
        const tested = new Set([...Object.keys(changes), ...(kind === "OvsPort" ? portVariants.map((v) => v[0]) : [])]);
        assert.deepEqual([...tested].sort(), Object.keys(table).sort());
      });

      it("reports no change for identical inputs", () => {
        const olds = checked(kind, base);
        assert.deepEqual(diffInputs(def, olds, checked(kind, base)), {
          changes: false,
          replaces: [],
          deleteBeforeReplace: false,
        });
      });

      for (const [field, value] of Object.entries(changes)) {
        it(`row ${field}: ${expected(kind, field)}`, () => {
          let news = { ...base, [field]: value };
          if (kind === "OvsPort" && field === "namespace") news = { ...news, type: "internal" };
          if (kind === "OvsPort" && field === "type") news = { ...news, namespace: undefined };
          const d = diffInputs(def, checked(kind, base), checked(kind, news));
          assert.equal(d.changes, true);
          const replace = expected(kind, field) === "replace";
          const expectReplace = replace || (kind === "OvsPort" && field === "namespace");
          if (replace) assert.ok(d.replaces.includes(field), JSON.stringify(d));
          else assert.deepEqual(d.replaces, [], JSON.stringify(d));
          assert.equal(d.deleteBeforeReplace, expectReplace && def.deleteBeforeReplace);
        });
      }
    });
  }

  for (const [field, base, change] of portVariants) {
    it(`OvsPort row ${field}: ${expected("OvsPort", field)}`, () => {
      const def = definition("OvsPort");
      const d = diffInputs(def, checked("OvsPort", base), checked("OvsPort", { ...base, ...change }));
      const replace = expected("OvsPort", field) === "replace";
      assert.deepEqual(d, { changes: true, replaces: replace ? [field] : [], deleteBeforeReplace: replace });
    });
  }

  it("ignores __provider and treats a new host as a replacement, a new key as an update", () => {
    const def = definition("Namespace");
    const conn = { host: "h1", privateKey: "k1", hostKey: "SHA256:x" };
    const olds = checked("Namespace", { name: "red", connection: conn, __provider: "old" });
    const same = checked("Namespace", { name: "red", connection: conn, __provider: "new" });
    assert.equal(diffInputs(def, olds, same).changes, false);
    const newKey = checked("Namespace", { name: "red", connection: { ...conn, privateKey: "k2" } });
    assert.deepEqual(diffInputs(def, olds, newKey), { changes: true, replaces: [], deleteBeforeReplace: false });
    const newHost = checked("Namespace", { name: "red", connection: { ...conn, host: "h2" } });
    assert.deepEqual(diffInputs(def, olds, newHost).replaces, ["connection"]);
  });

  it("treats a new owner (a renamed or re-parented resource) as an update that re-marks, never a replacement", () => {
    const def = definition("VethPair");
    const owner = "urn:pulumi:dev::p::pulumi-nodejs:dynamic/netns:VethPair::v";
    const olds = checked("VethPair", { name: "a", peerName: "b", owner });
    assert.equal(diffInputs(def, olds, checked("VethPair", { name: "a", peerName: "b", owner })).changes, false);
    const moved = checked("VethPair", { name: "a", peerName: "b", owner: `${owner}2` });
    assert.deepEqual(diffInputs(def, olds, moved), { changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it("treats drift a read found beneath the object (a missing device) as an update, and no drift as none", () => {
    const def = definition("OvsPort");
    const inputs = checked("OvsPort", { bridge: "OVS1", name: "veth-r", tag: 100 });
    const drift = ["the device veth-r of the port is missing (Open vSwitch: No such device)"];
    assert.deepEqual(diffInputs(def, { ...inputs, drift }, inputs), {
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
    assert.equal(diffInputs(def, { ...inputs, drift: [] }, inputs).changes, false);
    assert.equal(diffInputs(def, inputs, inputs).changes, false);
  });

  it("applies defaults once, in check", () => {
    assert.deepEqual(checked("Namespace", { name: "red" }), { name: "red", loopbackUp: true, killProcesses: false });
    assert.equal(checked("Namespace", { name: "red", connection: { host: "h" } }).connection instanceof Object, true);
    assert.deepEqual(checked("Namespace", { name: "red", connection: { host: "h" } }).connection, {
      host: "h",
      port: 22,
      user: "root",
      dialErrorLimit: 10,
      perDialTimeout: 15,
      strictHostKeyChecking: true,
      sudo: false,
      maxSessions: 8,
    });
  });

  it("tolerates preview unknowns and still checks and defaults the known fields", () => {
    const r = checkInputs(definition("OvsPort"), { bridge: UNKNOWN, name: "tap-r", tag: 100 });
    assert.deepEqual(r.failures, []);
    assert.deepEqual(r.inputs, {
      bridge: UNKNOWN,
      name: "tap-r",
      type: "system",
      tag: 100,
      checksumOffload: "auto",
    });
    const bad = checkInputs(definition("OvsPort"), { bridge: UNKNOWN, name: "tap-r", tag: 0 });
    assert.deepEqual(
      bad.failures.map((f) => f.property),
      ["tag"],
    );
    const d = diffInputs(definition("OvsPort"), checked("OvsPort", { bridge: "b", name: "tap-r" }), r.inputs);
    assert.ok(d.changes && d.replaces.includes("bridge"));
    const conn = checkInputs(definition("Namespace"), { name: "x", connection: UNKNOWN });
    assert.deepEqual(conn.failures, []);
  });

  it("runs a cross-field rule once the fields it reads are known, in preview and after", () => {
    const veth = definition("VethPair");
    const clash = (namespace: unknown, mtu?: unknown) =>
      checkInputs(veth, { name: "a", peerName: "a", namespace, peerNamespace: "red", mtu });
    assert.deepEqual(clash(UNKNOWN).failures, []);
    assert.deepEqual(
      clash("red").failures.map((f) => f.property),
      ["peerName"],
    );
    // In preview, a field the rule does not read may be unknown: the rule still runs.
    assert.deepEqual(
      clash("red", UNKNOWN).failures.map((f) => f.property),
      ["peerName"],
    );
    // Control: the same names in two namespaces are fine.
    assert.deepEqual(clash("green").failures, []);
  });

  it("refuses a kind whose schema checks across fields outside its rules, which check would never run", () => {
    const fields = z.object({ a: z.string(), b: z.string() });
    assert.throws(
      () =>
        assertRulesOnly(
          "Bad",
          fields.refine((v) => v.a !== v.b),
        ),
      /Bad: cross-field checks must be rules given to withRules/,
    );
    assertRulesOnly("Good", withRules(fields, [{ reads: ["a", "b"], check: () => undefined }]));
    assertRulesOnly("Plain", fields);
  });

  const dhcp = cases.DhcpServer.base;
  const bad: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ["Probe", { namespace: "red", target: "10.0.0.2", protocol: "tcp" }, "port", /required when protocol is "tcp"/],
    ["Probe", { namespace: "red", target: "10.0.0.2", port: 80 }, "port", /only for protocol "tcp" or "udp"/],
    ["Probe", { namespace: "red", target: "10.0.0.300" }, "target", /IPv4 or IPv6 address/],
    ["Probe", { namespace: "red", target: "10.0.0.2", expect: "gone" }, "expect", /./],
    ["Probe", { namespace: "red", target: "10.0.0.2", timeoutMs: 50 }, "timeoutMs", /100 to 60000/],
    ["Namespace", { name: "a;b" }, "name", /letters, digits/],
    ["Namespace", { name: "-x" }, "name", /not starting with '-'/],
    ["Namespace", { name: "red", colour: "x" }, "colour", /unknown property/],
    ["VethPair", { name: "abcdefghijklmnop", peerName: "b" }, "name", /1-15 characters/],
    ["VethPair", { name: "a", peerName: "a" }, "peerName", /must differ/],
    ["VethPair", { name: "a", peerName: "b", macAddress: "01:00:00:00:00:01" }, "macAddress", /unicast/],
    ["VethPair", { name: "a", peerName: "b", mtu: 10 }, "mtu", /68/],
    ["OvsBridge", { name: "b", datapathType: "dpdk" }, "datapathType", /system|netdev/],
    ["OvsBridge", { name: "b", externalIds: { "pulumi-netns": "x" } }, "externalIds", /reserved/],
    ["OvsBridge", { name: "b", externalIds: { "pulumi-netns-owner": "x" } }, "externalIds", /reserved/],
    ["Namespace", { name: "r", owner: "red" }, "owner", /Pulumi URN/],
    ["Namespace", { name: "r", owner: "urn:pulumi:s::p::t::n\nx" }, "owner", /control characters/],
    ["OvsPort", { bridge: "b", name: "p", tag: 0 }, "tag", /1 to 4094/],
    ["OvsPort", { bridge: "b", name: "p", tag: 4095 }, "tag", /1 to 4094/],
    ["OvsPort", { bridge: "b", name: "p", trunks: [1, 5000] }, "trunks.1", /1 to 4094/],
    ["OvsPort", { bridge: "b", name: "p", type: "patch" }, "peer", /required when type is "patch"/],
    ["OvsPort", { bridge: "b", name: "p", namespace: "red" }, "namespace", /only for type "internal"/],
    ["OvsPort", { bridge: "b", name: "p", type: "vxlan" }, "remoteIp", /required/],
    ["OvsPort", { bridge: "b", name: "p", type: "vxlan", remoteIp: "192.0.2.1" }, "key", /must be the VNI/],
    ["OvsPort", { bridge: "b", name: "p", type: "vxlan", remoteIp: "192.0.2.1", key: "16777216" }, "key", /VNI/],
    ["OvsPort", { bridge: "b", name: "p", type: "geneve", remoteIp: "192.0.2.1", key: "flow" }, "key", /VNI/],
    [
      "OvsPort",
      { bridge: "b", name: "p", type: "geneve", remoteIps: ["192.0.2.1"], key: "1" },
      "remoteIps",
      /only for type "vxlan"/,
    ],
    [
      "OvsPort",
      { bridge: "b", name: "p", type: "vxlan", remoteIp: "192.0.2.1", remoteIps: ["192.0.2.2"], key: "1" },
      "remoteIps",
      /instead of remoteIp/,
    ],
    ["OvsPort", { bridge: "b", name: "p", type: "vxlan", remoteIps: ["x"], key: "1" }, "remoteIps.0", /IPv4/],
    ["Address", { device: "eth0", cidr: "10.0.0.1" }, "cidr", /prefix length/],
    ["Address", { device: "eth0", cidr: "10.0.0.300/24" }, "cidr", /prefix length/],
    ["Address", { device: "eth0", cidr: "fd00::1/129" }, "cidr", /prefix length/],
    ["Route", { destination: "10.0.0.1/24", via: "10.0.0.2" }, "destination", /no host bits/],
    ["Route", { destination: "10.1.0.0/16" }, "via", /via or device/],
    ["Route", { destination: "10.1.0.0/16", via: "fd00::1" }, "via", /IPv4/],
    ["DhcpServer", { ...dhcp, rangeStart: "10.50.51.1" }, "rangeStart", /inside subnet 10\.50\.50\.0\/24/],
    ["DhcpServer", { ...dhcp, rangeEnd: "10.50.50.5" }, "rangeStart", /must not come after rangeEnd/],
    ["DhcpServer", { ...dhcp, gateway: "10.9.9.9" }, "gateway", /inside subnet/],
    ["DhcpServer", { ...dhcp, subnet: "10.50.50.1/24" }, "subnet", /no host bits/],
    ["DhcpServer", { ...dhcp, leaseTime: "1m" }, "leaseTime", /at least 2 minutes/],
    ["DhcpServer", { ...dhcp, leaseTime: "soon" }, "leaseTime", /seconds or a number/],
    [
      "DhcpServer",
      { ...dhcp, extraOptions: [{ name: "dhcp-script", value: "/bin/evil" }] },
      "extraOptions.0.name",
      /allowed dnsmasq options/,
    ],
    [
      "DhcpServer",
      { ...dhcp, extraOptions: [{ name: "dhcp-option", value: "3\nconf-file=/etc/x" }] },
      "extraOptions.0.value",
      /one line/,
    ],
    [
      "DhcpServer",
      { ...dhcp, staticHosts: [{ mac: "02:00:00:00:00:05", ip: "10.60.0.5" }] },
      "staticHosts.0.ip",
      /inside subnet/,
    ],
    ["DhcpServer", { ...dhcp, domain: "bad domain" }, "domain", /domain name/],
    ["DhcpClient", { namespace: "red", device: "eth0", timeout: 0 }, "timeout", />=?\s*1|too small/i],
    ["Namespace", { name: "r", connection: { host: "h", port: 0 } }, "connection.port", /1|>=/],
    ["Namespace", { name: "r", connection: { host: "h", maxSessions: 100 } }, "connection.maxSessions", /64/],
  ];
  for (const [kind, inputs, property, reason] of bad) {
    it(`rejects ${kind} ${JSON.stringify(inputs)} naming ${property}`, () => {
      const r = checkInputs(definition(kind), inputs);
      const f = r.failures.find((x) => x.property === property);
      assert.ok(f, `failures: ${JSON.stringify(r.failures)}`);
      assert.match(f.reason, reason);
    });
  }
});
