// Probe host operations: create and update observe until the expectation holds or the attempts run out; read observes again.
import { ResourceDefinition } from "../dynamic/definition";
import { Runner } from "../transport/runner";
import { Attempt, attemptScript, mismatch, parseAttempt, probeName } from "./commands";
import { ProbeInputs, probeSchema } from "./schema";

/** Attempts until one sees what the probe expects; the last one otherwise. Undefined when the namespace is gone. */
async function observe(runner: Runner, p: ProbeInputs): Promise<Attempt | undefined> {
  let seen: Attempt | undefined;
  for (let i = 0; i < p.attempts; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, Math.min(200, p.timeoutMs / 5)));
    seen = parseAttempt((await runner.script(attemptScript(p))).stdout);
    if (!seen || seen.observed === p.expect) return seen;
  }
  return seen;
}

const outputs = (seen: Attempt) => ({ observed: seen.observed, rttMs: seen.rttMs, device: seen.device, via: seen.via });

/** Observes and fails naming the probe, its path and what it saw, unless that is what it expects. */
async function prove(runner: Runner, p: ProbeInputs): Promise<Record<string, unknown>> {
  const seen = await observe(runner, p);
  if (!seen) throw new Error(`${probeName(p)}: namespace "${p.namespace}" does not exist`);
  if (seen.observed !== p.expect) throw new Error(mismatch(p, seen));
  return outputs(seen);
}

export const probe: ResourceDefinition<ProbeInputs> = {
  kind: "Probe",
  schema: probeSchema,
  // Nothing on the host carries its name: the new one may be proved first.
  deleteBeforeReplace: false,
  // What the probe reaches for; what it expects of it, and how patiently, changes in place.
  id: (p) => `${p.namespace}/${p.protocol}/${p.target}${p.port !== undefined ? `/${p.port}` : ""}`,

  create: prove,

  // A broken expectation is drift: refresh reports it, and the next up proves the probe again (and fails naming it).
  async read(runner, p) {
    const seen = await observe(runner, p);
    if (!seen) return undefined;
    return { ...outputs(seen), ...(seen.observed !== p.expect && { drift: [mismatch(p, seen)] }) };
  },

  update: (runner, _olds, news) => prove(runner, news),

  // A probe leaves nothing on the host.
  async delete() {},
};
