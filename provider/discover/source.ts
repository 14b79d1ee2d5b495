// TypeScript source as discover writes it (pure): literals, identifiers from object names, and resource declarations.

/** An expression written as it is (a variable's field such as `red.name`), not as a literal. */
export class Code {
  constructor(readonly text: string) {}
}

/** A value as TypeScript source: strings, numbers, booleans, arrays, objects with identifier keys, and Code. */
export function literal(v: unknown): string {
  if (v instanceof Code) return v.text;
  if (Array.isArray(v)) return `[${v.map(literal).join(", ")}]`;
  if (v && typeof v === "object") {
    const fields = Object.entries(v).filter(([, x]) => x !== undefined);
    if (!fields.length) return "{}";
    const key = (k: string) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k));
    return `{ ${fields.map(([k, x]) => `${key(k)}: ${literal(x)}`).join(", ")} }`;
  }
  return JSON.stringify(v);
}

const RESERVED = new Set(
  [
    "break case catch class const continue debugger default delete do else enum export extends false finally for",
    "function if import in instanceof new null return super switch this throw true try typeof var void while with",
    "yield let static implements interface package private protected public await",
    // The program's own names.
    "host on cfg pulumi vethPort",
  ]
    .join(" ")
    .split(" "),
);

/** A camelCase identifier from an object's name: dhcp-r gives dhcpR, OVS1 gives ovs1, default gives default_. */
export function identifier(name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const camel = words.map((w, i) => (i === 0 ? w.toLowerCase() : w[0].toUpperCase() + w.slice(1))).join("") || "x";
  const id = /^\d/.test(camel) ? `n${camel}` : camel;
  return RESERVED.has(id) ? `${id}_` : id;
}

/** A Pulumi resource name from an object's name (a route's 10.0.0.0/8 gives 10.0.0.0-8). */
export const resourceName = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, "-");

/** Names unique within a scope: a suffix tells apart two objects that would get the same one. */
export class Names {
  private readonly taken = new Set<string>();
  constructor(
    private readonly shape: (s: string) => string,
    private readonly separator: string,
  ) {}
  take(base: string): string {
    const first = this.shape(base);
    let name = first;
    for (let i = 2; this.taken.has(name); i++) name = `${first}${this.separator}${i}`;
    this.taken.add(name);
    return name;
  }
}

/** The order fields are written in: what the object is, where it is, then how it is set (any other after). */
const FIELD_ORDER = [
  "name",
  "namespace",
  "bridge",
  "device",
  "interface",
  "peerName",
  "peerNamespace",
  "type",
  "cidr",
  "destination",
  "via",
  "key",
  "value",
];
const rank = (k: string) => (FIELD_ORDER.includes(k) ? FIELD_ORDER.indexOf(k) : FIELD_ORDER.length);

/**
 * `new Kind("name", { fields, ...on }, opts)`: on one line while it is short, else one field a line, as a formatter
 * lays it out. Unset fields are left out.
 */
export function declaration(kind: string, name: string, fields: Record<string, unknown>, opts?: string): string {
  const written = [
    ...Object.keys(fields)
      .filter((k) => fields[k] !== undefined)
      .sort((a, b) => rank(a) - rank(b))
      .map((k) => `${k}: ${literal(fields[k])}`),
    "...on",
  ];
  const tail = opts ? `, ${opts}` : "";
  const line = `new ${kind}(${JSON.stringify(name)}, { ${written.join(", ")} }${tail})`;
  if (line.length <= 100) return line;
  return `new ${kind}(${JSON.stringify(name)}, {\n${written.map((f) => `  ${f},`).join("\n")}\n}${tail})`;
}
