// Mocha root hooks: after every test, sweep what this run created from the lab host; at the end, close SSH pools.
import { closeAllPools } from "../provider/transport";
import { RUN_PREFIX } from "./helpers/lab";
import { sweep } from "./helpers/sweep";

export const mochaHooks = {
  afterAll(): void {
    sweep(RUN_PREFIX);
    closeAllPools();
  },
};
