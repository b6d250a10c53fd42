/**
 * A small interpreter for the Python expressions on the `Expect:` lines of the feedparser test
 * corpus (`not bozo and feed['title'] == 'x'`, `len(entries) == 2`, chained `a == b == c`, ...).
 * It evaluates against a plain object instead of eval'ing Python. A name or key the caller does
 * not support raises Unsupported, so the caller can leave that check out rather than fail it.
 */

export class Unsupported extends Error {}
export class PyError extends Error {}

type Tok = { t: 'str' | 'num' | 'name' | 'op'; v: string };

function unescapePy(body: string, raw: boolean): string {
  if (raw) return body;
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|.)/gs, (_, e: string) => {
    switch (e[0]) {
      case 'x':
      case 'u':
      case 'U':
        return String.fromCodePoint(parseInt(e.slice(1), 16));
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case '\n':
        return '';
      default:
        return /^[0-7]+$/.test(e) ? String.fromCodePoint(parseInt(e, 8)) : e;
    }
  });
}

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  const re =
    /\s*(?:([rRuUbB]{0,2})('''[\s\S]*?'''|"""[\s\S]*?"""|'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*")|(\d+\.\d*|\d+)|([A-Za-z_]\w*)|(==|!=|<=|>=|[-+*/%<>()[\]{},.:]))/y;
  let pos = 0;
  while (pos < src.length) {
    if (/^\s*$/.test(src.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(src);
    if (!m) throw new PyError(`cannot tokenize at ${src.slice(pos, pos + 20)}`);
    pos = re.lastIndex;
    if (m[2] !== undefined) {
      const q = m[2].startsWith("'''") || m[2].startsWith('"""') ? 3 : 1;
      out.push({ t: 'str', v: unescapePy(m[2].slice(q, -q), /r/i.test(m[1] ?? '')) });
    } else if (m[3] !== undefined) out.push({ t: 'num', v: m[3] });
    else if (m[4] !== undefined) out.push({ t: 'name', v: m[4] });
    else out.push({ t: 'op', v: m[5]! });
  }
  return out;
}

export type Env = Record<string, unknown>;
/** Lets the caller decide equality of strings (e.g. markup-insensitive). */
export type StrEq = (a: string, b: string) => boolean;

type Node = (env: Env) => unknown;

class P {
  i = 0;
  constructor(
    private readonly toks: Tok[],
    private readonly strEq: StrEq,
  ) {}
  peek(v?: string): boolean {
    const t = this.toks[this.i];
    return !!t && (v === undefined || ((t.t === 'op' || t.t === 'name') && t.v === v));
  }
  take(v: string): void {
    if (!this.peek(v)) throw new PyError(`expected ${v} at token ${this.i}`);
    this.i++;
  }
  expr(): Node {
    let left = this.and();
    while (this.peek('or')) {
      this.i++;
      const l = left;
      const r = this.and();
      left = (env) => truthy(l(env)) ? l(env) : r(env);
    }
    return left;
  }
  and(): Node {
    let left = this.not();
    while (this.peek('and')) {
      this.i++;
      const l = left;
      const r = this.not();
      left = (env) => (truthy(l(env)) ? r(env) : l(env));
    }
    return left;
  }
  not(): Node {
    if (this.peek('not')) {
      this.i++;
      const x = this.not();
      return (env) => !truthy(x(env));
    }
    return this.comparison();
  }
  compOp(): string | null {
    const t = this.toks[this.i];
    if (!t) return null;
    if (t.t === 'op' && ['==', '!=', '<', '>', '<=', '>='].includes(t.v)) return this.i++, t.v;
    if (t.t === 'name' && t.v === 'in') return this.i++, 'in';
    if (t.t === 'name' && t.v === 'is') {
      this.i++;
      if (this.peek('not')) return this.i++, 'is not';
      return 'is';
    }
    if (t.t === 'name' && t.v === 'not' && this.toks[this.i + 1]?.v === 'in') return (this.i += 2), 'not in';
    return null;
  }
  comparison(): Node {
    const first = this.sum();
    const ops: [string, Node][] = [];
    for (let op = this.compOp(); op; op = this.compOp()) ops.push([op, this.sum()]);
    if (!ops.length) return first;
    return (env) => {
      let left = first(env);
      for (const [op, n] of ops) {
        const right = n(env);
        if (!compare(op, left, right, this.strEq)) return false;
        left = right;
      }
      return true;
    };
  }
  sum(): Node {
    let left = this.postfix();
    while (this.peek('+') || this.peek('-')) {
      const op = this.toks[this.i++]!.v;
      const l = left;
      const r = this.postfix();
      left = (env) => {
        const a = l(env);
        const b = r(env);
        if (op === '+') {
          if (typeof a === 'string' && typeof b === 'string') return a + b;
          if (typeof a === 'number' && typeof b === 'number') return a + b;
          throw new Unsupported('+ on non-strings');
        }
        if (typeof a === 'number' && typeof b === 'number') return a - b;
        throw new Unsupported('- on non-numbers');
      };
    }
    return left;
  }
  postfix(): Node {
    let n = this.atom();
    for (;;) {
      if (this.peek('[')) {
        this.i++;
        const k = this.expr();
        this.take(']');
        const base = n;
        n = (env) => index(base(env), k(env));
      } else if (this.peek('.')) {
        this.i++;
        const name = this.toks[this.i++]!.v;
        const base = n;
        if (this.peek('(')) {
          const args = this.args();
          n = (env) => method(base(env), name, args.map((a) => a(env)));
        } else n = (env) => index(base(env), name);
      } else if (this.peek('(')) {
        const args = this.args();
        const fn = n;
        n = (env) => call(fn(env), args.map((a) => a(env)));
      } else return n;
    }
  }
  args(): Node[] {
    this.take('(');
    const out: Node[] = [];
    while (!this.peek(')')) {
      out.push(this.expr());
      if (this.peek(',')) this.i++;
    }
    this.take(')');
    return out;
  }
  atom(): Node {
    const t = this.toks[this.i++];
    if (!t) throw new PyError('unexpected end');
    if (t.t === 'str') {
      let s = t.v;
      while (this.toks[this.i]?.t === 'str') s += this.toks[this.i++]!.v;
      return () => s;
    }
    if (t.t === 'num') return () => Number(t.v);
    if (t.t === 'name') {
      if (t.v === 'None') return () => null;
      if (t.v === 'True') return () => true;
      if (t.v === 'False') return () => false;
      if (t.v === 'u' || t.v === 'r') throw new PyError('bad prefix');
      return (env) => {
        if (!(t.v in env)) throw new Unsupported(`name ${t.v}`);
        return env[t.v];
      };
    }
    if (t.v === '(' || t.v === '[') {
      const close = t.v === '(' ? ')' : ']';
      const items: Node[] = [];
      let tuple = t.v === '[';
      while (!this.peek(close)) {
        items.push(this.expr());
        if (this.peek(',')) {
          this.i++;
          tuple = true;
        }
      }
      this.take(close);
      if (!tuple && items.length === 1) return items[0]!;
      return (env) => items.map((x) => x(env));
    }
    if (t.v === '{') {
      if (!this.peek('}')) throw new Unsupported('dict literal');
      this.i++;
      return () => ({});
    }
    if (t.v === '-') {
      const x = this.atom();
      return (env) => -(x(env) as number);
    }
    throw new PyError(`unexpected ${t.v}`);
  }
}

function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (v && typeof v === 'object') return Object.keys(v).length > 0;
  return !!v;
}

function index(base: unknown, k: unknown): unknown {
  if (Array.isArray(base)) {
    if (typeof k !== 'number') throw new Unsupported('non-numeric index');
    const i = k < 0 ? base.length + k : k;
    if (i < 0 || i >= base.length) throw new PyError('IndexError');
    return base[i];
  }
  if (base && typeof base === 'object') {
    const o = base as Record<string, unknown>;
    if (typeof k !== 'string') throw new Unsupported('non-string key');
    if (!(k in o)) {
      const supported = (o as { __supported?: Set<string> }).__supported;
      if (supported && !supported.has(k)) throw new Unsupported(`key ${k}`);
      throw new PyError(`KeyError ${k}`);
    }
    return o[k];
  }
  throw new Unsupported('index into a scalar');
}

function method(base: unknown, name: string, args: unknown[]): unknown {
  if (name === 'get' && base && typeof base === 'object' && !Array.isArray(base)) {
    try {
      return index(base, args[0]);
    } catch (e) {
      if (e instanceof PyError) return args[1] ?? null;
      throw e;
    }
  }
  throw new Unsupported(`method ${name}`);
}

function call(fn: unknown, args: unknown[]): unknown {
  if (fn === LEN) {
    const x = args[0];
    if (typeof x === 'string' || Array.isArray(x)) return x.length;
    if (x && typeof x === 'object') return Object.keys(x).filter((k) => k !== '__supported').length;
  }
  throw new Unsupported('call');
}

function compare(op: string, a: unknown, b: unknown, strEq: StrEq): boolean {
  const eq = (x: unknown, y: unknown): boolean => {
    if (typeof x === 'string' && typeof y === 'string') return strEq(x, y);
    if (Array.isArray(x) && Array.isArray(y)) return x.length === y.length && x.every((v, i) => eq(v, y[i]));
    if (x && y && typeof x === 'object' && typeof y === 'object') throw new Unsupported('object equality');
    return x === y;
  };
  switch (op) {
    case '==':
      return eq(a, b);
    case '!=':
      return !eq(a, b);
    case 'is':
      return a === b;
    case 'is not':
      return a !== b;
    case 'in':
    case 'not in': {
      let r: boolean;
      if (typeof b === 'string' && typeof a === 'string') r = b.includes(a);
      else if (Array.isArray(b)) r = b.some((x) => eq(a, x));
      else if (b && typeof b === 'object') r = typeof a === 'string' && a in b;
      else throw new Unsupported('in');
      return op === 'in' ? r : !r;
    }
    default:
      if (typeof a === 'number' && typeof b === 'number') {
        return op === '<' ? a < b : op === '>' ? a > b : op === '<=' ? a <= b : a >= b;
      }
      throw new Unsupported(`ordering ${op}`);
  }
}

/** The `len` builtin, for the environment. */
export const LEN = Symbol('len');

/** Parses and evaluates one Expect expression. Throws Unsupported or PyError. */
export function evaluate(src: string, env: Env, strEq: StrEq = (a, b) => a === b): boolean {
  const p = new P(tokenize(src), strEq);
  const node = p.expr();
  if (p.i !== (p as unknown as { toks: Tok[] }).toks.length) throw new PyError('trailing tokens');
  return truthy(node({ len: LEN, ...env }));
}
