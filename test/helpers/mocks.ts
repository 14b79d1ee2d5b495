// Pulumi's mocks, set once for the test process, recording what each registration asked for: the inputs, the parent
// and the dependencies (which the mocks' own callback does not see, so the monitor's call is read as well).
import * as pulumi from "@pulumi/pulumi";

export interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  /** The parent's name (the last part of its URN), "" for none. */
  parent: string;
  /** "Kind name" of each resource it depends on (explicit dependsOn and those its inputs came from), sorted. */
  dependencies: string[];
}

export const registered: Registered[] = [];
const requests = new Map<string, { parent: string; dependencies: string[] }>();
const tail = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);
/** "Kind name" of a URN: its own type's last part, and its name. */
const kindAndName = (urn: string) => {
  const type = urn.slice(0, urn.lastIndexOf("::"));
  return `${type.slice(type.lastIndexOf(":") + 1)} ${tail(urn)}`;
};

pulumi.runtime.setMocks(
  {
    newResource: (a) => {
      const seen = requests.get(`${a.type}::${a.name}`) ?? { parent: "", dependencies: [] };
      registered.push({ type: a.type, name: a.name, inputs: a.inputs, ...seen });
      return { id: `${a.name}-id`, state: { ...a.inputs, address: "10.50.50.20/24" } };
    },
    call: (a) => a.inputs,
  },
  "proj",
  "stack",
  false,
);

interface Request {
  getType(): string;
  getName(): string;
  getParent(): string;
  getDependenciesList(): string[];
}
const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource(req: Request, cb: unknown): unknown };
const register = monitor.registerResource.bind(monitor);
monitor.registerResource = (req, cb) => {
  requests.set(`${req.getType()}::${req.getName()}`, {
    parent: req.getParent() ? tail(req.getParent()) : "",
    dependencies: [...new Set(req.getDependenciesList().map(kindAndName))].sort(),
  });
  return register(req, cb);
};

/**
 * Until every registration made so far has reached the mocks: the SDK registers through chains of promises, so this
 * waits until the mocks have seen no new registration for 50 ms.
 */
export async function settle(): Promise<void> {
  for (let quiet = 0, seen = -1; quiet < 10;) {
    await new Promise((done) => setTimeout(done, 5));
    quiet = registered.length === seen ? quiet + 1 : 0;
    seen = registered.length;
  }
}

/** The inputs the latest resource of `type` (its kind, e.g. "Namespace") named `name` was registered with. */
export const inputsOf = (type: string, name: string) =>
  [...registered].reverse().find((r) => r.type.endsWith(`:${type}`) && r.name === name)?.inputs;

/**
 * What was registered since `from` (an index into `registered`), as a test states it: the kind, the name, the parent,
 * the dependencies, and the inputs that were given (not the owner, which is the URN, nor the serialized provider, nor
 * what was left undefined).
 */
export const registeredSince = (from: number) =>
  registered.slice(from).map((r) => ({
    kind: r.type.slice(r.type.lastIndexOf(":") + 1),
    name: r.name,
    parent: r.parent,
    dependencies: r.dependencies,
    inputs: Object.fromEntries(
      Object.entries(r.inputs).filter(([k, v]) => v !== undefined && k !== "owner" && k !== "__provider"),
    ),
  }));
