// Runs commands on this machine through child_process, with the same contract as the SSH runner.
import { spawn } from "node:child_process";
import { constants } from "node:os";
import { RunResult, Runner } from "./runner";

function spawnCollect(file: string, args: readonly string[]): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, LC_ALL: "C" } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    // A program that cannot start is reported like sh reports it: exit code 127, reason on stderr.
    child.on("error", (e) => resolve({ code: 127, stdout: "", stderr: `${file}: ${e.message}` }));
    child.on("close", (code, signal) =>
      resolve({
        code: code ?? 128 + (signal ? constants.signals[signal] : 0),
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
      }),
    );
  });
}

export class LocalRunner implements Runner {
  readonly target = "local";

  run(argv: readonly string[]): Promise<RunResult> {
    if (argv.length === 0) throw new Error("cannot run an empty command");
    return spawnCollect(argv[0], argv.slice(1));
  }

  script(text: string): Promise<RunResult> {
    return spawnCollect("/bin/sh", ["-c", text]);
  }
}
