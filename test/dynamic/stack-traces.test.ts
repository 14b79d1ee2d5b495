// What a resource's registration costs the program in stack traces: the SDK's own source position only, not one
// trace per promise of every output (provider/dynamic/resource.ts says why).
import { strict as assert } from "node:assert";
import { settle } from "../helpers/mocks";
import { Namespace } from "../../provider";

/** The frames of each stack trace formatted while `f` runs, one count per trace. */
function tracesDuring(f: () => void): number[] {
  const before = Error.prepareStackTrace;
  const frames: number[] = [];
  Error.prepareStackTrace = (error, calls) => {
    frames.push(calls.length);
    return before ? before(error, calls) : `${error}`;
  };
  try {
    f();
  } finally {
    Error.prepareStackTrace = before;
  }
  return frames;
}

describe("dynamic/resource stack traces", () => {
  const given = process.env.PULUMI_DEBUG_PROMISE_LEAKS;
  beforeEach(() => delete process.env.PULUMI_DEBUG_PROMISE_LEAKS);
  after(async () => {
    if (given !== undefined) process.env.PULUMI_DEBUG_PROMISE_LEAKS = given;
    await settle();
  });

  it("formats one stack trace with frames, the source position, however many outputs the resource has", () => {
    const limit = Error.stackTraceLimit;
    const frames = tracesDuring(() => new Namespace("traced-red", { name: "red" }));
    assert.equal(frames.filter((n) => n > 0).length, 1, `frames per trace: ${frames.join(",")}`);
    assert.ok(frames.length > 8, `the SDK still makes its promises (${frames.length} traces)`);
    assert.equal(Error.stackTraceLimit, limit, "the limit is restored");
  });

  it("keeps every trace when PULUMI_DEBUG_PROMISE_LEAKS asks for them", () => {
    process.env.PULUMI_DEBUG_PROMISE_LEAKS = "1";
    const frames = tracesDuring(() => new Namespace("traced-blue", { name: "blue" }));
    assert.ok(frames.filter((n) => n > 0).length > 8, `frames per trace: ${frames.join(",")}`);
  });

  it("restores the limit when the registration throws", () => {
    const limit = Error.stackTraceLimit;
    // The SDK's Resource refuses a resource without a name, from inside the registration.
    assert.throws(() => new Namespace("", { name: "red" }), /Missing resource name/);
    assert.equal(Error.stackTraceLimit, limit);
  });
});
