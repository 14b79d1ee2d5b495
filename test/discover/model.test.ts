// discover's model and program from a host read: the seed built by hand (a real read, kept as a fixture), and the edges.
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Lab, labOf } from "../../provider/discover/model";
import { identifier, indexTs, literal, projectFiles } from "../../provider/discover/program";
import type { HostView } from "../../provider/discover/read";

/**
 * `readHost` on this machine after test/helpers/hand-seed.ts built the seed under prefix "hx-", with ip_forward set in
 * red, a route to 10.99.0.0/16 added there by hand, a `sleep` started in green and a Linux bridge made in dhcp-g.
 */
const SEED: HostView = JSON.parse(readFileSync(join(__dirname, "fixtures", "seed-by-hand.json"), "utf8"));
const view = (over: Partial<HostView> = {}): HostView => ({ ...structuredClone(SEED), ...over });
const options = {
  project: "lab",
  source: "this machine",
  versions: { netns: "0.1.0", pulumi: "3.248.0", typescript: "5.9.3" },
};

describe("discover: the lab a host read describes", () => {
  const lab = labOf(view());

  it("pairs each veth end in a namespace with its peer on the host, by ifindex both ways", () => {
    assert.deepEqual(lab.veths, [
      { name: "eth0-g", namespace: "hx-green", peerName: "hx-veth-g" },
      { name: "eth0-r", namespace: "hx-red", peerName: "hx-veth-r" },
    ]);
  });

  it("reads the bridge with its datapath, and each port with its VLAN and, for an internal port, its namespace", () => {
    assert.deepEqual(lab.bridges, [{ name: "hx-OVS1", datapathType: "netdev" }]);
    assert.deepEqual(lab.ports, [
      { bridge: "hx-OVS1", name: "hx-tap-g", type: "internal", tag: 200, namespace: "hx-dhcp-g" },
      { bridge: "hx-OVS1", name: "hx-tap-r", type: "internal", tag: 100, namespace: "hx-dhcp-r" },
      { bridge: "hx-OVS1", name: "hx-veth-g", type: "system", tag: 200 },
      { bridge: "hx-OVS1", name: "hx-veth-r", type: "system", tag: 100 },
    ]);
  });

  it("keeps static addresses, leaves out those a DHCP client holds and the kernel's own routes and DHCP's default", () => {
    assert.deepEqual(lab.addresses, [
      { namespace: "hx-dhcp-g", device: "hx-tap-g", cidr: "10.50.50.2/24" },
      { namespace: "hx-dhcp-r", device: "hx-tap-r", cidr: "10.50.50.2/24" },
    ]);
    assert.deepEqual(lab.routes, [
      { namespace: "hx-red", destination: "10.99.0.0/16", via: "10.50.50.2", device: "eth0-r" },
    ]);
  });

  it("declares the settings that differ from a new namespace's", () => {
    assert.deepEqual(
      lab.sysctls.map((s) => `${s.namespace} ${s.key}=${s.value}`),
      ["hx-red net.ipv4.ip_forward=1", "hx-red net.ipv4.conf.all.accept_redirects=0"],
    );
  });

  it("reads DHCP servers from dnsmasq's command line and clients from dhclient's", () => {
    assert.deepEqual(
      lab.servers.map((s) => [s.namespace, s.device, s.fields.subnet, s.fields.rangeStart, s.fields.rangeEnd]),
      [
        ["hx-dhcp-g", "hx-tap-g", "10.50.50.0/24", "10.50.50.110", "10.50.50.200"],
        ["hx-dhcp-r", "hx-tap-r", "10.50.50.0/24", "10.50.50.10", "10.50.50.100"],
      ],
    );
    assert.deepEqual(lab.clients, [
      { namespace: "hx-green", device: "eth0-g" },
      { namespace: "hx-red", device: "eth0-r" },
    ]);
  });

  it("lists what it saw but cannot say, and nothing is owned yet", () => {
    assert.equal(lab.notManaged.length, 2, lab.notManaged.join("\n"));
    assert.match(lab.notManaged[0], /^process sleep 600 \(pid \d+\) in namespace "hx-green"$/);
    assert.equal(lab.notManaged[1], 'link "hx-lb" (bridge) in namespace "hx-dhcp-g"');
    assert.deepEqual(lab.owned, []);
  });

  it("names what pulumi-netns already owns and leaves it out: a recorded namespace, marked rows and links, its daemons", () => {
    const v = view({ records: { "Namespace/hx-red": "urn:pulumi:s::p::pulumi-nodejs:dynamic/netns:Namespace::red" } });
    const mark = [
      "map",
      [
        ["pulumi-netns", "managed"],
        ["pulumi-netns-owner", "urn:pulumi:s::p::x::br"],
      ],
    ];
    v.ovs!.bridges[0].external_ids = mark;
    v.ovs!.ports.find((p) => p.name === "hx-tap-r")!.external_ids = mark;
    v.links[""].find((l) => l.ifname === "hx-veth-g")!.ifalias = "urn:pulumi:s::p::x::veth g1234567890abcde";
    v.processes.find((p) => p.argv[0] === "dnsmasq")!.argv = [
      "dnsmasq",
      "--conf-file=/run/pulumi-netns/dnsmasq/x.conf",
    ];
    const owned = labOf(v);
    assert.deepEqual(owned.owned.length, 5, owned.owned.join("\n"));
    assert.match(
      owned.owned.join("\n"),
      /namespace "hx-red" \(urn:pulumi:s::p::pulumi-nodejs:dynamic\/netns:Namespace::red\)/,
    );
    assert.match(owned.owned.join("\n"), /OVS bridge "hx-OVS1" \(urn:pulumi:s::p::x::br\)/);
    assert.match(owned.owned.join("\n"), /OVS port "hx-tap-r" on "hx-OVS1"/);
    assert.match(
      owned.owned.join("\n"),
      /veth pair "eth0-g" in namespace "hx-green" and "hx-veth-g" in the host namespace/,
    );
    assert.match(owned.owned.join("\n"), /dnsmasq in namespace "hx-dhcp-g" \(started by pulumi-netns\)/);
    assert.deepEqual(owned.bridges, []);
    assert.equal(
      owned.namespaces.some((n) => n.name === "hx-red"),
      false,
    );
    assert.equal(
      owned.veths.some((x) => x.peerName === "hx-veth-g"),
      false,
    );
    assert.deepEqual(
      owned.ports.map((p) => p.name),
      ["hx-tap-g", "hx-veth-g", "hx-veth-r"],
    );
  });

  it("looks only at the bridges it is told to", () => {
    const none = labOf(view(), { bridges: ["other"] });
    assert.deepEqual([none.bridges, none.ports], [[], []]);
  });
});

describe("discover: the program it writes", () => {
  const program = indexTs(labOf(view()), options);

  it("makes every resource adopt, on one Host that needs what the lab uses", () => {
    assert.match(program, /const host = new Host\("host", \{ needs: \["openvswitch", "dnsmasq", "dhclient"\] \}\);/);
    assert.match(program, /const on = \{ host, adopt: true \};/);
    assert.equal((program.match(/\.\.\.on/g) ?? []).length, 16 + 2, "each of the 16 declared, and the helper's two");
  });

  it("writes a helper for the shape that repeats, and uses names from the objects", () => {
    assert.match(program, /function vethPort\(\n {2}name: string,\n {2}namespace: Namespace,/);
    assert.match(program, /const hxVethR = vethPort\("eth0-r", hxRed, "hx-veth-r", hxOVS1, \{ tag: 100 \}\);/);
    assert.match(
      program,
      /const hxOVS1 = new OvsBridge\("hx-OVS1", \{ name: "hx-OVS1", datapathType: "netdev", \.\.\.on \}\);/,
    );
    // Dependencies as a person writes them: the server on its address's device, the client after its port.
    assert.match(program, /device: hxTapRAddress\.device,[\s\S]*?\}, \{ dependsOn: \[hxTapRAddress\] \}\);/);
    assert.match(program, /device: hxVethR\.veth\.name,\n {2}\.\.\.on,\n\}, \{ dependsOn: \[hxVethR\.port\] \}\);/);
    assert.match(program, /new Route\("hx-red-10\.99\.0\.0-16", \{[\s\S]*?device: hxVethR\.veth\.name,/);
  });

  it("lists what it cannot express at the top", () => {
    assert.match(program, /^\/\/ Not managed \(seen, but this program cannot say it\):\n\/\/ - process sleep 600/m);
  });

  it("declares a pair without the helper when the shape does not repeat", () => {
    const one: Lab = { ...labOf(view()), veths: labOf(view()).veths.slice(1) };
    const text = indexTs(one, options);
    assert.doesNotMatch(text, /function vethPort/);
    assert.match(
      text,
      /const hxVethR = new VethPair\("hx-veth-r", \{ name: "eth0-r", namespace: hxRed\.name, peerName: "hx-veth-r", \.\.\.on \}\);/,
    );
    assert.match(
      text,
      /new OvsPort\("hx-veth-r", \{ name: hxVethR\.peerName, bridge: hxOVS1\.name, tag: 100, \.\.\.on \}\)/,
    );
  });

  it("writes a Host only for a host with nothing to manage, and says so", () => {
    const empty = labOf({
      namespaces: [],
      links: { "": [] },
      routes: {},
      sysctls: {},
      fresh: {},
      processes: [],
      records: {},
    });
    const text = indexTs(empty, options);
    assert.match(text, /Nothing to manage was found on this machine: this program declares the Host only\./);
    assert.match(text, /const host = new Host\("host", \{ needs: \[\] \}\);\n$/);
    assert.doesNotMatch(text, /const on/);
  });

  it("reaches a remote host with the key from the stack's secret config, never the key itself", () => {
    const text = indexTs(labOf(view()), {
      ...options,
      target: { host: "10.0.0.5", port: 2222, user: "lab", hostKey: "ssh-ed25519 AAAA" },
    });
    assert.match(
      text,
      /connection: \{ host: "10\.0\.0\.5", port: 2222, user: "lab", privateKey: cfg\.requireSecret\("privateKey"\), hostKey: "ssh-ed25519 AAAA" \}/,
    );
    assert.match(text, /pulumi config set --secret privateKey/);
  });

  it("writes a project whose main is the file, depending on the library", () => {
    const files = projectFiles(labOf(view()), options);
    assert.match(files["Pulumi.yaml"], /^name: lab\n[\s\S]*\nmain: index\.ts\n$/);
    const pkg = JSON.parse(files["package.json"]);
    assert.deepEqual(pkg.dependencies, { "@pulumi/pulumi": "^3.248.0", "pulumi-netns": "^0.1.0" });
  });

  it("makes identifiers and literals a person would write", () => {
    assert.deepEqual(["dhcp-r", "OVS1", "qrouter-1a2b", "9lives", "default"].map(identifier), [
      "dhcpR",
      "ovs1",
      "qrouter1a2b",
      "n9lives",
      "default_",
    ]);
    assert.equal(
      literal({ tag: 1, trunks: [2, 3], "x-y": "z", skip: undefined }),
      '{ tag: 1, trunks: [2, 3], "x-y": "z" }',
    );
  });
});
