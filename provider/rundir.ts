// The library's own directory on the host, and the one way files are written there.
import { quote } from "./shell/quote";

/** Everything the library writes on a host lives under here (and nowhere else). */
export const RUN_DIR = "/run/pulumi-netns";

/** A file name for an object in a namespace: "<namespace>.<interface>", both already validated as safe names. */
export const fileStem = (namespace: string, iface: string) => `${namespace}.${iface}`;

/** A script that writes `content` to `path` atomically (temp file, then rename), creating the directory. */
export function writeFileScript(path: string, content: string, mode = "644"): string {
  const dir = path.slice(0, path.lastIndexOf("/"));
  const tmp = `${path}.tmp`;
  return `set -e; mkdir -p ${quote(dir)}; printf '%s' ${quote(content)} > ${quote(tmp)}; chmod ${mode} ${quote(tmp)}; mv -f ${quote(tmp)} ${quote(path)}`;
}

/** Removes files, then their directory and RUN_DIR if that left them empty, so a destroy leaves no trace. */
export function removeFilesArgv(paths: readonly string[]): string[] {
  const dirs = [...new Set(paths.map((p) => p.slice(0, p.lastIndexOf("/"))))];
  const rmdirs = dirs.map((d) => `rmdir ${quote(d)} 2>/dev/null;`).join(" ");
  return ["sh", "-c", `rm -f ${paths.map(quote).join(" ")} && { ${rmdirs} rmdir ${RUN_DIR} 2>/dev/null; true; }`];
}
