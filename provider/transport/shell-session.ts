// One persistent /bin/sh on an SSH channel: feeds it commands one at a time and frames their output.
import { randomBytes } from "node:crypto";
import type { ClientChannel } from "ssh2";
import { FRAME, framePart } from "../shell/frames";
import { RunResult } from "./runner";

/** Gathers one stream of a command's output until the end marker and the line it ends. */
class Collector {
  private chunks: Buffer[] = [];
  private size = 0;
  private tail = "";
  private markAt = -1;

  constructor(private readonly mark: string) {}

  /** Adds a chunk; true once the marker and the rest of its line have arrived. */
  push(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    if (this.markAt < 0) {
      // The marker is ASCII, so a latin1 view finds it even across chunk boundaries.
      const seen = this.tail + chunk.toString("latin1");
      const i = seen.indexOf(this.mark);
      if (i >= 0) this.markAt = this.size - this.tail.length + i;
      else this.tail = seen.slice(-(this.mark.length - 1));
    }
    this.size += chunk.length;
    return this.markAt >= 0 && this.afterMark().includes("\n");
  }

  body(): string {
    return Buffer.concat(this.chunks).subarray(0, this.markAt).toString("utf8");
  }

  /** Everything received so far, for a command cut off before its marker. */
  partial(): string {
    return Buffer.concat(this.chunks).toString("utf8");
  }

  afterMark(): string {
    return Buffer.concat(this.chunks)
      .subarray(this.markAt + this.mark.length)
      .toString("latin1");
  }
}

interface Pending {
  cmdline: string;
  out: Collector;
  err: Collector;
  outDone: boolean;
  errDone: boolean;
  resolve: (r: RunResult) => void;
  reject: (e: Error) => void;
}

export class ShellSession {
  private readonly id = randomBytes(8).toString("hex");
  private seq = 0;
  private pending?: Pending;
  private earlyStderr = "";
  alive = true;

  constructor(
    private readonly channel: ClientChannel,
    private readonly target: string,
  ) {
    channel.on("data", (b: Buffer) => this.onData("out", b));
    channel.stderr.on("data", (b: Buffer) => this.onData("err", b));
    channel.on("close", () => this.onClose());
    channel.on("error", () => this.onClose());
  }

  /**
   * Runs one shell command line; its output and exit code end with frame lines (shell/frames.ts) whose label is
   * unique to this session and command, so no output can end a command early. It runs in a subshell, so builtins
   * (cd, exit, set, export) cannot change this session, unless `inSession` asks for exactly that: the session's
   * setup, and programs that cannot change it anyway (shell/program.ts), which then start without a fork.
   */
  run(cmdline: string, inSession = false): Promise<RunResult> {
    if (!this.alive) return Promise.reject(new Error(`the shell on ${this.target} has closed`));
    if (this.pending) return Promise.reject(new Error("internal: a shell session runs one command at a time"));
    const label = `${this.id}.${++this.seq}`;
    return new Promise((resolve, reject) => {
      this.pending = {
        cmdline,
        out: new Collector(`\n${FRAME} ${label} `),
        err: new Collector(`\n${FRAME} ${label}`),
        outDone: false,
        errDone: false,
        resolve,
        reject,
      };
      this.channel.write(`${framePart(cmdline, label, { separateStderr: true, subshell: !inSession })}\n`);
    });
  }

  close(): void {
    this.alive = false;
    this.channel.close();
  }

  private onData(stream: "out" | "err", chunk: Buffer): void {
    const p = this.pending;
    if (!p) {
      if (stream === "err") this.earlyStderr += chunk.toString("utf8");
      return;
    }
    if (stream === "out") p.outDone = p.out.push(chunk) || p.outDone;
    else p.errDone = p.err.push(chunk) || p.errDone;
    if (!p.outDone || !p.errDone) return;
    this.pending = undefined;
    p.resolve({ code: parseInt(p.out.afterMark(), 10), stdout: p.out.body(), stderr: p.err.body() });
  }

  private onClose(): void {
    if (!this.alive) return;
    this.alive = false;
    const p = this.pending;
    this.pending = undefined;
    if (!p) return;
    const said = (this.earlyStderr + p.err.partial()).trim();
    // Never re-run: the command may already have changed the host.
    p.reject(
      new Error(
        `the connection to ${this.target} closed while running "${p.cmdline}"; ` +
          `it may or may not have taken effect, so it was not re-run` +
          (said ? `: ${said}` : ""),
      ),
    );
  }
}
