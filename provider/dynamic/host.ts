// The provider implementation: the serialized provider requires this module by package name at call time.
import { runnerFor } from "../transport";
import { definition } from "../registry";
import { checkInputs } from "./check";
import { diffInputs } from "./diff";

type Props = Record<string, unknown>;

/** Values as the engine can hold them: protobuf Structs have no `undefined`, so unset keys are dropped. */
function storable(props: Props): Props {
  return JSON.parse(JSON.stringify(props)) as Props;
}

/** State without the engine's serialized provider, which is never ours to compare or store twice. */
function own(props: Props): Props {
  const rest = { ...props };
  delete rest.__provider;
  return rest;
}

export async function check(kind: string, _olds: Props, news: Props) {
  return checkInputs(definition(kind), news);
}

export async function diff(kind: string, olds: Props, news: Props) {
  return diffInputs(definition(kind), own(olds), own(news));
}

export async function create(kind: string, props: Props) {
  const def = definition(kind);
  const inputs = own(props);
  const computed = await def.create(runnerFor(inputs.connection), inputs);
  return { id: def.id(inputs), outs: storable({ ...inputs, ...computed }) };
}

export async function read(kind: string, id: string, props: Props) {
  const def = definition(kind);
  const state = own(props);
  const actual = await def.read(runnerFor(state.connection), state);
  // An empty id tells the engine the object is gone.
  return actual ? { id, props: storable({ ...state, ...actual }) } : { id: "", props: {} };
}

export async function update(kind: string, olds: Props, news: Props) {
  const def = definition(kind);
  const state = own(olds);
  const inputs = own(news);
  const computed = await def.update(runnerFor(inputs.connection), state, inputs);
  return { outs: storable({ ...inputs, ...computed }) };
}

export async function remove(kind: string, props: Props) {
  const state = own(props);
  await definition(kind).delete(runnerFor(state.connection), state);
}
