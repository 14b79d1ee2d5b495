// A create's ownership claim sent on its own, with the host's other record scripts of the moment, as createOrAdopt
// sends it when no command carried it.
import { OwnerRecord, claimScript, parseRecord } from "../../provider/ownership/records";
import { Runner } from "../../provider/transport/runner";
import { batchingScripts } from "../../provider/writes/batched-scripts";
import { Prelude } from "../../provider/writes/prelude";

/** Claims the record for this create and returns who held it before (empty fields for nobody). */
export async function claimRecord(
  runner: Runner,
  kind: string,
  id: string,
  owner: string,
  generation: string | undefined,
): Promise<OwnerRecord> {
  return parseRecord(await new Prelude(claimScript(kind, id, owner, generation)).output(batchingScripts(runner)));
}
