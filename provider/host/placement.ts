// Where a resource runs: on a Host, or by a connection of its own; and whether its create adopts what is there.
import type { OnConnection } from "../dynamic/resource";
import type { Host } from "./resource";

/** The input every resource takes: where its commands run, as a Host or as a connection. */
export interface WithConnection extends OnConnection {
  /**
   * The Host this runs on: the resource uses the Host's connection and is made once the Host is ready. Set this
   * or `connection`, not both.
   */
  host?: Host;
}
