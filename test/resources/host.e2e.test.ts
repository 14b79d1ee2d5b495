// The seed's Host against the lab host with Open vSwitch stopped: without install nothing is made and the error
// names the fix; with install the Host starts Open vSwitch, the seed deploys, and destroy stops it again, removing no
// package.
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { OVS_CTL } from "../../provider/host/commands";
import { runEngine } from "../../engine/engine";
import { cleanUp, engine, seedOptions } from "../../lab/harness";
import { RUN_PREFIX } from "../../lab/access";
import { tcpWorks } from "../helpers/tcp";

const P = RUN_PREFIX;
const ovsAnswers = () => {
  try {
    execFileSync("ovs-vsctl", ["--timeout=5", "show"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
};
const namespaces = () => execFileSync("ip", ["netns", "list"]).toString();
/** Every installed package and its version, as dpkg lists them. */
const installed = () =>
  execFileSync("dpkg-query", ["-W", "-f", "${Package} ${Version} ${db:Status-Abbrev}\n"]).toString();

describe("Host: a host made ready once, before anything else (e2e, lab host over SSH)", function () {
  this.timeout(300_000);
  const statePath = `/tmp/${P}host-state.json`;

  before(function () {
    const bridges = execFileSync("ovs-vsctl", ["list-br"]).toString().trim();
    // Stopping Open vSwitch must not disturb anything: the lab's switch holds no bridge between tests.
    assert.equal(bridges, "", "the lab's Open vSwitch has no bridges before this test");
    execFileSync(OVS_CTL, ["stop"], { stdio: "ignore" });
    assert.equal(ovsAnswers(), false, "Open vSwitch stopped");
  });

  after(async () => {
    await cleanUp(seedOptions(statePath, { install: "true" }), P);
    // Leave the lab as it was: its Open vSwitch running.
    if (!ovsAnswers()) execFileSync(OVS_CTL, ["start", "--system-id=random", "--no-monitor"], { stdio: "ignore" });
    assert.ok(ovsAnswers(), "the lab's Open vSwitch runs again");
  });

  it("without install: one error naming the fix, and nothing made on the host", async () => {
    const s = await runEngine("up", { ...seedOptions(statePath, { install: "false" }) });
    assert.equal(s.errors.length, 1, s.errors.join("\n"));
    assert.match(
      s.errors[0],
      /Host::host: host \S+ lacks a running Open vSwitch: run `\/usr\/share\/openvswitch\/scripts\/ovs-ctl start` there, or set `install: true`/,
    );
    assert.equal(s.counts.create, 0);
    assert.doesNotMatch(namespaces(), new RegExp(P), "no namespace was made");
    const state = existsSync(statePath) ? readFileSync(statePath, "utf8") : "";
    assert.doesNotMatch(state, /netns:Namespace/, "and none is in the state");
  });

  it("with install: starts Open vSwitch, deploys the seed on the datapath it found, and destroy stops it", async () => {
    const packages = installed();
    assert.match(packages, /^openvswitch-switch /m, "control: the packages the seed needs are in the list compared");
    const s = await engine("up", seedOptions(statePath, { install: "true" }));
    assert.equal(s.counts.create, 23);
    assert.ok(ovsAnswers(), "the Host started Open vSwitch");
    const host = JSON.parse(readFileSync(statePath, "utf8")).resources.find((r: { type: string }) =>
      r.type.endsWith(":Host"),
    );
    assert.equal(host.outputs.startedOpenvswitch, true);
    assert.equal(host.outputs.datapathType, "netdev", "no openvswitch module here");
    assert.match(host.outputs.versions["ovs-vsctl"], /^\d+\.\d+/);
    assert.ok(await tcpWorks(`${P}dhcp-r`, "10.50.50.2", `${P}red`), "TCP red -> its server");

    await engine("destroy", seedOptions(statePath, { install: "true" }));
    assert.equal(ovsAnswers(), false, "destroy stopped the Open vSwitch the Host started");
    assert.doesNotMatch(namespaces(), new RegExp(P));
    assert.equal(installed(), packages, "destroy removed no package");
    rmSync(statePath, { force: true });
  });
});
