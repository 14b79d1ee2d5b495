// The base of every netns Pulumi resource: the provider, the type token, and the connection kept secret.
import * as pulumi from "@pulumi/pulumi";
import type { ConnectionInput } from "../connection";
import { currentNames, givenTwice, outputNames, Shape, staysKnown } from "./fields";
import { makeProvider } from "./provider";

/** Every field of an object as a Pulumi input (e.g. a secret from config). */
type Inputs<T> = { [K in keyof T]: pulumi.Input<T[K]> };

/**
 * The connection as a Pulumi input: every field, the jump host's included, may itself be an output. A connection
 * typed for @pulumi/command's `remote` resources fits as it is (test/types/command-connection.test.ts).
 */
export type ConnectionArgs = {
  [K in keyof ConnectionInput]: K extends "proxy"
    ? pulumi.Input<Inputs<NonNullable<ConnectionInput["proxy"]>>>
    : pulumi.Input<ConnectionInput[K]>;
};

/** How a resource reaches its host when it is not given a Host, and whether its create adopts what is there. */
export interface OnConnection {
  /**
   * How to reach the host over SSH (field names as the remote connection of Pulumi's command package). Stored as a
   * secret. Leave unset (and `host` too) to run on the machine that runs the Pulumi program.
   */
  connection?: pulumi.Input<ConnectionArgs>;
  /**
   * Take over an object already on the host that was made without this library (by hand, or by a script), instead
   * of failing because it exists: it is marked as if this resource had made it and changed in place where it
   * differs in a field that updates; where a field that replaces differs, the create fails naming the field and the
   * live value, and leaves the object as it was. A dnsmasq, dhclient or HAProxy started by hand restarts under the
   * library's files, keeping its leases. Only a create looks at it: once adopted, removing it is no change
   * (README, "Bringing an existing lab under management").
   */
  adopt?: pulumi.Input<boolean>;
}

/**
 * Where a resource runs, as the base sees it: host/placement.ts's WithConnection, with the Host seen as any resource
 * that has a `connection` output (so that this base does not import the Host, which is built on it).
 */
interface Placement {
  host?: pulumi.Resource & { readonly connection?: pulumi.Output<unknown> };
  connection?: unknown;
}

/**
 * The parent's URN as a plain value, not an output of the parent: an input that depends on a component depends on
 * all of its children, so two siblings each carrying their parent's URN would wait for each other forever.
 */
function parentUrn(parent: pulumi.Resource | undefined): pulumi.Input<string> | undefined {
  if (!parent) return undefined;
  return new Promise<string>((resolve) => parent.urn.apply(resolve));
}

/**
 * The key under which a resource keeps the connection it was given, read from a Host by the resources on it. A
 * global symbol, so that a Host made by another copy of this package (a component library's own) is read too.
 */
const GIVEN_CONNECTION = Symbol.for("pulumi-netns.givenConnection");

/** The connection a Host was given; the Host's output for a Host of a version that did not keep it. */
function connectionOf(host: NonNullable<Placement["host"]>): pulumi.Input<unknown> | undefined {
  return GIVEN_CONNECTION in host ? (host as unknown as Record<symbol, unknown>)[GIVEN_CONNECTION] : host.connection;
}

export abstract class NetnsResource extends pulumi.dynamic.Resource {
  /** The URN of this resource, as the marks on its host objects carry it. */
  declare readonly owner: pulumi.Output<string>;
  /** Which create of this resource made the object on the host; a delete acts only on its own generation. */
  declare readonly generation: pulumi.Output<string>;

  /**
   * @param fields the kind's input fields; @param computed what its create computes: Pulumi exposes on the resource
   * only the names it was registered with
   */
  protected constructor(
    kind: string,
    fields: Shape,
    computed: Shape,
    name: string,
    args: Placement & object,
    opts?: pulumi.CustomResourceOptions,
  ) {
    const { host, ...rest } = args as Placement & Record<string, unknown>;
    if (host && args.connection !== undefined)
      throw new Error(`${kind} "${name}": set host or connection, not both (the Host already has the connection)`);
    const [twice] = givenTwice(fields, rest);
    if (twice) throw new Error(`${kind} "${name}": set ${twice[1]} or ${twice[0]} (its old name), not both`);
    // An input given under its old name is registered under its current one; the old name stays an output.
    const props = currentNames(fields, rest);
    // The connection the Host was given, not the Host's output: in a preview the SDK resolves a registered output
    // that the state lacks as unknown, so a Host on this machine (no connection) would make every resource on it a
    // replace (docs/ARCHITECTURE.md, "Layers"). dependsOn keeps the resource waiting for the Host to be ready.
    const connection = host ? connectionOf(host) : args.connection;
    if (connection !== undefined) props.connection = pulumi.secret(connection);
    // Create gets no URN, so the resource hands its own over: what it makes on the host is marked with it.
    // Without a parent the URN is known now: a plain string costs the program none of an output's promises.
    const type = `pulumi-nodejs:dynamic/netns:${kind}`;
    props.owner = opts?.parent
      ? pulumi.createUrn(name, type, parentUrn(opts.parent))
      : `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${type}::${name}`;
    // Outputs the program did not set still have to be registered, or Pulumi will not expose them; those whose value
    // every up knows beforehand (a default, or unset) are given as that value instead (set below, once the resource
    // has its URN).
    const known = staysKnown(fields, computed, props, opts?.ignoreChanges);
    for (const key of known.keys()) delete props[key];
    for (const out of [...outputNames(fields, computed), "generation"])
      if (!(out in props) && !known.has(out)) props[out] = undefined;
    const secretState = pulumi.mergeOptions(opts, {
      additionalSecretOutputs: ["connection"],
      ...(host && { dependsOn: [host] }),
    });
    // No stack trace for each promise the SDK makes for the outputs: it keeps them only to name a leaked promise, and
    // formatting them was a fifth of a program's CPU (docs/ARCHITECTURE.md, "Layers").
    const stackTraceLimit = Error.stackTraceLimit;
    if (!process.env.PULUMI_DEBUG_PROMISE_LEAKS) Error.stackTraceLimit = 0;
    try {
      super(makeProvider(kind), name, props, secretState, "netns", kind);
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
    Object.defineProperty(this, GIVEN_CONNECTION, { value: args.connection });
    // Each derived from the URN, so that a resource given one still depends on this one; made when first read.
    for (const [key, value] of known) {
      let output: pulumi.Output<unknown> | undefined;
      Object.defineProperty(this, key, { get: () => (output ??= this.urn.apply(() => value)), enumerable: true });
    }
  }
}
