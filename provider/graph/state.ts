// Reads a stack's resources from `pulumi stack export` JSON or the engine harness's state file, never the host.

/** One resource as both formats store it (only what the graph reads). */
export interface StoredResource {
  urn: string;
  type: string;
  custom: boolean;
  parent?: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
}

/** Type tokens of this package: dynamic resources and components. */
export const RESOURCE_PREFIX = "pulumi-nodejs:dynamic/netns:";
export const COMPONENT_PREFIX = "netns:index:";

/** JSON.parse with an error naming the line and column (and the source) instead of a bare offset. */
export function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    const at = m ? Number(m[1]) : text.length;
    const before = text.slice(0, at).split("\n");
    const why = (e as Error).message
      .replace(/ in JSON at position \d+.*$/, "")
      .replace(/\s*\(line \d+ column \d+\)$/, "");
    throw new Error(
      `${source} is not valid JSON: ${why} at line ${before.length}, column ${before.at(-1)!.length + 1}`,
      { cause: e },
    );
  }
}

/**
 * The resources of a `pulumi stack export` (version 3: deployment.resources) or of a harness state file
 * (resources at the top level). Anything else is an error that says what was expected.
 */
export function resourcesOf(doc: unknown, source: string): StoredResource[] {
  const d = doc as { deployment?: { resources?: unknown }; resources?: unknown } | null;
  const list = d?.deployment ? (d.deployment.resources ?? []) : d?.resources;
  if (!Array.isArray(list))
    throw new Error(
      `${source} is neither a \`pulumi stack export\` (deployment.resources) nor an engine harness state file (resources)`,
    );
  return list.map((r: Partial<StoredResource> & { secretKeys?: string[] }, i) => {
    if (typeof r?.urn !== "string" || typeof r.type !== "string")
      throw new Error(`${source}: resource ${i} has no urn or type`);
    return {
      urn: r.urn,
      type: r.type,
      custom: r.custom ?? false,
      parent: r.parent || undefined,
      inputs: withoutSecrets(r.inputs, r.secretKeys),
      outputs: withoutSecrets(r.outputs, r.secretKeys),
      dependencies: r.dependencies ?? [],
      propertyDependencies: r.propertyDependencies ?? {},
    };
  });
}

/** Pulumi's marker of a secret value in a stack export (encrypted, or plain with --show-secrets). */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** Drops secret values: those the harness lists in secretKeys, and any value a stack export marks as secret. */
function withoutSecrets(p: Record<string, unknown> = {}, secretKeys: string[] = []): Record<string, unknown> {
  const isSecret = (v: unknown) => typeof v === "object" && v !== null && SECRET_SIG in v;
  return Object.fromEntries(Object.entries(p).filter(([k, v]) => !secretKeys.includes(k) && !isSecret(v)));
}

/** The logical name at the end of a URN. */
export const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);
