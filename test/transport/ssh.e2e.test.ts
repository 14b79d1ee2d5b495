// The SSH transport against the lab sshd: pooling, channel cap, reconnects, host keys, auth, sudo, jump host.
import { strict as assert } from "node:assert";
import { execFileSync, spawn } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connectionSchema, ConnectionInput } from "../../provider/connection";
import { batchingScripts } from "../../provider/writes/batched-scripts";
import { SshRunner, closeAllPools } from "../../provider/transport/ssh";
import { eventually } from "../helpers/wait";
import { RUN_PREFIX, dropSessions, lab, labConnection, restartSshd } from "../../lab/access";

function runner(over: Partial<ConnectionInput> = {}): SshRunner {
  return new SshRunner(connectionSchema.parse(labConnection(over)));
}

/** Lines sshd logged for sessions that ran a command ("Starting session: command ..."). */
function sessionCount(): number {
  return readFileSync(lab().sshdLog, "utf8")
    .split("\n")
    .filter((l) => l.includes("Starting session")).length;
}

describe("transport/ssh", function () {
  this.timeout(120_000);
  const marker = `/tmp/${RUN_PREFIX}ssh-marker`;
  afterEach(() => rmSync(marker, { force: true }));

  it("runs 100 commands issued at once on one connection, never above maxSessions channels", async () => {
    const r = runner({ maxSessions: 8, dialErrorLimit: 3 });
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => r.run(["echo", `n${i}`])));
    results.forEach((res, i) => assert.deepEqual(res, { code: 0, stdout: `n${i}\n`, stderr: "" }));
    assert.equal(r.stats.dials, 1, "one connection");
    assert.ok(r.stats.maxOpenChannels <= 8, `max open channels ${r.stats.maxOpenChannels}`);
    assert.ok(r.stats.maxOpenChannels >= 2, "commands did run in parallel");
    assert.equal(r.stats.channelOpenRetries, 0, "no channel open failure");
  });

  it("opens one shell at a time, so a burst of short commands logs in fewer times than it has commands", async () => {
    const r = runner({ maxSessions: 8 });
    closeAllPools();
    const [opened, logins] = [r.stats.channelsOpened, sessionCount()];
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => r.run(["echo", `b${i}`])));
    results.forEach((res, i) => assert.equal(res.stdout, `b${i}\n`));
    // The first shell runs the burst while the next ones log in, one after another; how many get in before the burst
    // ends depends on the host's login time against a command's round trip, so the count is bounded, not fixed.
    assert.equal(r.stats.maxShellsOpening, 1, "never two logins at once");
    const shells = r.stats.channelsOpened - opened;
    assert.ok(shells >= 1 && shells < 8, `${shells} shells opened for 8 commands`);
    assert.equal(sessionCount() - logins, shells, "one login per shell, as sshd logged it");
  });

  it("grows to maxSessions, one shell after another, while commands keep waiting", async () => {
    const r = runner({ maxSessions: 4 });
    closeAllPools();
    const opened = r.stats.channelsOpened;
    // Each command holds its shell long enough that the others wait for a new one until the cap.
    const results = await Promise.all(Array.from({ length: 8 }, () => r.run(["sleep", "1"])));
    results.forEach((res) => assert.equal(res.code, 0));
    assert.equal(r.stats.channelsOpened - opened, 4, "as many shells as the cap allows");
    assert.ok(r.stats.maxOpenChannels <= 4, `max open channels ${r.stats.maxOpenChannels}`);
  });

  it("replaces the connection after sshd restarts and drops every session", async () => {
    const r = runner({ maxSessions: 2 });
    assert.equal((await r.run(["true"])).code, 0);
    const dials = r.stats.dials;
    // A long command keeps the pool busy, so it cannot close the connection as idle: only the drop can.
    const long = r.script(`touch ${marker}; sleep 30`).then(
      () => undefined,
      (e: Error) => e,
    );
    await eventually("the long command runs", () => existsSync(marker));
    dropSessions();
    restartSshd();
    assert.match(String(await long), /closed while running/, "the running command saw its session dropped");
    const after = await r.run(["echo", "again"]);
    assert.equal(after.stdout, "again\n");
    assert.equal(r.stats.dials, dials + 1, "one new dial replaced the dropped connection");
  });

  it("closes an idle connection, and the next command dials a fresh one", async () => {
    const r = runner({ maxSessions: 3 });
    await Promise.all([r.run(["true"]), r.run(["true"]), r.run(["true"])]);
    const dials = r.stats.dials;
    await eventually("idle channels closed", () => r.stats.openChannels === 0);
    assert.equal((await r.run(["echo", "fresh"])).stdout, "fresh\n");
    assert.equal(r.stats.dials, dials + 1);
  });

  it("reports a command cut off mid-way as failed and never re-runs it", async () => {
    const r = runner({ maxSessions: 1 });
    // Killing the shell's sshd session process drops the channel while the command runs.
    await assert.rejects(
      r.script(`echo ran >> ${marker}; kill -9 $PPID; sleep 5`),
      /closed while running .* not re-run/,
    );
    assert.equal((await r.run(["cat", marker])).stdout, "ran\n", "ran once, and the next command works");
  });

  it("runs a script asked for inSession, and batched ownership scripts, in the session's shell itself", async () => {
    const r = runner({ maxSessions: 1 });
    // A child's parent: the session's shell for a program given as argv (shell/program.ts), else the subshell.
    const parentOf = (out: string) => out.trim();
    const session = parentOf((await r.run(["sh", "-c", "echo $PPID"])).stdout);
    assert.match(session, /^[0-9]+$/);
    const child = 'sh -c "echo \\$PPID"';
    assert.equal(parentOf((await r.script(child, true)).stdout), session);
    assert.notEqual(parentOf((await r.script(child)).stdout), session, "the control: a script runs in a subshell");
    const batched = batchingScripts(r);
    const both = await Promise.all([batched.script(child), batched.script(child)]);
    assert.deepEqual(
      both.map((b) => parentOf(b.stdout)),
      [session, session],
    );
    assert.equal(parentOf((await batched.script(child)).stdout), session, "and a batch of one");
  });

  it("refuses a wrongly pinned host key, names the offered fingerprint, and opens no session", async () => {
    const before = sessionCount();
    const wrong = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDqWoLp1rTgHI1FcK4OYZ0PSXa3zFDSvwqXgq6pc3dN6";
    const r = runner({ hostKey: wrong, dialErrorLimit: 1 });
    await assert.rejects(r.run(["touch", marker]), (e: Error) => {
      assert.match(
        e.message,
        /host key verification failed .* fingerprint SHA256:[A-Za-z0-9+/]+.*does not match the pinned hostKey/,
      );
      return true;
    });
    assert.equal(existsSync(marker), false, "the command did not run");
    assert.equal(sessionCount(), before, "sshd started no session");
    // Control: with the right key pinned, the same command starts a session and runs.
    await runner({ dialErrorLimit: 1 }).run(["touch", marker]);
    assert.ok(existsSync(marker) && sessionCount() > before, "the pinned key's session ran the command");
  });

  it("refuses an unknown host when nothing is pinned, offering the fingerprint to pin", async () => {
    const r = runner({ hostKey: undefined, knownHostsFile: "/nonexistent/known_hosts" });
    await assert.rejects(r.run(["touch", marker]), /not in \/nonexistent\/known_hosts\. Pin it with hostKey: "SHA256:/);
    assert.equal(existsSync(marker), false);
  });

  it("accepts any key only with strictHostKeyChecking: false", async () => {
    const r = runner({ hostKey: undefined, knownHostsFile: "/nonexistent/known_hosts", strictHostKeyChecking: false });
    assert.equal((await r.run(["echo", "ok"])).stdout, "ok\n");
  });

  it("reports a wrong client key as an authentication error without any secret", async () => {
    const wrongKey = readFileSync(lab().wrongPrivateKeyPath, "utf8");
    const r = runner({ privateKey: wrongKey, password: "canary-password-123", dialErrorLimit: 1 });
    await assert.rejects(r.run(["true"]), (e: Error) => {
      assert.match(e.message, /authentication failed for root@127\.0\.0\.1:\d+ \(methods tried: publickey, password\)/);
      const keyBody = wrongKey.split("\n")[1];
      assert.ok(!e.message.includes(keyBody) && !e.message.includes("canary-password"), "no secret in the message");
      assert.ok(!(e.stack ?? "").includes(keyBody));
      return true;
    });
  });

  it("logs in with an encrypted key and its privateKeyPassword; without it, or with a wrong one, says so and no more", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pn-key-"));
    try {
      const path = join(dir, "key");
      copyFileSync(lab().privateKeyPath, path);
      chmodSync(path, 0o600);
      execFileSync("ssh-keygen", ["-q", "-p", "-P", "", "-N", "canary-passphrase-1", "-f", path]);
      const encrypted = readFileSync(path, "utf8");
      const r = runner({ privateKey: encrypted, privateKeyPassword: "canary-passphrase-1", dialErrorLimit: 1 });
      assert.equal((await r.run(["echo", "in"])).stdout, "in\n");
      for (const privateKeyPassword of [undefined, "canary-wrong-2"]) {
        const bad = runner({ privateKey: encrypted, privateKeyPassword, dialErrorLimit: 1 });
        await assert.rejects(bad.run(["true"]), (e: Error) => {
          assert.match(e.message, /private ?key|passphrase|encrypted/i);
          assert.ok(!/canary/.test(e.message) && !e.message.includes(encrypted.split("\n")[1]), "no secret");
          return true;
        });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("logs in through the SSH agent at agentSocketPath, with no key in the connection", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pn-agent-"));
    const sock = join(dir, "agent.sock");
    // In the foreground, as this test's own child: stopped and waited for at the end, never left behind.
    const agent = spawn("ssh-agent", ["-D", "-a", sock], { stdio: "ignore" });
    const exited = new Promise((done) => agent.once("exit", done));
    try {
      await eventually("the agent listens", () => existsSync(sock));
      const viaAgent = () => runner({ privateKey: undefined, agentSocketPath: sock, dialErrorLimit: 1 });
      const empty = viaAgent();
      await assert.rejects(
        empty.run(["true"]),
        /authentication failed .*methods tried: agent/,
        "control: an empty agent",
      );
      execFileSync("ssh-add", ["-q", lab().privateKeyPath], { env: { ...process.env, SSH_AUTH_SOCK: sock } });
      const r = viaAgent();
      assert.equal((await r.run(["echo", "in"])).stdout, "in\n");
    } finally {
      agent.kill("SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("runs every command with the C locale and only the system's directories on PATH, whatever the login set", async () => {
    const system = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    for (const r of [runner(), runner({ user: lab().sudoUser, sudo: true })]) {
      // Several at once: every shell the pool opens for them has to have the setup, not only the first.
      const seen = await Promise.all(Array.from({ length: 4 }, () => r.script('printf "%s|%s" "$LC_ALL" "$PATH"')));
      for (const res of seen) assert.deepEqual(res, { code: 0, stdout: `C|${system}`, stderr: "" }, r.target);
    }
  });

  it("runs as root through sudo -n for a non-root user", async () => {
    const r = runner({ user: lab().sudoUser, sudo: true });
    const res = await r.run(["ip", "netns", "list"]);
    assert.equal(res.code, 0, res.stderr);
    assert.equal((await r.run(["id", "-u"])).stdout, "0\n");
  });

  it("says which privilege is missing when the user has no sudo rights", async () => {
    const r = runner({ user: lab().noSudoUser, sudo: true });
    await assert.rejects(
      r.run(["ip", "netns", "list"]),
      /"pnlab-nosudo" .* cannot run commands as root: .*passwordless sudo.*: sudo: a password is required/,
    );
  });

  it("reaches a host that only the jump host can reach, through the jump host", async () => {
    const l = lab();
    const key = readFileSync(l.privateKeyPath, "utf8");
    const behind = { host: l.behindHost, port: l.behindPort, dialErrorLimit: 1, perDialTimeout: 3 };
    // Control: from here, the host behind the jump host is out of reach.
    await assert.rejects(runner(behind).run(["true"]), /ENETUNREACH|EHOSTUNREACH|timed out/);
    const offset = statSync(l.jumpLog).size;
    const proxy = { host: l.jumpHost, port: l.jumpPort, user: "root", privateKey: key, hostKey: l.hostKey };
    const r = runner({ ...behind, proxy });
    const addrs = (await r.run(["ip", "-o", "-4", "addr", "show"])).stdout;
    assert.match(
      addrs,
      new RegExp(`inet ${l.behindHost.replace(/\./g, "\\.")}/`),
      "the command ran behind the jump host",
    );
    const log = readFileSync(l.jumpLog).subarray(offset).toString();
    assert.match(log, /Accepted publickey for root/, "this run logged in to the jump host");
  });
});
