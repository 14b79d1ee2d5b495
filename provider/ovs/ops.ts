// Open vSwitch writes as OVSDB operations for one `ovsdb-client transact`: it reads only what its operations name,
// where every ovs-vsctl transaction first reads the whole database (docs/ARCHITECTURE.md, "Host commands and what
// they cost").
import { RunResult } from "../transport/runner";

/** One OVSDB operation (RFC 7047, section 5.2). */
export type Op = Record<string, unknown>;

/** The argv that runs these operations on the host's Open_vSwitch database as one transaction. */
export const transactArgv = (ops: readonly Op[]) => [
  "ovsdb-client",
  "transact",
  JSON.stringify(["Open_vSwitch", ...ops]),
];

/** The operations an argv from transactArgv holds, or undefined for any other argv. */
export function opsOf(argv: readonly string[]): Op[] | undefined {
  if (argv[0] !== "ovsdb-client" || argv[1] !== "transact" || argv.length !== 3) return undefined;
  const [db, ...ops] = JSON.parse(argv[2]) as [string, ...Op[]];
  return db === "Open_vSwitch" ? ops : undefined;
}

/** Fails the transaction unless the bridge exists: a mutation that matches no row would succeed and do nothing. */
export const bridgeExists = (bridge: string): Op => ({
  op: "wait",
  timeout: 0,
  table: "Bridge",
  where: [["name", "==", bridge]],
  columns: ["name"],
  until: "==",
  rows: [{ name: bridge }],
});

/** Whether a transaction failed because a bridgeExists wait found no such bridge. */
export const noSuchBridge = (stderr: string) => stderr.includes(`"where" clause test failed`);

/** Whether a transaction failed because a row of that name exists already (Port and Interface names are indexed). */
export const nameTaken = (stderr: string) => /identical values .* for index on column "name"/.test(stderr);

/**
 * Several requests' operations as one transaction: each request's named rows ("uuid-name", and the ["named-uuid",
 * name] values that refer to them) get its index as a prefix, so that two requests may use the same names.
 */
export function joinOps(requests: readonly (readonly Op[])[]): Op[] {
  const rename = (v: unknown, i: number): unknown => {
    if (Array.isArray(v))
      return v.length === 2 && v[0] === "named-uuid" ? ["named-uuid", `r${i}_${v[1]}`] : v.map((x) => rename(x, i));
    if (v && typeof v === "object")
      return Object.fromEntries(
        Object.entries(v).map(([k, x]) => [k, k === "uuid-name" ? `r${i}_${x}` : rename(x, i)]),
      );
    return v;
  };
  return requests.flatMap((ops, i) => ops.map((op) => rename(op, i) as Op));
}

/**
 * ovsdb-client's result as a command's: it exits 0 whether or not the transaction committed, and says which
 * operation failed (and so aborted all of them) in its JSON; that error becomes a non-zero exit with the error on
 * stderr. Output that is not a JSON array (the client could not connect) keeps the client's own exit code.
 */
export function transactResult(r: RunResult): RunResult {
  if (r.code !== 0) return r;
  let results: unknown;
  try {
    results = JSON.parse(r.stdout);
  } catch {
    return { code: 1, stdout: r.stdout, stderr: r.stderr || "ovsdb-client printed no result" };
  }
  const failed = Array.isArray(results)
    ? (results as Array<{ error?: string; details?: string } | null>).find((x) => x?.error)
    : { error: "unexpected result", details: r.stdout };
  return failed ? { code: 1, stdout: r.stdout, stderr: `${failed.error}: ${failed.details ?? ""}`.trim() } : r;
}
