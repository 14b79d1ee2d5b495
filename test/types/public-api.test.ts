// The public API is what provider/index.ts exports, plus the two entry points serialized providers require; every
// other module stays private to the package.
import { strict as assert } from "node:assert";
import { createRequire } from "node:module";
import { join } from "node:path";

const REPO = join(__dirname, "..", "..");
/** Resolves the package as a project beside it would: by name, through package.json "exports". */
const load = (what: string) => createRequire(join(REPO, "package.json"))(what);

describe("public API (built package, resolved by name)", () => {
  it("exports the resources and the connection schema, and nothing else at run time", () => {
    assert.deepEqual(Object.keys(load("pulumi-netns")).sort(), [
      "Address",
      "DhcpClient",
      "DhcpServer",
      "Haproxy",
      "Host",
      "Instance",
      "LoadBalancer",
      "Namespace",
      "Nat",
      "Network",
      "Overlay",
      "OvsBridge",
      "OvsPort",
      "Probe",
      "Process",
      "Route",
      "Router",
      "Sysctl",
      "VethPair",
      "connectionSchema",
    ]);
  });

  it("lets serialized providers require the provider host and each kind's provider", () => {
    assert.equal(typeof load("pulumi-netns/dynamic/host").create, "function");
    assert.equal(typeof load("pulumi-netns/dynamic/kinds/Namespace").create, "function");
  });

  it("keeps internal modules out of reach", () => {
    for (const internal of [
      "pulumi-netns/transport/ssh",
      "pulumi-netns/ownership/records",
      "pulumi-netns/dist/provider/ownership/records.js",
    ])
      assert.throws(() => load(internal), { code: "ERR_PACKAGE_PATH_NOT_EXPORTED" }, internal);
  });
});
