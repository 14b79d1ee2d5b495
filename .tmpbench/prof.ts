import { Session } from "node:inspector";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runEngine, EngineOptions } from "../test/engine/engine";
import { lab } from "../test/helpers/lab";
import { sweep } from "../test/helpers/sweep";

const hosts = Number(process.argv[2] ?? 200);
const prefix = "pnprf-";
async function main() {
  const l = lab();
  const o: EngineOptions = {
    projectDir: join(__dirname, "..", "bench", "program"),
    program: join(__dirname, "..", "bench", "program"),
    project: "pulumi-netns-bench",
    stack: "prof",
    statePath: "/tmp/pnprf-state.json",
    config: { hosts: String(hosts), namePrefix: prefix, host: l.host, port: String(l.port), privateKey: readFileSync(l.privateKeyPath, "utf8"), hostKey: l.hostKey },
    secretConfig: ["privateKey"],
    log: () => undefined,
  };
  try {
    if (process.env.SKIP_UP !== "1") console.log("up", (await runEngine("up", o)).operationSeconds);
    for (let i = 0; i < 3; i++) {
      const s = new Session();
      s.connect();
      const post = (m: string, p?: object) => new Promise<any>((res, rej) => s.post(m, p, (e, r) => (e ? rej(e) : res(r))));
      await post("Profiler.enable");
      await post("Profiler.start");
      const r = await runEngine("preview", o);
      const { profile } = await post("Profiler.stop");
      writeFileSync(`/tmp/harness-${i}.cpuprofile`, JSON.stringify(profile));
      console.log("preview", r.operationSeconds, "capture", r.captureSeconds, r.errors.slice(0, 2));
    }
  } finally {
    if (process.env.KEEP !== "1") { await runEngine("destroy", o); sweep(prefix); }
  }
}
main();
