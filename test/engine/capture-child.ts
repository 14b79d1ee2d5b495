// Runs a Pulumi program under mocks in its own process and prints its resource registrations as JSON.
// Usage: capture-child <program-dir> <project> <stack>; config comes in PULUMI_CONFIG as for a real run.
import { dirname } from "node:path";

const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

interface Raw {
  type: string;
  name: string;
  custom: boolean;
  parent: string;
  object: Record<string, unknown>;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
  deleteBeforeReplace: boolean;
  urn?: string;
}

/** Unwraps secret markers; returns the value and whether any part of it was secret. */
function unwrap(v: unknown): [unknown, boolean] {
  if (Array.isArray(v)) {
    const parts = v.map(unwrap);
    return [parts.map((p) => p[0]), parts.some((p) => p[1])];
  }
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (o[SECRET_SIG_KEY] === SECRET_SIG) return [unwrap(o.value)[0], true];
    let secret = false;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) {
      const [val, s] = unwrap(x);
      out[k] = val;
      secret ||= s;
    }
    return [out, secret];
  }
  return [v, false];
}

async function main(): Promise<void> {
  const [programDir, project, stack] = process.argv.slice(2);
  // The program's own copy of @pulumi/pulumi, as a real run would load it.
  const pulumiDir = dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [programDir] }));
  const pulumi = require(pulumiDir);
  const mocks = require(`${pulumiDir}/runtime/mocks`);
  const raws: Raw[] = [];
  const proto = mocks.MockMonitor.prototype;
  const original = proto.registerResource;
  proto.registerResource = function (req: any, callback: (err: unknown, resp: any) => void) {
    const propDeps: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((v: any, k: string) => (propDeps[k] = v.getUrnsList()));
    const raw: Raw = {
      type: req.getType(),
      name: req.getName(),
      custom: req.getCustom(),
      parent: req.getParent(),
      object: req.getObject()?.toJavaScript() ?? {},
      dependencies: req.getDependenciesList(),
      propertyDependencies: propDeps,
      deleteBeforeReplace: req.getDeletebeforereplace(),
    };
    raws.push(raw);
    return original.call(this, req, (err: unknown, resp: any) => {
      if (!err) raw.urn = resp.getUrn();
      callback(err, resp);
    });
  };
  await pulumi.runtime.setMocks(
    {
      newResource: (args: { name: string; inputs: unknown }) => ({ id: `${args.name}-id`, state: args.inputs }),
      call: (args: { inputs: unknown }) => args.inputs,
    },
    project,
    stack,
    false,
  );
  require(programDir);
  await pulumi.runtime.waitForRPCs?.();
  await new Promise((r) => setTimeout(r, 200));
  await pulumi.runtime.waitForRPCs?.();

  const registrations = raws.map((r) => {
    const inputs: Record<string, unknown> = {};
    const secretKeys: string[] = [];
    for (const [k, v] of Object.entries(r.object)) {
      const [val, secret] = unwrap(v);
      inputs[k] = val;
      if (secret) secretKeys.push(k);
    }
    return { ...r, object: undefined, inputs, secretKeys };
  });
  process.stdout.write(JSON.stringify(registrations));
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
