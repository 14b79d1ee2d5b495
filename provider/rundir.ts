// The library's own directory on the host, and the one way files are written there.
import { quote } from "./shell/quote";

/** Everything the library writes on a host lives under here (and nowhere else). */
export const RUN_DIR = "/run/pulumi-netns";

/** Where a daemon's files for one interface live, without the extension: <RUN_DIR>/<daemon>/<namespace>.<interface> (both names already validated as safe). */
export const runFileBase = (daemon: string, namespace: string, iface: string) =>
  `${RUN_DIR}/${daemon}/${namespace}.${iface}`;

const dirOf = (path: string) => path.slice(0, path.lastIndexOf("/"));

/**
 * Runs `create` (one command, or an && chain, that creates the file `path`) once the file's directory exists. Another
 * process's cleanup (removeEmptyDirsScript) removes that directory, or a parent, while it is empty, and may do so
 * between the two: `create` then runs once more, after making the directory again, and only that second try's errors
 * are shown. Builtins only but for mkdir, which runs only when the directory is missing.
 */
export function inRunDir(path: string, create: string): string {
  const dir = dirOf(path);
  const made = `{ [ -d ${quote(dir)} ] || mkdir -p ${quote(dir)}; }`;
  return `{ ${made} && ${create}; } 2>/dev/null || { ${made} && ${create}; }`;
}

/** A script that writes `content` to `path` atomically (temp file, then rename), creating the directory. */
export function writeFileScript(path: string, content: string, mode = "644"): string {
  const tmp = quote(`${path}.tmp`);
  return `set -e; ${inRunDir(path, `printf '%s' ${quote(content)} > ${tmp}`)}; chmod ${mode} ${tmp}; mv -f ${tmp} ${quote(path)}`;
}

/** A script that removes the directories holding these files, and their parents up to RUN_DIR, if empty. */
export function removeEmptyDirsScript(files: readonly string[]): string {
  const outside = files.find((p) => !p.startsWith(`${RUN_DIR}/`));
  if (outside) throw new Error(`refusing to remove "${outside}": the library only removes files under ${RUN_DIR}`);
  const base = RUN_DIR.slice(0, RUN_DIR.lastIndexOf("/"));
  const dirs = [...new Set(files.map((p) => p.slice(base.length + 1, p.lastIndexOf("/"))))];
  // `rmdir -p` on paths relative to RUN_DIR's parent climbs no higher than RUN_DIR itself.
  return `(cd ${base} && rmdir -p --ignore-fail-on-non-empty ${dirs.map(quote).join(" ")} 2>/dev/null); true`;
}

/** Removes files, then every directory up to RUN_DIR that this left empty, so a destroy leaves no trace. */
export function removeFilesArgv(paths: readonly string[]): string[] {
  return ["sh", "-c", `rm -f ${paths.map(quote).join(" ")} && { ${removeEmptyDirsScript(paths)}; }`];
}

/**
 * Removes those of these files that are empty, with one `rm` for them all, then the directories this left empty. A
 * file written to again since it was emptied is kept. Prints nothing and leaves $? at 0. For the end of a batch of
 * scripts run in a session's shell (writes/batched-scripts.ts): it uses builtins but for the one `rm` (and `rmdir` once a
 * directory is empty), and sets only the positional parameters and $f.
 */
export function removeEmptiedFilesScript(files: readonly string[]): string {
  const unique = [...new Set(files)];
  /** One file per directory, for removeEmptyDirsScript, which climbs from a file's directory. */
  const oneEach = [...new Map(unique.map((p) => [dirOf(p), p])).entries()];
  return [
    `set --; for f in ${unique.map(quote).join(" ")}; do [ -f "$f" ] && [ ! -s "$f" ] && set -- "$@" "$f"; done`,
    `[ $# -eq 0 ] || rm -f -- "$@"`,
    // The directory's last record gone: the directory goes too, and its parents up to RUN_DIR when empty.
    ...oneEach.map(([dir, file]) => `set -- ${quote(dir)}/*; [ -e "$1" ] || { ${removeEmptyDirsScript([file])}; }`),
    "true",
  ].join("\n");
}
