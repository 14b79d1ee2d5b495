// The one way commands' results travel in a script's output: each part's output ends with a frame line that carries
// the part's label and exit code (and, where stderr is kept apart, stderr ends with one carrying the label).
import { RunResult } from "../transport/runner";

/** Begins every frame line; no command we run prints it at the start of a line followed by a space. */
export const FRAME = "@@pulumi-netns-frame@@";

/** One part of a framed script: a label (no newline) and the shell text that runs it. */
export interface Part {
  label: string;
  script: string;
}

/** One part's result. */
export interface Framed extends RunResult {
  label: string;
}

export interface FrameOptions {
  /** Keep stderr apart (framed on its own stream) instead of merged into stdout. */
  separateStderr?: boolean;
  /**
   * Stop the script after the first part that fails. It stops without `exit`, so the script may run in the host's
   * session shell itself (Runner.script's `inSession`) when its parts may.
   */
  stopOnFailure?: boolean;
  /** Run each part in a subshell, so an `exit` in one ends only that part. */
  subshell?: boolean;
}

/**
 * The frame lines that end a part: "\\n<FRAME> <label> <exit code>\\n" on stdout and, with separateStderr,
 * "\\n<FRAME> <label>\\n" on stderr. `label` is shell text: a quoted word, or "$var" inside double quotes.
 */
export function frameEnd(label: string, o: FrameOptions = {}): string {
  const err = o.separateStderr ? `; printf '\\n%s %s\\n' '${FRAME}' ${label} >&2` : "";
  return `c=$?; printf '\\n%s %s %d\\n' '${FRAME}' ${label} "$c"${err}`;
}

/** Wraps one part so its output (and, unless kept apart, its stderr) ends with its frame line. */
export function framePart(script: string, label: string, o: FrameOptions = {}): string {
  const [open, close] = o.subshell ? ["(", ")"] : ["{", "}"];
  const redirect = o.separateStderr ? "" : " 2>&1";
  return `${open}\n${script}\n${close} </dev/null${redirect}; ${frameEnd(label, o)}`;
}

/** The parts as one script. Labels are quoted here, so they may hold any character but a newline. */
export function framedScript(parts: readonly Part[], o: FrameOptions = {}): string {
  const framed = parts.map((p) => framePart(p.script, `'${p.label.replace(/'/g, "'\\''")}'`, o));
  if (!o.stopOnFailure) return framed.join("\n");
  // Each part runs only if the one before it succeeded.
  return framed.join(`\nif [ "$c" -eq 0 ]; then\n`) + "\nfi".repeat(Math.max(0, framed.length - 1));
}

/** Each finished part's result, in order; a script cut short yields fewer results than parts. */
export function parseFrames(r: Pick<RunResult, "stdout" | "stderr">): Framed[] {
  const outs = r.stdout.split(`\n${FRAME} `);
  const errs = r.stderr.split(`\n${FRAME} `);
  /** A part's own text: each segment after the first begins with the rest of the previous frame line. */
  const own = (segments: string[], i: number) =>
    i === 0 ? segments[0] : segments[i].slice(segments[i].indexOf("\n") + 1);
  const results: Framed[] = [];
  for (let i = 0; i + 1 < outs.length; i++) {
    const stdout = own(outs, i);
    const nl = outs[i + 1].indexOf("\n");
    const line = nl < 0 ? outs[i + 1] : outs[i + 1].slice(0, nl);
    const space = line.lastIndexOf(" ");
    results.push({
      label: line.slice(0, space),
      code: parseInt(line.slice(space + 1), 10),
      stdout,
      stderr: i < errs.length ? own(errs, i) : "",
    });
  }
  return results;
}

/** The text after the first `count` frame lines of one stream: what a script printed after its framed parts. */
export function afterFrames(text: string, count: number): string {
  let at = 0;
  for (let i = 0; i < count; i++) {
    const frame = text.indexOf(`\n${FRAME} `, at);
    if (frame < 0) return "";
    const end = text.indexOf("\n", frame + 1);
    if (end < 0) return "";
    at = end + 1;
  }
  return text.slice(at);
}
