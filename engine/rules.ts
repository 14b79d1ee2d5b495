// The Go engine's rules that are pure functions: URNs, ignoreChanges, check failures, and how --diff and outputs show.
import { UNKNOWN } from "../provider/dynamic/unknown";

type Props = Record<string, unknown>;

/** The root stack's type: left out of its children's type chains, and never counted. */
export const ROOT_TYPE = "pulumi:pulumi:Stack";

export function failuresText(failures: Array<{ property: string; reason: string }>): string {
  return failures.map((f) => `${f.property}: ${f.reason}`).join("; ");
}

/** The type chain of a URN (`a$b$c`), from `urn:pulumi:<stack>::<project>::<chain>::<name>`. */
const qualifiedType = (urn: string) => urn.split("::")[2];

/** As the Go engine's generateURN: the parent's type chain, except the root stack's, which is implied. */
export function makeUrn(stack: string, project: string, parent: string, type: string, name: string): string {
  const chain = parent && qualifiedType(parent) !== ROOT_TYPE ? `${qualifiedType(parent)}$${type}` : type;
  return `urn:pulumi:${stack}::${project}::${chain}::${name}`;
}

/** `ignoreChanges` (top-level property names): those inputs keep their old values. */
export function ignoring(news: Props, olds: Props, keys: readonly string[]): Props {
  const out = { ...news };
  for (const k of keys) {
    if (k in olds) out[k] = olds[k];
    else delete out[k];
  }
  return out;
}

/** Top-level properties whose values differ, for `--diff`. */
export function changedKeys(olds: Props, news: Props): string[] {
  const keys = new Set([...Object.keys(olds), ...Object.keys(news)]);
  keys.delete("__provider");
  return [...keys].filter((k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k])).sort();
}

/**
 * How `--diff` shows a property's value: "[secret]" for a secret, "[unknown]" for a value a preview cannot know yet
 * (the SDK's sentinel string would mean nothing to a reader), else JSON.
 */
export function shown(value: unknown, secret: boolean): string | undefined {
  if (secret) return "[secret]";
  return JSON.stringify(value)?.replaceAll(JSON.stringify(UNKNOWN), "[unknown]");
}

/**
 * A stack output as the CLI prints it after up: a value that depends on a failed or skipped resource never became
 * known, and reads `output<string>`, not the SDK's unknown sentinel.
 */
export const shownOutput = (value: unknown): string | undefined =>
  JSON.stringify(value)?.replaceAll(JSON.stringify(UNKNOWN), "output<string>").replaceAll(UNKNOWN, "output<string>");
