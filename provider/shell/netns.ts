// The one way into a network namespace: every command that runs inside one is built here.

/** `ip` with its own namespace switch (`ip -n NS ...`), which avoids an extra exec. */
export function ip(namespace: string | undefined, ...args: string[]): string[] {
  return namespace ? ["ip", "-n", namespace, ...args] : ["ip", ...args];
}

/** Any other program run inside `namespace` (the host namespace when undefined). */
export function inNetns(namespace: string | undefined, argv: readonly string[]): string[] {
  return namespace ? ["ip", "netns", "exec", namespace, ...argv] : [...argv];
}
