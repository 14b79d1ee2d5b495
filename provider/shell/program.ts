// Whether an argv names a program rather than a word of the shell itself: a program can start from the session's shell.

/**
 * Names a POSIX shell treats as something other than a program: reserved words and builtins of dash, bash and
 * BusyBox ash (/bin/sh is any of them). Such a command could end or change the shell that runs it (`exit`, `cd`,
 * `exec`, `set`), so it runs in a subshell; the list is generous, since a name on it only costs that subshell.
 */
const SHELL_OWN = new Set(
  (
    "! { } [[ ]] case do done elif else esac fi for function if in select then time until while " +
    ". : [ alias bg bind break builtin caller cd chdir command compgen complete compopt continue coproc declare " +
    "dirs disown echo enable eval exec exit export false fc fg getopts hash help history jobs kill let local " +
    "logout mapfile popd printf pushd pwd read readarray readonly return set shift shopt source suspend test " +
    "times trap true type typeset ulimit umask unalias unset wait"
  ).split(" "),
);

/**
 * True when the shell would run argv as a program found on PATH. A program cannot change the shell that starts it,
 * so it needs no subshell around it: in a brace group dash starts it with vfork, where a subshell forks the shell
 * first (about 1.5 ms more per command on a machine whose page-table changes are dear: docs/ARCHITECTURE.md).
 */
export const runsAsProgram = (argv: readonly string[]): boolean =>
  // A first word with "=" the shell takes for an assignment (quote() leaves "=" bare), which would outlive it.
  argv.length > 0 && !SHELL_OWN.has(argv[0]) && !argv[0].includes("=");
