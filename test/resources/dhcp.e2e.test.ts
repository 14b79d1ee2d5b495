// The full seed scenario with DHCP against the lab host: per-VLAN servers, leases from the right server, drift, updates, no trace left.
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { Deployed, Made, create, refresh, up } from "../helpers/engine";
import { alive } from "../helpers/proc";
import { eventually } from "../helpers/wait";
import { closeAllPools } from "../../provider/transport";
import { RUN_PREFIX, labConnection, logins } from "../../lab/access";
import { sweep } from "../../lab/sweep";

const P = RUN_PREFIX;
const connection = labConnection();
const sh = (cmd: string) => execFileSync("/bin/sh", ["-c", cmd]).toString();

/** A fingerprint of every file outside the library's own directories that DHCP could plausibly touch. */
const hostFiles = () =>
  sh("find /etc /var/lib/dhcp /var/lib/misc -xdev -type f 2>/dev/null | sort | xargs -d '\\n' sha256sum 2>/dev/null");

describe("DHCP: the seed scenario (e2e, lab host over SSH)", function () {
  this.timeout(180_000);
  const made = new Made(connection);
  const make = (kind: string, inputs: Record<string, unknown>) => made.create(kind, inputs);
  let filesBefore: string;
  const servers: Record<string, Deployed> = {};
  const clients: Record<string, Deployed> = {};
  const macs: Record<string, string> = {};
  const br = `${P}ovs`;

  before(async () => {
    filesBefore = hostFiles();
    await make("OvsBridge", { name: br, datapathType: "netdev" });
    for (const [color, tag] of [
      ["r", 100],
      ["g", 200],
    ] as const) {
      const dhcpNs = `${P}dhcp-${color}`;
      await make("Namespace", { name: dhcpNs });
      await make("OvsPort", { bridge: br, name: `${P}tap-${color}`, type: "internal", tag, namespace: dhcpNs });
      await make("Address", { namespace: dhcpNs, device: `${P}tap-${color}`, cidr: "10.50.50.2/24" });
      servers[color] = await make("DhcpServer", {
        namespace: dhcpNs,
        device: `${P}tap-${color}`,
        subnet: "10.50.50.0/24",
        rangeStart: "10.50.50.10",
        rangeEnd: "10.50.50.100",
        leaseTime: "10m",
      });
      const ns = `${P}${color === "r" ? "red" : "green"}`;
      await make("Namespace", { name: ns });
      const veth = await make("VethPair", { name: `eth0-${color}`, namespace: ns, peerName: `${P}veth-${color}` });
      macs[color] = veth.outs.mac as string;
      await make("OvsPort", { bridge: br, name: `${P}veth-${color}`, tag });
    }
    // Both clients at once, as Pulumi would run them.
    const [r, g] = await Promise.all(
      (["r", "g"] as const).map((c) =>
        make("DhcpClient", { namespace: `${P}${c === "r" ? "red" : "green"}`, device: `eth0-${c}` }),
      ),
    );
    clients.r = r;
    clients.g = g;
  });

  after(async () => {
    try {
      await made.destroy();
    } finally {
      sweep(P);
    }
  });

  it("gives red and green each a lease in the range", () => {
    for (const c of ["r", "g"]) {
      const addr = clients[c].outs.address as string;
      assert.match(addr, /^10\.50\.50\.(\d+)\/24$/);
      const host = Number(addr.split(".")[3].split("/")[0]);
      assert.ok(host >= 10 && host <= 100, addr);
      const ns = `${P}${c === "r" ? "red" : "green"}`;
      assert.match(sh(`ip -n ${ns} -4 addr show dev eth0-${c}`), new RegExp(`inet ${addr.replace(/\./g, "\\.")}`));
    }
  });

  it("serves each client from its own VLAN's server only", () => {
    const leases = (c: string) => sh(`cat ${servers[c].outs.leaseFile}`);
    assert.ok(leases("r").includes(macs.r), "dhcp-r leased to red");
    assert.ok(!leases("r").includes(macs.g), "dhcp-r never saw green");
    assert.ok(leases("g").includes(macs.g), "dhcp-g leased to green");
    assert.ok(!leases("g").includes(macs.r), "dhcp-g never saw red");
  });

  it("runs dnsmasq inside its namespace with the generated config", () => {
    const s = servers.r.outs;
    assert.equal(sh(`ip netns identify ${s.pid}`).trim(), `${P}dhcp-r`);
    assert.match(sh(`cat ${s.configPath}`), /bind-interfaces/);
  });

  it("reads a dnsmasq killed by hand as gone, and the next up brings it back", async () => {
    sh(`kill -9 ${servers.g.outs.pid}`);
    await eventually("dnsmasq exits", () => !alive(servers.g.outs.pid as number));
    assert.equal(await refresh(servers.g), undefined);
    const again = await create("DhcpServer", { ...servers.g.inputs, connection });
    made.replace(servers.g, again);
    servers.g = again;
    assert.notEqual(again.outs.pid, undefined);
    assert.ok(await refresh(again), "serving again");
  });

  it("reports a config edited by hand as drift", async () => {
    sh(`sed -i 's/^dhcp-range=10.50.50.10,/dhcp-range=10.50.50.11,/' ${servers.g.outs.configPath}`);
    const seen = await refresh(servers.g);
    assert.equal(seen?.outs.rangeStart, "10.50.50.11");
    const fixed = await up(seen!, { ...servers.g.inputs, connection });
    assert.equal(fixed.action, "update");
    made.replace(servers.g, fixed.deployed);
    servers.g = fixed.deployed;
    assert.match(sh(`cat ${servers.g.outs.configPath}`), /dhcp-range=10\.50\.50\.10,/);
  });

  it("changes the range in place, and a new lease falls in the new range", async () => {
    const moved = await up(servers.r, {
      ...servers.r.inputs,
      rangeStart: "10.50.50.150",
      rangeEnd: "10.50.50.160",
      connection,
    });
    assert.equal(moved.action, "update");
    made.replace(servers.r, moved.deployed);
    servers.r = moved.deployed;
    const again = await up(clients.r, { ...clients.r.inputs, timeout: 45, connection });
    assert.equal(again.action, "update");
    made.replace(clients.r, again.deployed);
    clients.r = again.deployed;
    const host = Number((clients.r.outs.address as string).split(".")[3].split("/")[0]);
    assert.ok(host >= 150 && host <= 160, String(clients.r.outs.address));
  });

  it("destroys without a trace and leaves every host file byte-identical", async () => {
    const files = [servers.r, servers.g]
      .flatMap((s) => [s.outs.configPath, s.outs.leaseFile])
      .concat([clients.r.outs.leaseFile, clients.g.outs.leaseFile]);
    const pids = [servers.r, servers.g, clients.r, clients.g].map((d) => d.outs.pid);
    await made.destroy();
    for (const f of files) assert.equal(existsSync(f as string), false, `${f} removed`);
    for (const pid of pids) {
      const stat = sh(`ps -o stat= -p ${pid} || true`).trim();
      assert.ok(stat === "" || stat.startsWith("Z"), `process ${pid} stopped`);
    }
    assert.equal(sh(`ip netns list | grep '^${P}' || true`), "");
    assert.equal(hostFiles(), filesBefore);
  });

  it("says why no lease came: the client still asking, the link's state and counters; leaves nothing", async () => {
    const ns = `${P}lonely`;
    await make("Namespace", { name: ns });
    // Its peer stays in the host's namespace on no bridge: whatever the client sends, no DHCP server answers (the host's
    // IPv6 neighbour discovery may still reach it: the counters count every packet).
    await make("VethPair", { name: "eth0", namespace: ns, peerName: `${P}lonely-h` });
    const files = () => sh(`ls /run/pulumi-netns/dhclient/ 2>/dev/null | grep -F '${ns}.' || true`);
    const clientsIn = () => sh(`ip netns pids ${ns}`).trim();
    const asking = create("DhcpClient", { namespace: ns, device: "eth0", timeout: 4, connection });
    asking.catch(() => undefined); // awaited below; this keeps a rejection during the wait from counting as unhandled
    // Control: while it asks, its files and its dhclient are there to be seen, so "none" afterwards means removed.
    const seen = await eventually(
      "the client's files and process",
      () => [files(), clientsIn()],
      ([f, c]) => !!f && !!c,
    );
    await assert.rejects(asking, (e: Error) => {
      assert.match(e.message, new RegExp(`no DHCP lease for "eth0" in namespace "${ns}" within 4 s`));
      assert.match(
        e.message,
        /dhclient \(pid \d+\) is still asking; [1-9]\d* packets sent, \d+ received on it, of any kind\)/,
      );
      return true;
    });
    assert.equal(clientsIn(), "", `the client was stopped (it ran as ${seen[1]})`);
    assert.equal(files(), "", `its files were removed (${seen[0].trim().split("\n").join(", ")})`);
    // The same client with the peer down: the link, not the segment, is named.
    sh(`ip link set dev ${P}lonely-h down`);
    await assert.rejects(
      create("DhcpClient", { namespace: ns, device: "eth0", timeout: 2, connection }),
      /"eth0" has no carrier \(its veth peer is down or gone\)/,
    );
    assert.equal(clientsIn(), "");
    assert.equal(files(), "");
  });

  it("rejects a bad server before touching the host", async () => {
    // With this process's connections closed, anything run on the host needs a new login.
    closeAllPools();
    const before = logins();
    await assert.rejects(
      create("DhcpServer", {
        namespace: `${P}x`,
        device: "tap",
        subnet: "10.50.50.0/24",
        rangeStart: "10.60.0.1",
        rangeEnd: "10.50.50.5",
        connection,
      }),
      /rangeStart: must lie inside subnet 10\.50\.50\.0\/24/,
    );
    assert.equal(logins(), before, "no login: nothing ran on the host");
    assert.equal(existsSync(`/run/pulumi-netns/dnsmasq/${P}x.tap.conf`), false);
    // Control: a read does log in, so the count above could have changed.
    closeAllPools();
    await refresh(servers.r);
    assert.equal(logins(), before + 1);
  });
});
