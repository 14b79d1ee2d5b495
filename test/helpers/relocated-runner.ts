// A LocalRunner whose scripts see the library's run directory under a temporary directory: the real record scripts
// run without root and without touching /run.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RUN_DIR } from "../../provider/rundir";
import { LocalRunner } from "../../provider/transport/local";
import { RunResult } from "../../provider/transport/runner";

export class RelocatedRunner extends LocalRunner {
  /** Where RUN_DIR's parent is for this runner. */
  readonly root = mkdtempSync(join(tmpdir(), "pn-rundir-"));
  /** Every script asked, as the library wrote it. */
  readonly asked: string[] = [];

  /** Paths under RUN_DIR (and the parent that removeEmptyDirsScript climbs from), as this runner places them. */
  relocate(text: string): string {
    const parent = RUN_DIR.slice(0, RUN_DIR.lastIndexOf("/"));
    return text
      .split(RUN_DIR)
      .join(join(this.root, "pulumi-netns"))
      .split(`cd ${parent} &&`)
      .join(`cd ${this.root} &&`);
  }

  script(text: string): Promise<RunResult> {
    this.asked.push(text);
    return super.script(this.relocate(text));
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
