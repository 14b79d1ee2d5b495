// The Probe provider alone in a module: Pulumi then serializes it as one require() of this module.
import { buildProvider } from "../provider";

export = buildProvider("Probe");
