// Protobuf wire format for the ResourceProvider messages the harness exchanges: JSON-like values as google.protobuf.Struct.
// The Go engine encodes these natively; doing it here with google-protobuf's object model cost the harness more CPU
// than the provider host spent answering, on the same two cores, so the harness reads and writes the bytes directly.

type Props = Record<string, unknown>;

const VARINT = 0;
const FIXED64 = 1;
const BYTES = 2;
const FIXED32 = 5;

/**
 * Writes a message back to front, so every length prefix is known when it is written: one pass, one buffer.
 * Fields and map entries are written in reverse order and so come out in their given order.
 */
class ReverseWriter {
  private buf = Buffer.allocUnsafe(4096);
  private pos = this.buf.length;

  private room(n: number): void {
    if (this.pos >= n) return;
    const used = this.buf.length - this.pos;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, used + n + 1024));
    this.buf.copy(bigger, bigger.length - used, this.pos);
    this.pos = bigger.length - used;
    this.buf = bigger;
  }

  /** Bytes written so far; a message's length is the difference of two marks. */
  get mark(): number {
    return this.buf.length - this.pos;
  }

  varint(n: number): void {
    this.room(10);
    let len = 1;
    for (let v = n; v >= 0x80; v = Math.floor(v / 128)) len++;
    this.pos -= len;
    let v = n;
    for (let i = 0; i < len - 1; i++, v = Math.floor(v / 128)) this.buf[this.pos + i] = (v % 128) | 0x80;
    this.buf[this.pos + len - 1] = v;
  }

  tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  /** A length-delimited field whose body was written since `start`. */
  closeBytes(field: number, start: number): void {
    this.varint(this.mark - start);
    this.tag(field, BYTES);
  }

  string(field: number, s: string): void {
    const len = Buffer.byteLength(s);
    this.room(len);
    this.pos -= len;
    this.buf.write(s, this.pos, len, "utf8");
    this.varint(len);
    this.tag(field, BYTES);
  }

  double(field: number, d: number): void {
    this.room(8);
    this.pos -= 8;
    this.buf.writeDoubleLE(d, this.pos);
    this.tag(field, FIXED64);
  }

  bool(field: number, b: boolean): void {
    this.varint(b ? 1 : 0);
    this.tag(field, VARINT);
  }

  struct(field: number, p: Props): void {
    const start = this.mark;
    this.structBody(p);
    this.closeBytes(field, start);
  }

  private structBody(p: Props): void {
    const keys = Object.keys(p);
    for (let i = keys.length - 1; i >= 0; i--) {
      const v = p[keys[i]];
      // As in JSON, an undefined property is absent.
      if (v === undefined) continue;
      const entry = this.mark;
      this.value(2, v);
      this.string(1, keys[i]);
      this.closeBytes(1, entry);
    }
  }

  private value(field: number, v: unknown): void {
    const start = this.mark;
    if (v === null) {
      this.varint(0);
      this.tag(1, VARINT);
    } else if (typeof v === "number") this.double(2, v);
    else if (typeof v === "string") this.string(3, v);
    else if (typeof v === "boolean") this.bool(4, v);
    else if (Array.isArray(v)) {
      const list = this.mark;
      for (let i = v.length - 1; i >= 0; i--) this.value(1, v[i] === undefined ? null : v[i]);
      this.closeBytes(6, list);
    } else if (typeof v === "object") this.struct(5, v as Props);
    else throw new Error(`cannot encode a ${typeof v} as a protobuf Value`);
    this.closeBytes(field, start);
  }

  finish(): Buffer {
    return this.buf.subarray(this.pos);
  }
}

/** One field of a request, as its type on the wire. */
export type Field = { n: number; string: string } | { n: number; struct: Props } | { n: number; bool: boolean };

/** Encodes a request from its fields; empty strings and false are proto3 defaults and are left out. */
export function encodeMessage(fields: Field[]): Buffer {
  const w = new ReverseWriter();
  for (let i = fields.length - 1; i >= 0; i--) {
    const f = fields[i];
    if ("string" in f) {
      if (f.string !== "") w.string(f.n, f.string);
    } else if ("struct" in f) w.struct(f.n, f.struct ?? {});
    else if (f.bool) w.bool(f.n, true);
  }
  return w.finish();
}

/** Reads fields off a message body. */
export class Reader {
  pos: number;
  constructor(
    private readonly buf: Buffer,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  varint(): number {
    let n = 0;
    for (let scale = 1; ; scale *= 128) {
      if (this.pos >= this.end) throw new Error("protobuf: truncated varint");
      const b = this.buf[this.pos++];
      n += (b & 0x7f) * scale;
      if (b < 0x80) return n;
    }
  }

  /** The next field's number and wire type. */
  tag(): [number, number] {
    const t = this.varint();
    return [Math.floor(t / 8), t % 8];
  }

  /** A length-delimited field's body as its own reader. */
  sub(): Reader {
    const len = this.varint();
    const start = this.pos;
    this.pos += len;
    if (this.pos > this.end) throw new Error("protobuf: truncated field");
    return new Reader(this.buf, start, this.pos);
  }

  /** A length-delimited field's body, not copied. */
  bytes(): Buffer {
    const r = this.sub();
    return r.buf.subarray(r.pos, r.end);
  }

  string(): string {
    const r = this.sub();
    return this.buf.toString("utf8", r.pos, r.end);
  }

  double(): number {
    const d = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return d;
  }

  skip(wire: number): void {
    if (wire === VARINT) this.varint();
    else if (wire === FIXED64) this.pos += 8;
    else if (wire === BYTES) this.sub();
    else if (wire === FIXED32) this.pos += 4;
    else throw new Error(`protobuf: unsupported wire type ${wire}`);
  }

  struct(): Props {
    const out: Props = {};
    while (!this.done) {
      const [n, wire] = this.tag();
      if (n !== 1 || wire !== BYTES) {
        this.skip(wire);
        continue;
      }
      const entry = this.sub();
      let key = "";
      let value: unknown = null;
      while (!entry.done) {
        const [en, ew] = entry.tag();
        if (en === 1 && ew === BYTES) key = entry.string();
        else if (en === 2 && ew === BYTES) value = entry.sub().value();
        else entry.skip(ew);
      }
      out[key] = value;
    }
    return out;
  }

  /** A google.protobuf.Value body, as Struct.toJavaScript gives it. */
  value(): unknown {
    let v: unknown = null;
    while (!this.done) {
      const [n, wire] = this.tag();
      if (n === 1 && wire === VARINT) {
        this.varint();
        v = null;
      } else if (n === 2 && wire === FIXED64) v = this.double();
      else if (n === 3 && wire === BYTES) v = this.string();
      else if (n === 4 && wire === VARINT) v = this.varint() !== 0;
      else if (n === 5 && wire === BYTES) v = this.sub().struct();
      else if (n === 6 && wire === BYTES) {
        const list = this.sub();
        const items: unknown[] = [];
        while (!list.done) {
          const [ln, lw] = list.tag();
          if (ln === 1 && lw === BYTES) items.push(list.sub().value());
          else list.skip(lw);
        }
        v = items;
      } else this.skip(wire);
    }
    return v;
  }
}

export type FieldKind = "string" | "struct" | "bool" | "varint" | "strings" | "messages";

/** Decodes a response by a table of field number to [name, kind]; repeated kinds collect into arrays. */
export function decodeMessage(body: Buffer, fields: Record<number, [string, FieldKind]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const r = new Reader(body);
  while (!r.done) {
    const [n, wire] = r.tag();
    const spec = fields[n];
    if (!spec) {
      r.skip(wire);
      continue;
    }
    const [name, kind] = spec;
    if (kind === "string") out[name] = r.string();
    else if (kind === "struct") out[name] = r.sub().struct();
    else if (kind === "bool") out[name] = r.varint() !== 0;
    else if (kind === "varint") out[name] = r.varint();
    else if (kind === "strings") ((out[name] ??= []) as string[]).push(r.string());
    else ((out[name] ??= []) as Buffer[]).push(r.bytes());
  }
  return out;
}
