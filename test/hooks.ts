// Mocha root hooks and settings: programs run without a second type check; at the end, sweep what this run created
// from the lab host and close SSH pools.
import { closeAllPools } from "../provider/transport";
import { RUN_PREFIX } from "../lab/access";
import { sweep } from "../lab/sweep";

// Programs the engine harness runs skip ts-node's type check (the SDK's own PULUMI_NODEJS_TRANSPILE_ONLY, as a user
// may set it): `npm run typecheck` checks every program in the repo once, and checking again at each program start
// cost about 3 s of each verb on the CI machines (docs/TESTS.md, "The suite").
process.env.PULUMI_NODEJS_TRANSPILE_ONLY ??= "true";

export const mochaHooks = {
  afterAll(): void {
    sweep(RUN_PREFIX);
    closeAllPools();
  },
};
