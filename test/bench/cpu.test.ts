// Unit tests for bench/cpu.ts: what each program spent between two samples of the machine's processes.
import { strict as assert } from "node:assert";
import { cpuByProcess, cpuSpentText, Sample, spentByProgram } from "../../bench/cpu";

const sample = (entries: Array<[number, Sample]>) => new Map(entries);
/** The profile line's text for what each program spent between two samples. */
const cpuSpent = (before: Map<number, Sample>, after: Map<number, Sample>) =>
  cpuSpentText(spentByProgram(before, after));

describe("bench cpu: what each program spent between two samples", () => {
  it("counts a process that lived through both by what it spent between them, whatever its name became", () => {
    const before = sample([
      [10, { name: "ovs-vswitchd", seconds: 5, start: 100 }],
      [20, { name: "kworker/u8:1-ext4-rsv-conversion", seconds: 7, start: 200 }],
    ]);
    const after = sample([
      [10, { name: "ovs-vswitchd", seconds: 6.5, start: 100 }],
      // A kernel worker's name says what it is doing at the moment; it is the same worker.
      [20, { name: "kworker/u8:1-ipv6_addrconf", seconds: 7.25, start: 200 }],
    ]);
    assert.equal(cpuSpent(before, after), "ovs-vswitchd 1.5, kworker 0.3");
  });

  it("counts a process started since the first sample whole, even under a pid that an ended one had", () => {
    const before = sample([
      [30, { name: "sh", seconds: 4, start: 300 }],
      [32, { name: "sshd", seconds: 1, start: 50 }],
    ]);
    const after = sample([
      [30, { name: "sh", seconds: 0.5, start: 900 }],
      [31, { name: "node", seconds: 2, start: 901 }],
      // Alive in both, and idle between them: not named.
      [32, { name: "sshd", seconds: 1, start: 50 }],
    ]);
    assert.equal(cpuSpent(before, after), "node 2.0, sh 0.5");
  });

  it("sums the processes of one program, leaves out those that spent nothing, and names the eight that spent most", () => {
    // p0 is pids 0 and 9 (0 + 9 s), p1..p7 spent 1..7 s, p8 0.5 s, and pid 10 nothing since the first sample.
    const after = sample(
      Array.from({ length: 10 }, (_, i): [number, Sample] => [i, { name: `p${i % 9}`, seconds: i, start: i }]),
    );
    after.set(10, { name: "idle", seconds: 3, start: 10 });
    const before = sample([
      [8, { name: "p8", seconds: 7.5, start: 8 }],
      [10, { name: "idle", seconds: 3, start: 10 }],
    ]);
    assert.equal(cpuSpent(before, after), "p0 9.0, p7 7.0, p6 6.0, p5 5.0, p4 4.0, p3 3.0, p2 2.0, p1 1.0");
  });

  it("samples this process with its start time, the same in two samples", () => {
    const [a, b] = [cpuByProcess().get(process.pid), cpuByProcess().get(process.pid)];
    assert.ok(a && b && a.start > 0);
    assert.equal(a.start, b.start);
    assert.ok(b.seconds >= a.seconds);
  });
});
