// Sysctl against the lab host: a namespace's own setting set, drift reported and repaired, the value found restored
// on delete, and the host's own setting never touched.
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { Made, check, refresh, up } from "../helpers/engine";
import { RUN_PREFIX, labConnection } from "../../lab/access";
import { sweep } from "../../lab/sweep";

const P = RUN_PREFIX;
const connection = labConnection();
const inNs = (ns: string, cmd: string) =>
  execFileSync("/bin/sh", ["-c", `ip netns exec ${ns} ${cmd}`])
    .toString()
    .trim();
const hostForwarding = () => readFileSync("/proc/sys/net/ipv4/ip_forward", "utf8").trim();

describe("Sysctl (e2e, lab host over SSH)", function () {
  this.timeout(60_000);
  const made = new Made(connection);
  const ns = `${P}rt`;
  after(async () => {
    await made.destroy().catch(() => undefined);
    sweep(P);
  });

  it("sets forwarding in its namespace only, reports a value changed by hand, and the next up repairs it", async () => {
    const hostBefore = hostForwarding();
    await made.create("Namespace", { name: ns });
    assert.equal(inNs(ns, "sysctl -n net.ipv4.ip_forward"), "0", "a new namespace starts with forwarding off");
    const fwd = await made.create("Sysctl", { namespace: ns, key: "net.ipv4.ip_forward", value: "1" });
    assert.equal(inNs(ns, "sysctl -n net.ipv4.ip_forward"), "1");
    assert.equal(fwd.outs.previous, "0");
    assert.equal(hostForwarding(), hostBefore, "the host's own setting is untouched");

    inNs(ns, "sysctl -qw net.ipv4.ip_forward=0");
    const seen = await refresh(fwd);
    assert.equal(seen?.outs.value, "0", "drift");
    const { action } = await up(seen!, { ...fwd.inputs, connection });
    assert.equal(action, "update");
    assert.equal(inNs(ns, "sysctl -n net.ipv4.ip_forward"), "1", "repaired");
  });

  it("takes a multi-number value with any blanks, and reads it back as the same", async () => {
    const range = await made.create("Sysctl", {
      namespace: ns,
      key: "net.ipv4.ip_local_port_range",
      value: "20000   30000",
    });
    assert.equal(inNs(ns, "sysctl -n net.ipv4.ip_local_port_range").replace(/\s+/g, " "), "20000 30000");
    const again = await refresh(range);
    assert.equal((await up(again!, { ...range.inputs, connection })).action, "same", "the kernel's tab is no drift");
  });

  it("puts the value it found back on delete", async () => {
    const arp = await made.create("Sysctl", { namespace: ns, key: "net.ipv4.conf.all.arp_ignore", value: "1" });
    assert.equal(inNs(ns, "sysctl -n net.ipv4.conf.all.arp_ignore"), "1");
    await made.destroyOne(arp);
    assert.equal(inNs(ns, "sysctl -n net.ipv4.conf.all.arp_ignore"), "0");
  });

  it("refuses keys outside net., a missing namespace, and values that are not one line, before touching the host", async () => {
    await assert.rejects(
      check("Sysctl", { namespace: ns, key: "kernel.hostname", value: "x" }),
      /key: must be a setting under net\./,
    );
    await assert.rejects(check("Sysctl", { key: "net.ipv4.ip_forward", value: "1" }), /namespace: /);
    await assert.rejects(
      check("Sysctl", { namespace: ns, key: "net.ipv4.ip_forward", value: "1\n0" }),
      /value: must be numbers or words/,
    );
    await assert.rejects(check("Sysctl", { namespace: ns, key: "net.ipv4..x", value: "1" }), /key: /);
    await assert.rejects(
      check("Sysctl", { namespace: ns, key: "net/../../kernel/x", value: "1" }),
      /key: must be a setting under net\./,
    );
    await assert.rejects(
      check("Sysctl", { namespace: "../etc", key: "net.ipv4.ip_forward", value: "1" }),
      /namespace: must be 1-64/,
    );
  });
});
