// Faults during `up` of the 30-host benchmark topology: sshd restarted, the harness killed; the next `up` converges.
import { strict as assert } from "node:assert";
import { execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { EngineOptions, runEngine } from "../../engine/engine";
import { REPO, benchOptions, cleanUp, engine } from "../../lab/harness";
import { RUN_PREFIX, dropSessions, restartSshd } from "../../lab/access";

const HOSTS = 30;
const RESOURCES = HOSTS * 4 + 1;

const sh = (cmd: string) => execFileSync("/bin/sh", ["-c", cmd], { stdio: ["ignore", "pipe", "pipe"] }).toString();
const lines = (cmd: string) => sh(cmd).split("\n").filter(Boolean);

/**
 * SIGKILLs a process group and the groups of its leader's children: the provider host, like every plugin the CLI
 * starts, leads a group of its own (engine/provider-host.ts). Returns how many groups it killed.
 */
function killTree(leader: number): number {
  // ps exits 1 when the leader has no children.
  const children = lines(`ps -o pid= --ppid ${leader} || true`).map(Number);
  let groups = 0;
  for (const pid of [leader, ...children]) {
    try {
      process.kill(-pid, "SIGKILL");
      groups++;
    } catch {
      // Not a group leader (the program runs in the harness's group), or gone already.
    }
  }
  return groups;
}

/** The full topology is on the host exactly once: every namespace, port and address, nothing extra. */
function assertTopology(p: string): void {
  const namespaces = lines("ip netns list").filter((l) => l.startsWith(`${p}h`));
  assert.equal(namespaces.length, HOSTS, "one namespace per host");
  const ports = lines(`ovs-vsctl list-ports ${p}br`);
  assert.deepEqual(ports.sort(), [...Array(HOSTS).keys()].map((i) => `${p}v${i}`).sort(), "one port per host");
  for (let i = 0; i < HOSTS; i++) {
    const addrs = lines(`ip -n ${p}h${i} -o -4 addr show dev eth0`);
    assert.equal(addrs.length, 1, `one address in ${p}h${i}`);
    assert.match(addrs[0], new RegExp(`inet 10\\.100\\.${i}\\.1/24`));
    assert.equal(sh(`ovs-vsctl get port ${p}v${i} tag`).trim(), String(i + 1), `tag of ${p}v${i}`);
  }
  const hostLinks = lines("ip -o link show").filter((l) => l.includes(`: ${p}`));
  assert.equal(hostLinks.length, HOSTS + 1, "the host side holds only the veth ends and the bridge's device");
}

/** A converging `up`: no errors, every resource either created now or already there, then refresh finds no drift. */
async function assertConverges(o: EngineOptions, p: string): Promise<void> {
  const second = await engine("up", o);
  assert.equal(second.counts.create + second.counts.same, RESOURCES, JSON.stringify(second.counts));
  assertTopology(p);
  const refreshed = await engine("refresh", o);
  assert.equal(refreshed.counts.same, RESOURCES, "refresh finds every resource as made");
}

describe("faults during up (e2e, lab host over SSH)", function () {
  this.timeout(300_000);

  describe("sshd restarted in the middle of an up of 30 hosts", () => {
    const P = `${RUN_PREFIX.slice(0, -1)}f-`;
    const o = benchOptions(P, "faults-sshd", HOSTS);
    after(() => cleanUp(o, P));

    it("completes or fails with clear errors, and the next up converges without duplicates", async () => {
      let done = 0;
      let faulted = false;
      const first = await runEngine("up", {
        ...o,
        log: (line) => {
          if (!line.startsWith("create ") || ++done !== 40) return;
          faulted = true;
          dropSessions();
          restartSshd();
        },
      });
      assert.ok(faulted, "the fault happened during the up");
      // Either outcome is asserted: an up that rode out the drop made everything; one that did not says why.
      if (first.errors.length === 0) assert.equal(first.counts.create, RESOURCES, JSON.stringify(first.counts));
      for (const e of first.errors) {
        // Each error names its resource and says what broke, never a bare stack trace or a secret.
        assert.match(e, /^urn:pulumi:\S+::pulumi-nodejs:dynamic\/netns:\w+::\S+: .+/, e);
        assert.doesNotMatch(e, /PRIVATE KEY/);
      }
      await assertConverges(o, P);
    });
  });

  describe("the harness killed in the middle of an up of 30 hosts", () => {
    const P = `${RUN_PREFIX.slice(0, -1)}k-`;
    const o = benchOptions(P, "faults-kill", HOSTS);
    after(() => cleanUp(o, P));

    it("leaves objects no state knows, and the next up adopts them and converges", async () => {
      const child = spawn(
        process.execPath,
        [
          "-r",
          "ts-node/register/transpile-only",
          join(REPO, "engine", "cli.ts"),
          "up",
          join(REPO, "bench", "program"),
          "--state",
          o.statePath,
          "--stack",
          o.stack,
          "--config",
          `hosts=${HOSTS}`,
          "--config",
          `namePrefix=${P}`,
        ],
        { cwd: REPO, detached: true, stdio: ["ignore", "pipe", "inherit"] },
      );
      // Killed, program and provider host with it, as soon as 60 creates are reported: a crash of the whole CLI.
      let groups = 0;
      const killed = await new Promise<boolean>((resolve) => {
        let creates = 0;
        let killing = false;
        child.stdout!.on("data", (b: Buffer) => {
          creates += (b.toString().match(/^create /gm) ?? []).length;
          // Once: output already read may hold more creates after the kill.
          if (creates >= 60 && !killing && child.exitCode === null) {
            killing = true;
            groups = killTree(child.pid!);
            resolve(true);
          }
        });
        child.once("exit", () => resolve(false));
      });
      assert.ok(killed, "the harness was killed before it finished");
      assert.equal(groups, 2, "the harness's group and the provider host's were killed");
      const saved = JSON.parse(readFileSync(o.statePath, "utf8")) as { resources: unknown[] };
      const onHost = lines("ip netns list").filter((l) => l.startsWith(`${P}h`)).length;
      assert.ok(saved.resources.length < RESOURCES, "the state was saved only in part");
      assert.ok(onHost > 0, "objects were made before the kill");
      await assertConverges(o, P);
    });
  });
});
