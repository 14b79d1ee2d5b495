// Mocha root hooks: close pooled SSH connections once every test has run.
import { closeAllPools } from "../provider/transport";

export const mochaHooks = {
  afterAll(): void {
    closeAllPools();
  },
};
