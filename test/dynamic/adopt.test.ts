// createOrAdopt and the ownership record scripts, run for real by /bin/sh under a temporary run directory: who may
// adopt an object, whose claim stays, and which generation a delete may act on.
import { strict as assert } from "node:assert";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { z } from "zod";
import { createOrAdopt } from "../../provider/dynamic/adopt";
import { checkInputs } from "../../provider/dynamic/check";
import { diffInputs } from "../../provider/dynamic/diff";
import { AnyDefinition } from "../../provider/dynamic/definition";
import { replaces, updates } from "../../provider/dynamic/fields";
import { dropRecord, recordPath, releaseRecord, writeRecord } from "../../provider/ownership/records";
import { claimRecord } from "../helpers/claim";
import { ExistsError } from "../../provider/idempotent";
import { Runner } from "../../provider/transport/runner";
import { RelocatedRunner } from "../helpers/relocated-runner";

const OWNER = "urn:pulumi:s::p::pulumi-nodejs:dynamic/netns:Thing::a";
const OTHER = "urn:pulumi:s::p::pulumi-nodejs:dynamic/netns:Thing::b";

/** A kind whose host is a variable: `exists` says whether the object is there, and every call is counted. */
function fakeKind(host: { exists: boolean; size: number }, calls: string[]): AnyDefinition {
  return {
    kind: "Thing",
    schema: z.object({ name: replaces(z.string()), size: updates(z.number()) }),
    deleteBeforeReplace: true,
    id: (t) => t.name,
    async create(_r, t) {
      calls.push("create");
      if (host.exists) throw new ExistsError(`thing "${t.name}"`);
      Object.assign(host, { exists: true, size: t.size });
      return {};
    },
    async read() {
      calls.push("read");
      return host.exists ? { size: host.size } : undefined;
    },
    async update(_r, _o, t) {
      calls.push("update");
      host.size = t.size;
      return {};
    },
    async delete() {
      calls.push("delete");
      host.exists = false;
    },
  };
}

describe("createOrAdopt and ownership records (real scripts, temporary run directory)", () => {
  let runner: RelocatedRunner;
  const record = () => {
    const p = runner.relocate(recordPath("Thing", "x"));
    return existsSync(p) ? readFileSync(p, "utf8") : undefined;
  };
  beforeEach(() => (runner = new RelocatedRunner()));
  afterEach(() => runner.remove());

  it("claims the record before creating, and leaves it naming this create", async () => {
    const calls: string[] = [];
    await createOrAdopt(fakeKind({ exists: false, size: 0 }, calls), runner, {
      name: "x",
      size: 1,
      owner: OWNER,
      generation: "g1",
    });
    assert.deepEqual(calls, ["create"]);
    assert.equal(record(), `${OWNER}\ng1`);
    assert.ok(runner.asked[0].includes("printf"), "the claim ran before create");
  });

  it("adopts an object its own record names (a crashed up), in place, under the new generation", async () => {
    await writeRecord(runner, "Thing", "x", OWNER, "g0");
    const host = { exists: true, size: 1 };
    const calls: string[] = [];
    await createOrAdopt(fakeKind(host, calls), runner, { name: "x", size: 2, owner: OWNER, generation: "g1" });
    assert.deepEqual(calls, ["create", "read", "update"]);
    assert.equal(host.size, 2);
    assert.equal(record(), `${OWNER}\ng1`, "the old generation's delete will now leave it alone");
  });

  it("refuses an object nobody recorded, and withdraws its own claim", async () => {
    const calls: string[] = [];
    await assert.rejects(
      createOrAdopt(fakeKind({ exists: true, size: 1 }, calls), runner, {
        name: "x",
        size: 1,
        owner: OWNER,
        generation: "g1",
      }),
      /thing "x" already exists/,
    );
    assert.deepEqual(calls, ["create"]);
    assert.equal(record(), undefined, "no claim left behind for a later create to adopt");
    assert.deepEqual(readdirSync(runner.root), [], "and no empty directories");
  });

  it("refuses an object another owner's record names, and leaves that record alone", async () => {
    await writeRecord(runner, "Thing", "x", OTHER, "g9");
    await assert.rejects(
      createOrAdopt(fakeKind({ exists: true, size: 1 }, []), runner, {
        name: "x",
        size: 1,
        owner: OWNER,
        generation: "g1",
      }),
      /already exists/,
    );
    assert.equal(record(), `${OTHER}\ng9`);
  });

  describe("adopt: true (an object made by hand)", () => {
    const inputs = { name: "x", size: 2, owner: OWNER, generation: "g1", adopt: true };

    it("is an input every kind takes, checked as a boolean; once adopted, dropping it is no change", () => {
      const def = fakeKind({ exists: false, size: 0 }, []);
      assert.deepEqual(checkInputs(def, { name: "x", size: 1, adopt: "yes" }).failures, [
        { property: "adopt", reason: "must be true or false" },
      ]);
      assert.deepEqual(checkInputs(def, { name: "x", size: 1, adopt: true }).inputs, {
        name: "x",
        size: 1,
        adopt: true,
      });
      assert.equal(diffInputs(def, { name: "x", size: 1, adopt: true }, { name: "x", size: 1 }).changes, false);
    });

    it("takes it over in place: read as it is, then updated (which marks it), and records it", async () => {
      const host = { exists: true, size: 1 };
      const calls: string[] = [];
      await createOrAdopt(fakeKind(host, calls), runner, inputs);
      assert.deepEqual(calls, ["create", "read", "update"], "never deleted or made again");
      assert.equal(host.size, 2, "the field that updates is changed in place");
      assert.equal(record(), `${OWNER}\ng1`);
    });

    it("updates from an unowned state, so that the update writes both marks", async () => {
      let olds: Record<string, unknown> = {};
      const def = {
        ...fakeKind({ exists: true, size: 1 }, []),
        update: async (_r: unknown, o: Record<string, unknown>) => ((olds = o), {}),
      };
      await createOrAdopt(def as AnyDefinition, runner, inputs);
      assert.deepEqual([olds.owner, olds.generation, olds.size], [undefined, undefined, 1]);
    });

    it("refuses what would need a replace, naming the field and the live value, and changes nothing", async () => {
      const calls: string[] = [];
      const def = { ...fakeKind({ exists: true, size: 1 }, calls), handMade: async () => ({ name: "y", size: 1 }) };
      await assert.rejects(
        createOrAdopt(def, runner, inputs),
        /^Error: Thing "x": cannot adopt the object already there: name: the program says "x", the host has "y"\. Adoption changes in place only what updates/,
      );
      assert.deepEqual(calls, ["create"], "no update, no delete");
      assert.equal(record(), undefined, "its claim withdrawn");
    });

    it("refuses an object carrying another resource's mark, and one it cannot find", async () => {
      const marked = { ...fakeKind({ exists: true, size: 1 }, []), handMade: async () => ({ size: 1, mark: OTHER }) };
      await assert.rejects(createOrAdopt(marked, runner, inputs), /carries the mark of another pulumi-netns resource/);
      const gone = { ...fakeKind({ exists: true, size: 1 }, []), handMade: async () => undefined };
      await assert.rejects(
        createOrAdopt(gone, runner, inputs),
        /cannot adopt: nothing there matches the program \(thing "x" is in the way\)/,
      );
      assert.equal(record(), undefined);
    });

    it("takes over through the kind's takeOver when it has one (a daemon restarting under the library's files)", async () => {
      const calls: string[] = [];
      const def: AnyDefinition = {
        ...fakeKind({ exists: true, size: 1 }, calls),
        handMade: async () => ({ size: 1, hand: 42 }),
        takeOver: async (_r, found) => (calls.push(`takeOver ${String(found.hand)}`), { pid: 7 }),
      };
      assert.deepEqual(await createOrAdopt(def, runner, inputs), { pid: 7 });
      assert.deepEqual(calls, ["create", "takeOver 42"]);
    });

    it("never takes over an object another owner's record names", async () => {
      await writeRecord(runner, "Thing", "x", OTHER, "g9");
      const calls: string[] = [];
      await assert.rejects(createOrAdopt(fakeKind({ exists: true, size: 1 }, calls), runner, inputs), /already exists/);
      assert.deepEqual(calls, ["create"]);
      assert.equal(record(), `${OTHER}\ng9`);
    });
  });

  it("keeps its claim when create fails for another reason after a command (it may have made something)", async () => {
    const def = {
      ...fakeKind({ exists: false, size: 0 }, []),
      create: async (r: Runner) => {
        await r.script("true");
        throw new Error("cut off");
      },
    };
    await assert.rejects(createOrAdopt(def, runner, { name: "x", size: 1, owner: OWNER, generation: "g1" }), /cut off/);
    assert.equal(record(), `${OWNER}\ng1`);
  });

  it("claims nothing when create fails before any command reached the host (it made nothing)", async () => {
    const def = {
      ...fakeKind({ exists: false, size: 0 }, []),
      create: async () => Promise.reject(new Error("refused")),
    };
    await assert.rejects(createOrAdopt(def, runner, { name: "x", size: 1, owner: OWNER, generation: "g1" }), /refused/);
    assert.equal(record(), undefined);
    assert.deepEqual(runner.asked, []);
  });

  it("sends the claim in the round trip of create's first command, ahead of it, and later commands after it", async () => {
    const seen: string[] = [];
    const def = {
      ...fakeKind({ exists: false, size: 0 }, []),
      create: async (r: Runner) => {
        // Both at once: the second waits until the claim has run, and so finds the record written.
        const [first, second] = await Promise.all([
          r.run(["echo", "made"]),
          r.script(`cat ${recordPath("Thing", "x")}`),
        ]);
        seen.push(first.stdout, second.stdout);
        return {};
      },
    };
    // The claim's round trip is slow, so a command that did not wait for it would run first.
    const slowClaim: Runner = {
      target: runner.target,
      run: (argv) => runner.run(argv),
      script: async (text) => {
        if (text.includes("printf")) await new Promise((r) => setTimeout(r, 100));
        return runner.script(text);
      },
    };
    await createOrAdopt(def, slowClaim, { name: "x", size: 1, owner: OWNER, generation: "g1" });
    assert.deepEqual(seen, ["made\n", `${OWNER}\ng1`], "each command gets its own output, none of the claim's");
    assert.equal(runner.asked.length, 2, "two round trips: the claim with the first command, then the second");
    const [withClaim, after] = runner.asked;
    assert.ok(withClaim.indexOf("printf") < withClaim.indexOf("echo made"), "the claim runs first");
    assert.doesNotMatch(after, /printf/, "the claim runs once");
    assert.equal(record(), `${OWNER}\ng1`);
  });

  it("takes over a record whose object is gone", async () => {
    await writeRecord(runner, "Thing", "x", OTHER, "g9");
    await createOrAdopt(fakeKind({ exists: false, size: 0 }, []), runner, {
      name: "x",
      size: 1,
      owner: OWNER,
      generation: "g1",
    });
    assert.equal(record(), `${OWNER}\ng1`);
  });

  it("releases only its own generation's record, says when it was exactly its own, and names the holder otherwise", async () => {
    await writeRecord(runner, "Thing", "x", OWNER, "g2");
    const held = { heldBy: `${OWNER} (generation g2)`, ours: false };
    assert.deepEqual(await releaseRecord(runner, "Thing", "x", OWNER, "g1"), held);
    assert.deepEqual(await releaseRecord(runner, "Thing", "x", OTHER, "g2"), held);
    assert.equal(record(), `${OWNER}\ng2`, "still there");
    assert.deepEqual(await releaseRecord(runner, "Thing", "x", OWNER, "g2"), { heldBy: "", ours: true });
    assert.equal(record(), undefined);
    // A record from before generations matches any generation of its owner.
    await writeRecord(runner, "Thing", "x", OWNER, undefined);
    assert.deepEqual(await releaseRecord(runner, "Thing", "x", OWNER, "g5"), { heldBy: "", ours: false }, "no proof");
    assert.deepEqual(await releaseRecord(runner, "Thing", "x", OWNER, "g2"), { heldBy: "", ours: false }, "no record");
    assert.deepEqual(readdirSync(runner.root), [], "the run directory is gone with its last record");
  });

  it("removes the records released in one round trip with one rm, keeping one claimed again in the same round trip", async () => {
    await writeRecord(runner, "Thing", "x", OWNER, "g1");
    await writeRecord(runner, "Thing", "y", OWNER, "g1");
    runner.asked.length = 0;
    const got = await Promise.all([
      releaseRecord(runner, "Thing", "x", OWNER, "g1"),
      releaseRecord(runner, "Thing", "y", OWNER, "g1"),
      // A replacement's create, claiming the id the old object's delete has just released.
      claimRecord(runner, "Thing", "x", OTHER, "g2"),
    ]);
    assert.deepEqual(got, [
      { heldBy: "", ours: true },
      { heldBy: "", ours: true },
      { owner: "", generation: "" },
    ]);
    assert.equal(runner.asked.length, 1, "one round trip");
    assert.equal(runner.asked[0].match(/\brm\b/g)?.length, 1, `one rm: ${runner.asked[0]}`);
    assert.equal(record(), `${OTHER}\ng2`, "the claim made after the release stands");
    assert.equal(existsSync(runner.relocate(recordPath("Thing", "y"))), false, "the other record is gone");
    await releaseRecord(runner, "Thing", "x", OTHER, "g2");
    assert.deepEqual(readdirSync(runner.root), [], "the run directory is gone with its last record");
  });

  it("removes an empty record a crash left behind when its id is released or dropped", async () => {
    for (const release of [true, false]) {
      const p = runner.relocate(recordPath("Thing", "x"));
      mkdirSync(p.slice(0, p.lastIndexOf("/")), { recursive: true });
      writeFileSync(p, "");
      if (release)
        assert.deepEqual(await releaseRecord(runner, "Thing", "x", OWNER, "g1"), { heldBy: "", ours: false });
      else await dropRecord(runner, "Thing", "x");
      assert.deepEqual(readdirSync(runner.root), [], release ? "released" : "dropped");
    }
  });

  it("claims only a free record, and reports the previous holder", async () => {
    assert.deepEqual(await claimRecord(runner, "Thing", "x", OWNER, "g1"), { owner: "", generation: "" });
    assert.deepEqual(await claimRecord(runner, "Thing", "x", OTHER, "g2"), { owner: OWNER, generation: "g1" });
    assert.equal(record(), `${OWNER}\ng1`, "a held record is not taken by a claim");
  });
});
