// The one place where an argv becomes a POSIX shell string.

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quotes one argument for /bin/sh so that it reaches the program byte for byte. */
export function quote(arg: string): string {
  if (arg.includes("\0")) {
    // A NUL cannot pass through argv at all; refusing is the only honest answer.
    throw new Error("a shell argument cannot contain a NUL byte");
  }
  if (SAFE.test(arg)) return arg;
  return "'" + arg.replace(/'/g, "'\\''") + "'";
}

/** Joins an argv into one shell command line. */
export function quoteArgv(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error("cannot run an empty command");
  return argv.map(quote).join(" ");
}
