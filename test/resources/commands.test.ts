// Every command builder (exact argv) and every parser of ip -json / ovs-vsctl --format=json output.
import { strict as assert } from "node:assert";
import * as addr from "../../provider/address/commands";
import * as ns from "../../provider/namespace/commands";
import { parsePidsOutput, pidsScript } from "../../provider/namespace/pids";
import * as br from "../../provider/ovs-bridge/commands";
import * as port from "../../provider/ovs-port/commands";
import * as route from "../../provider/route/commands";
import * as veth from "../../provider/veth/commands";
import { interfaceRow, ovsTables, portRow } from "../helpers/ovs-tables";
import { ownerMark } from "../../provider/ownership/marks";

const M = "external_ids:pulumi-netns=managed";

describe("command builders and parsers", () => {
  it("Namespace", () => {
    assert.deepEqual(ns.add("red"), ["ip", "netns", "add", "red"]);
    assert.deepEqual(ns.del("red"), ["ip", "netns", "del", "red"]);
    assert.deepEqual(ns.setLoopback("red", true), [
      "nsenter",
      "--net=/run/netns/red",
      "ip",
      "link",
      "set",
      "dev",
      "lo",
      "up",
    ]);
    assert.deepEqual(ns.setLoopback("red", false), [
      "nsenter",
      "--net=/run/netns/red",
      "ip",
      "link",
      "set",
      "dev",
      "lo",
      "down",
    ]);
    assert.deepEqual(ns.deleteLink("red", "eth0"), [
      "nsenter",
      "--net=/run/netns/red",
      "ip",
      "link",
      "del",
      "dev",
      "eth0",
    ]);
    assert.deepEqual(ns.processNames([5, 6]), ["ps", "-o", "pid=,comm=", "-p", "5,6"]);
    const links = [
      { ifname: "lo", flags: ["LOOPBACK", "UP", "LOWER_UP"], mtu: 65536 },
      { ifname: "eth0", flags: ["UP"], mtu: 1500, linkinfo: { info_kind: "veth" } },
      { ifname: "tap0", flags: [], mtu: 1500, linkinfo: { info_kind: "tun" } },
    ];
    assert.equal(ns.loopbackUp(links), true);
    assert.equal(ns.loopbackUp([{ ifname: "lo", flags: ["LOOPBACK"], mtu: 65536 }]), false);
    assert.deepEqual(ns.pairedLinks(links), ["eth0"]);
  });

  it("Namespace: one stat finds the processes of every namespace asked, and which namespaces are not there", () => {
    assert.equal(
      pidsScript(["red", "blue"]).split("\n")[0],
      "stat -L -c '%i %n' -- /run/netns/red /run/netns/blue /proc/[0-9]*/ns/net 2>/dev/null",
    );
    const out = [
      "4026532300 /run/netns/red",
      "4026532400 /run/netns/blue",
      "4026531840 /proc/1/ns/net",
      "4026532300 /proc/812/ns/net",
      "4026532300 /proc/77/ns/net",
      "4026531840 /proc/90/ns/net",
      "",
    ].join("\n");
    assert.deepEqual(
      [...parsePidsOutput(out, ["red", "blue", "gone"])],
      [
        ["red", [77, 812]],
        ["blue", []],
        ["gone", undefined],
      ],
    );
  });

  it("VethPair: a MAC chosen for an end is random, locally administered and unicast, as the kernel's", () => {
    const macs = Array.from({ length: 64 }, () => veth.randomMac());
    for (const m of macs) {
      assert.match(m, /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
      const first = parseInt(m.slice(0, 2), 16);
      assert.equal(first & 0x02, 0x02, `${m} is locally administered`);
      assert.equal(first & 0x01, 0, `${m} is unicast`);
    }
    assert.equal(new Set(macs).size, macs.length, "no two alike");
  });

  it("VethPair: the near end is on the host when one is, and the far end comes first so the add sets it up", () => {
    const base = { name: "a", peerName: "b" };
    const end = (name: string, namespace?: string) => ({ name, namespace, mac: undefined });
    assert.deepEqual(veth.sides(base), { near: end("b"), far: end("a") }, "both on the host: the other end");
    assert.deepEqual(veth.sides({ ...base, namespace: "red" }), { near: end("b"), far: end("a", "red") });
    assert.deepEqual(veth.sides({ ...base, peerNamespace: "red" }), { near: end("a"), far: end("b", "red") });
    assert.deepEqual(veth.sides({ ...base, namespace: "red", peerNamespace: "green" }), {
      near: end("b", "green"),
      far: end("a", "red"),
    });
    assert.deepEqual(
      veth.add(end("b", "red"), end("a"), undefined, false),
      "ip link add name b netns red type veth peer name a".split(" "),
    );
    const { near, far } = veth.sides({
      ...base,
      namespace: "red",
      macAddress: "02:00:00:00:00:01",
      peerMacAddress: "02:00:00:00:00:02",
    });
    assert.deepEqual(veth.add(far, near, 1400, true), [
      ..."ip link add name a address 02:00:00:00:00:01 mtu 1400 up netns red".split(" "),
      ..."type veth peer name b address 02:00:00:00:00:02 mtu 1400".split(" "),
    ]);
    assert.deepEqual(veth.del("red", "a"), ["nsenter", "--net=/run/netns/red", "ip", "link", "del", "dev", "a"]);
    assert.deepEqual(veth.setUp(undefined, "a", false), ["ip", "link", "set", "dev", "a", "down"]);
    assert.deepEqual(veth.setMtu("red", "a", 9000), [
      "nsenter",
      "--net=/run/netns/red",
      "ip",
      "link",
      "set",
      "dev",
      "a",
      "mtu",
      "9000",
    ]);
    assert.deepEqual(veth.setMac(undefined, "a", "02:00:00:00:00:09"), [
      "ip",
      "link",
      "set",
      "dev",
      "a",
      "address",
      "02:00:00:00:00:09",
    ]);
  });

  it("OvsBridge", () => {
    const b = { name: "OVS1", datapathType: "netdev" as const, externalIds: {} };
    assert.deepEqual(br.add(b), [
      "ovs-vsctl",
      "add-br",
      "OVS1",
      "--",
      "set",
      "bridge",
      "OVS1",
      "datapath_type=netdev",
      M,
    ]);
    assert.deepEqual(br.add({ ...b, failMode: "secure", externalIds: { owner: 'a "b"=c' } }), [
      "ovs-vsctl",
      "add-br",
      "OVS1",
      "--",
      "set",
      "bridge",
      "OVS1",
      "datapath_type=netdev",
      "fail_mode=secure",
      M,
      'external_ids:owner="a \\"b\\"=c"',
    ]);
    assert.deepEqual(br.del("OVS1"), ["ovs-vsctl", "--if-exists", "del-br", "OVS1"]);
    assert.deepEqual(br.update(b, b), undefined);
    assert.deepEqual(
      br.update(
        { ...b, failMode: "secure", externalIds: { a: "1", b: "2" } },
        { ...b, datapathType: "system", externalIds: { b: "3" } },
      ),
      [
        "ovs-vsctl",
        "--",
        "set",
        "bridge",
        "OVS1",
        "datapath_type=system",
        "--",
        "clear",
        "bridge",
        "OVS1",
        "fail_mode",
        "--",
        "remove",
        "bridge",
        "OVS1",
        "external_ids",
        "a",
        "--",
        "set",
        "bridge",
        "OVS1",
        'external_ids:b="3"',
      ],
    );
    const row = {
      name: "OVS1",
      datapath_type: "netdev",
      fail_mode: ["set", []],
      external_ids: [
        "map",
        [
          ["owner", "x"],
          ["pulumi-netns", "managed"],
        ],
      ],
    };
    assert.deepEqual(br.parseBridge(row), { datapathType: "netdev", failMode: undefined, externalIds: { owner: "x" } });
    assert.equal(br.parseBridge({ ...row, external_ids: ["map", [["pulumi-netns", "other"]]] }), undefined, "not ours");
    assert.equal(br.parseBridge(undefined), undefined);
    const marked = { ...row, external_ids: ["map", [...row.external_ids[1], ["pulumi-netns-generation", "g2"]]] };
    assert.deepEqual(br.bridgeFields(marked as typeof row), {
      datapathType: "netdev",
      failMode: undefined,
      externalIds: { owner: "x" },
      generation: "g2",
    });
    assert.deepEqual(
      br.bridgeFields({ ...row, datapath_type: "", fail_mode: "secure" }),
      { datapathType: "system", failMode: "secure", externalIds: { owner: "x" } },
      "OVS's empty datapath type is the kernel's, and a fail mode is read",
    );
  });

  it("OvsBridge updates: marks re-written for a new owner or generation, external ids set only where they changed", () => {
    const b = { name: "OVS1", datapathType: "netdev" as const, externalIds: { a: "1", b: "2" } };
    assert.deepEqual(br.update(b, { ...b, owner: "urn:x", generation: "g2" }), [
      "ovs-vsctl",
      "--",
      "set",
      "bridge",
      "OVS1",
      "external_ids:pulumi-netns=managed",
      `external_ids:pulumi-netns-owner=${JSON.stringify(ownerMark("urn:x"))}`,
      "external_ids:pulumi-netns-generation=g2",
    ]);
    assert.deepEqual(br.update(b, { ...b, externalIds: { a: "1", b: "3", c: "4" } }), [
      "ovs-vsctl",
      "--",
      "set",
      "bridge",
      "OVS1",
      'external_ids:b="3"',
      'external_ids:c="4"',
    ]);
    assert.deepEqual(
      br.update({ ...b, externalIds: undefined } as never, { ...b, externalIds: { a: "1" } }),
      ["ovs-vsctl", "--", "set", "bridge", "OVS1", 'external_ids:a="1"'],
      "a state without external ids (an older version's) sets them all",
    );
    assert.deepEqual(br.update(b, { ...b, failMode: "standalone" }), [
      "ovs-vsctl",
      "--",
      "set",
      "bridge",
      "OVS1",
      "fail_mode=standalone",
    ]);
    assert.deepEqual(br.ofport("OVS1"), ["ovs-vsctl", "get", "interface", "OVS1", "ofport"]);
    assert.deepEqual(br.linkExists("OVS1"), ["ip", "link", "show", "dev", "OVS1"]);
  });

  it("OvsPort", () => {
    const p = { bridge: "OVS1", name: "veth-r", type: "system" as const, up: true, checksumOffload: "auto" as const };
    // A system port's device is someone else's: the add does not wait for the switch (the create checks the device),
    // and is its rows, one ovsdb-client transaction that reads nothing else.
    const owner = "urn:pulumi:s::p::pulumi-nodejs:dynamic/netns:OvsPort::r";
    const [exe, verb, json] = port.add({ ...p, tag: 100, trunks: [1, 2], vlanMode: "native-untagged", owner });
    assert.deepEqual([exe, verb], ["ovsdb-client", "transact"]);
    assert.deepEqual(JSON.parse(json), [
      "Open_vSwitch",
      {
        op: "wait",
        timeout: 0,
        table: "Bridge",
        where: [["name", "==", "OVS1"]],
        columns: ["name"],
        until: "==",
        rows: [{ name: "OVS1" }],
      },
      { op: "insert", table: "Interface", row: { name: "veth-r" }, "uuid-name": "interface" },
      {
        op: "insert",
        table: "Port",
        row: {
          name: "veth-r",
          interfaces: ["named-uuid", "interface"],
          external_ids: [
            "map",
            [
              ["pulumi-netns", "managed"],
              ["pulumi-netns-owner", owner],
            ],
          ],
          tag: 100,
          trunks: ["set", [1, 2]],
          vlan_mode: "native-untagged",
        },
        "uuid-name": "port",
      },
      {
        op: "mutate",
        table: "Bridge",
        where: [["name", "==", "OVS1"]],
        mutations: [["ports", "insert", ["named-uuid", "port"]]],
      },
    ]);
    // Its removal takes it out of its bridge's list by UUID; OVSDB drops the unreferenced rows.
    assert.deepEqual(port.delRows(p, ["uuid", "5c6e"]), [
      {
        op: "mutate",
        table: "Bridge",
        where: [["name", "==", "OVS1"]],
        mutations: [["ports", "delete", ["uuid", "5c6e"]]],
      },
    ]);
    assert.deepEqual(port.add({ ...p, name: "tap-r", type: "internal", trunks: [1, 2], vlanMode: "trunk" }), [
      "ovs-vsctl",
      "add-port",
      "OVS1",
      "tap-r",
      "--",
      "set",
      "port",
      "tap-r",
      M,
      "trunks=1,2",
      "vlan_mode=trunk",
      "--",
      "set",
      "interface",
      "tap-r",
      "type=internal",
    ]);
    assert.deepEqual(port.add({ ...p, name: "p1", type: "patch", peer: "p2" }).slice(-3), [
      "p1",
      "type=patch",
      "options:peer=p2",
    ]);
    assert.deepEqual(port.add({ ...p, name: "gr", type: "gre", remoteIp: "192.0.2.1", key: "42" }).slice(-4), [
      "gr",
      "type=gre",
      "options:remote_ip=192.0.2.1",
      "options:key=42",
    ]);
    // vxlan and geneve: a kernel device the port attaches as a system port, marked with its kind.
    const vx = { ...p, name: "vx", type: "vxlan" as const, remoteIps: ["192.0.2.1", "192.0.2.2"], key: "42" };
    assert.ok(port.add(vx).includes("external_ids:pulumi-netns-tunnel=vxlan"));
    assert.ok(!port.add(vx).some((a) => a.startsWith("type=")), "OVS sees a system port");
    assert.ok(!port.add(vx).includes("--no-wait"), "but one whose device the create made waits, as internal ports do");
    assert.deepEqual(port.tunnelAdd(vx), ["ip", "link", "add", "vx", "type", "vxlan", "id", "42", "dstport", "4789"]);
    assert.deepEqual(port.remotesOf(vx), ["192.0.2.1", "192.0.2.2"]);
    assert.deepEqual(port.tunnelRemote("append", "vx", "192.0.2.1"), [
      "bridge",
      "fdb",
      "append",
      "00:00:00:00:00:00",
      "dev",
      "vx",
      "dst",
      "192.0.2.1",
    ]);
    assert.deepEqual(port.tunnelAdd({ ...p, name: "gn", type: "geneve", remoteIp: "192.0.2.9", key: "7" }), [
      "ip",
      "link",
      "add",
      "gn",
      "type",
      "geneve",
      "id",
      "7",
      "remote",
      "192.0.2.9",
    ]);
    // Tunnel devices read back: test/resources/link-commands.test.ts, from a real listing.
    // Only a device the switch made itself is waited for (its removal is the switch's to apply).
    assert.deepEqual(port.del(p), ["ovs-vsctl", "--no-wait", "--if-exists", "del-port", "OVS1", "veth-r"]);
    assert.deepEqual(port.del({ ...p, type: "vxlan" }), [
      "ovs-vsctl",
      "--no-wait",
      "--if-exists",
      "del-port",
      "OVS1",
      "veth-r",
    ]);
    assert.deepEqual(port.del({ ...p, type: "internal" }), ["ovs-vsctl", "--if-exists", "del-port", "OVS1", "veth-r"]);
    assert.deepEqual(port.del({ ...p, type: "patch" }), ["ovs-vsctl", "--if-exists", "del-port", "OVS1", "veth-r"]);
    assert.deepEqual(port.moveTo("tap-r", "dhcp-r"), ["ip", "link", "set", "dev", "tap-r", "netns", "dhcp-r"]);
    assert.deepEqual(port.setUp("dhcp-r", "tap-r", true), [
      "nsenter",
      "--net=/run/netns/dhcp-r",
      "ip",
      "link",
      "set",
      "dev",
      "tap-r",
      "up",
    ]);
    assert.deepEqual(port.update({ ...p, tag: 100 }, { ...p, tag: 100 }), undefined);
    assert.deepEqual(port.update({ ...p, tag: 100 }, { ...p, tag: 200 }), [
      "ovs-vsctl",
      "--",
      "set",
      "port",
      "veth-r",
      "tag=200",
    ]);
    assert.deepEqual(port.update({ ...p, tag: 100, trunks: [1] }, { ...p, vlanMode: "access" }), [
      "ovs-vsctl",
      "--",
      "clear",
      "port",
      "veth-r",
      "tag",
      "--",
      "clear",
      "port",
      "veth-r",
      "trunks",
      "--",
      "set",
      "port",
      "veth-r",
      "vlan_mode=access",
    ]);
    // The shape `ovsdb-client transact` returns (see reads/ovs-tables.ts).
    const managed: [string, string][] = [["pulumi-netns", "managed"]];
    const tables = ovsTables(
      [{ uuid: "b1", name: "OVS1", ports: ["p0", "p1"] }],
      [
        portRow("p1", "veth-r", { tag: 100, ids: managed }),
        portRow("p2", "trunk", { trunks: [10, 20], vlanMode: "trunk", ids: managed }),
        portRow("p3", "alien", { tag: 5 }),
      ],
      [interfaceRow("veth-r"), interfaceRow("trunk", "patch", [["peer", "x"]])],
    );
    assert.deepEqual(port.parsePort(tables, "veth-r"), {
      bridge: "OVS1",
      type: "system",
      tag: 100,
      trunks: undefined,
      vlanMode: undefined,
      peer: undefined,
      remoteIp: undefined,
      key: undefined,
    });
    assert.deepEqual(port.parsePort(tables, "trunk"), {
      bridge: undefined,
      type: "patch",
      tag: undefined,
      trunks: [10, 20],
      vlanMode: "trunk",
      peer: "x",
      remoteIp: undefined,
      key: undefined,
    });
    assert.equal(port.parsePort(tables, "alien"), undefined, "not ours");
    assert.equal(port.parsePort(tables, "missing"), undefined);
  });

  it("OvsPort: an interface whose device the switch does not hold (a reboot's rows) is told from one it does", () => {
    const tables = (row: Record<string, unknown>) => ({
      bridges: [],
      ports: [],
      interfaces: [{ name: "veth-r", type: "", options: ["map", []], ...row }],
    });
    const gone = "could not open network device veth-r (No such device)";
    assert.equal(port.missingDevice(tables({ error: gone, ofport: -1 }), "veth-r"), gone);
    assert.equal(
      port.missingDevice(tables({ error: ["set", []], ofport: -1 }), "veth-r"),
      "the switch could not open it",
    );
    assert.equal(port.missingDevice(tables({ error: ["set", []], ofport: 3 }), "veth-r"), undefined, "attached");
    assert.equal(
      port.missingDevice(tables({ error: ["set", []], ofport: ["set", []] }), "veth-r"),
      undefined,
      "not yet",
    );
    assert.equal(port.missingDevice(tables({ error: gone }), "other"), undefined, "no such interface");
  });

  it("Address", () => {
    const a = { namespace: "red", device: "eth0", cidr: "10.0.0.1/24", noDad: false };
    assert.deepEqual(addr.add(a), [
      "nsenter",
      "--net=/run/netns/red",
      "ip",
      "addr",
      "add",
      "10.0.0.1/24",
      "dev",
      "eth0",
    ]);
    assert.deepEqual(addr.add({ ...a, cidr: "fd00::1/64", noDad: true }), [
      "nsenter",
      "--net=/run/netns/red",
      "ip",
      "addr",
      "add",
      "fd00::1/64",
      "dev",
      "eth0",
      "nodad",
    ]);
    assert.deepEqual(addr.add({ ...a, noDad: true }).includes("nodad"), false, "nodad is IPv6 only");
    assert.deepEqual(addr.del(a), [
      "nsenter",
      "--net=/run/netns/red",
      "ip",
      "addr",
      "del",
      "10.0.0.1/24",
      "dev",
      "eth0",
    ]);
    const link = {
      ifname: "eth0",
      flags: [],
      mtu: 1500,
      addr_info: [
        { family: "inet", local: "10.0.0.1", prefixlen: 24 },
        { family: "inet6", local: "fd00::1", prefixlen: 64 },
      ],
    };
    assert.equal(addr.hasAddress(link, "10.0.0.1/24"), true);
    assert.equal(addr.hasAddress(link, "10.0.0.1/16"), false);
    assert.equal(addr.hasAddress(link, "fd00:0:0::1/64"), true, "IPv6 compared as an address");
    assert.equal(addr.hasAddress(link, "10.0.0.2/24"), false);
    assert.equal(addr.hasAddress(undefined, "10.0.0.1/24"), false, "no such device");
  });

  it("Route", () => {
    const r = { namespace: "red", destination: "default", via: "10.0.0.254" };
    assert.deepEqual(route.add(r), [
      "nsenter",
      "--net=/run/netns/red",
      "ip",
      "-4",
      "route",
      "add",
      "default",
      "via",
      "10.0.0.254",
    ]);
    assert.deepEqual(route.add({ ...r, via: "fd00::1", device: "eth0", metric: 5 }), [
      "nsenter",
      "--net=/run/netns/red",
      "ip",
      "-6",
      "route",
      "add",
      "default",
      "via",
      "fd00::1",
      "dev",
      "eth0",
      "metric",
      "5",
    ]);
    assert.deepEqual(route.add({ destination: "default", device: "eth0", ipv6: true }), [
      "ip",
      "-6",
      "route",
      "add",
      "default",
      "dev",
      "eth0",
    ]);
    assert.deepEqual(route.replace({ ...r, destination: "10.1.0.0/16" }), [
      "nsenter",
      "--net=/run/netns/red",
      "ip",
      "-4",
      "route",
      "replace",
      "10.1.0.0/16",
      "via",
      "10.0.0.254",
    ]);
    assert.deepEqual(route.del({ ...r, metric: 7 }), [
      "nsenter",
      "--net=/run/netns/red",
      "ip",
      "-4",
      "route",
      "del",
      "default",
      "metric",
      "7",
    ]);
    assert.deepEqual(route.show(r), [
      "nsenter",
      "--net=/run/netns/red",
      "ip",
      "-4",
      "-json",
      "route",
      "show",
      "exact",
      "default",
    ]);
    const json =
      '[{"dst":"default","gateway":"10.0.0.254","dev":"eth0","metric":5},{"dst":"default","gateway":"10.0.0.253","dev":"eth0"}]';
    assert.deepEqual(route.findRoute(json, { ...r, metric: 5 }), { via: "10.0.0.254", device: "eth0" });
    assert.deepEqual(route.findRoute(json, { ...r, metric: 0 }), { via: "10.0.0.253", device: "eth0" });
    assert.equal(route.findRoute("", r), undefined);
  });
});
