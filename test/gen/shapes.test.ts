// The random models of test/gen/models.ts must keep producing the shapes that once hid bugs from
// the differential test, so that their class stays covered: labels inside `if` branches (without
// else, in else branches, nested), `call` followed by `goto` an earlier or a later label, a single
// process's locals read by invariants, LETs in operators defining (recursive) functions over the
// operator's parameters applied to bound names, recursive LET functions capturing bound names,
// nested LETs, LETs in invariants, CHOOSE over strings and over records. Each shape is found in the
// parsed AST of the first models of fixed seeds (no randomness: the test cannot flake), and every
// one of those models must load. LOCKSPEC_SHAPES_VERBOSE=1 prints the counts.
import fc from 'fast-check';
import type { Expr, OperatorDef, SourceFile, Stmt } from '../../src/parser/ast.js';
import { parseSource } from '../../src/parser/parse.js';
import { formatDiagnostic } from '../../src/diagnostics/diagnostics.js';
import { modelArb, renderModel } from './models.js';
import { loadText } from '../helpers.js';

const MODELS = 150;

/** Any AST node, with the names bound around it (by `with`, quantifiers, CHOOSE, set and function formers). */
type AnyNode = { kind?: string; [k: string]: unknown };
interface Visit {
  node: AnyNode;
  bound: ReadonlySet<string>;
}

function walk(x: unknown, bound: ReadonlySet<string>, out: Visit[]): void {
  if (Array.isArray(x)) {
    for (const y of x) walk(y, bound, out);
    return;
  }
  if (x === null || typeof x !== 'object') return;
  const node = x as AnyNode;
  if (typeof node.kind === 'string') out.push({ node, bound });
  let inner = bound;
  if (node.kind === 'with') inner = new Set([...bound, ...(node.bindings as { name: { name: string } }[]).map((b) => b.name.name)]);
  const binders = [...(node.binder ? [node.binder] : []), ...((node.binders as unknown[] | undefined) ?? [])] as { names: { name: string }[] }[];
  if (binders.length) inner = new Set([...bound, ...binders.flatMap((b) => b.names.map((n) => n.name))]);
  for (const [k, v] of Object.entries(node)) if (k !== 'span') walk(v, inner, out);
}

function visits(x: unknown): Visit[] {
  const out: Visit[] = [];
  walk(x, new Set(), out);
  return out;
}

/** The names an expression (or any subtree) mentions. */
const namesIn = (x: unknown): Set<string> => new Set(visits(x).flatMap((v) => (v.node.kind === 'name' ? [v.node.name as string] : [])));
const hasLabel = (stmts: Stmt[] | null): boolean => !!stmts && visits(stmts).some((v) => 'label' in v.node && v.node.label !== null);
const lets = (x: unknown): AnyNode[] => visits(x).flatMap((v) => (v.node.kind === 'let' ? [v.node] : []));
const letFns = (x: unknown): OperatorDef[] => lets(x).flatMap((l) => (l.defs as OperatorDef[]).filter((d) => d.fnDomain !== null));
const recursive = (d: OperatorDef): boolean => namesIn(d.body).has(d.name.name);

/** Every labeled `if` (one holding labels), with whether it lies in a branch of another. */
function labeledIfs(stmts: Stmt[], nested: boolean, out: { s: Stmt & { kind: 'if' }; nested: boolean }[]): void {
  for (const s of stmts) {
    if (s.kind === 'if') {
      const labeled = hasLabel(s.then) || hasLabel(s.else);
      if (labeled) out.push({ s, nested });
      labeledIfs(s.then, nested || labeled, out);
      if (s.else) labeledIfs(s.else, nested || labeled, out);
    } else if (s.kind === 'while' || s.kind === 'block') labeledIfs(s.body, nested, out);
    else if (s.kind === 'either') for (const b of s.branches) labeledIfs(b, nested, out);
  }
}

/** `call p(); goto L;` in a body, with whether L is later than the call. */
/** Every list of statements in a body (blocks of branches, loops and withs), the body first. */
function statementLists(body: Stmt[]): Stmt[][] {
  return [body, ...visits(body).flatMap((v) => Object.values(v.node).filter((x): x is Stmt[] => Array.isArray(x) && x.length > 0 && (x[0] as AnyNode).label !== undefined))];
}

function callGotos(body: Stmt[]): boolean[] {
  const labelAt = new Map<string, number>();
  for (const v of visits(body)) {
    const label = v.node.label as { name: { name: string }; span: { start: number } } | null | undefined;
    if (label) labelAt.set(label.name.name, label.span.start);
  }
  const out: boolean[] = [];
  for (const list of statementLists(body)) {
    list.forEach((s, i) => {
      const next = list[i + 1];
      if (s.kind === 'call' && next?.kind === 'goto' && next.label === null && labelAt.has(next.target.name)) out.push(labelAt.get(next.target.name)! > s.span.start);
    });
  }
  return out;
}

const SHAPES: Record<string, (f: SourceFile) => boolean> = {
  'a label in an if without else': (f) => {
    const ifs: { s: Stmt & { kind: 'if' }; nested: boolean }[] = [];
    for (const d of f.decls) if (d.kind === 'process' || d.kind === 'procedure') labeledIfs(d.body, false, ifs);
    return ifs.some(({ s }) => s.else === null && hasLabel(s.then));
  },
  'a label in an else branch': (f) => visits(f).some(({ node }) => node.kind === 'if' && hasLabel(node.else as Stmt[] | null)),
  'a labeled if nested in a branch of another': (f) => {
    const ifs: { s: Stmt & { kind: 'if' }; nested: boolean }[] = [];
    for (const d of f.decls) if (d.kind === 'process' || d.kind === 'procedure') labeledIfs(d.body, false, ifs);
    return ifs.some((x) => x.nested);
  },
  'call then goto a later label': (f) => f.decls.some((d) => (d.kind === 'process' || d.kind === 'procedure') && callGotos(d.body).includes(true)),
  'call then goto an earlier label': (f) => f.decls.some((d) => (d.kind === 'process' || d.kind === 'procedure') && callGotos(d.body).includes(false)),
  "an invariant reads a single process's local": (f) => {
    const locals = new Set(f.decls.flatMap((d) => (d.kind === 'process' && d.setKind === '=' ? d.locals.map((l) => l.name.name) : [])));
    return f.decls.some((d) => d.kind === 'invariant' && [...namesIn(d.body)].some((n) => locals.has(n)));
  },
  "an operator's LET function over its parameter, applied to a bound name": (f) => appliedToBound(f, () => true),
  "an operator's recursive LET function over its parameter, applied to a bound name": (f) => appliedToBound(f, recursive),
  'a recursive LET function capturing a bound name': (f) =>
    visits(f).some(({ node, bound }) => node.kind === 'let' && (node.defs as OperatorDef[]).some((d) => d.fnDomain !== null && recursive(d) && [...namesIn(d.body)].some((n) => bound.has(n) && !d.params.some((p) => p.name === n)))),
  'an operator with nested LETs': (f) => operators(f).some((d) => lets(d.body).some((l) => lets(l.body).length > 0 || lets(l.defs).length > 0)),
  'a LET in an invariant': (f) => f.decls.some((d) => d.kind === 'invariant' && lets(d.body).length > 0),
  'CHOOSE over strings': (f) => chooses(f).some((s) => s.kind === 'setEnum' && (s.elems as Expr[]).some((e) => e.kind === 'str')),
  'CHOOSE over records': (f) => chooses(f).some((s) => s.kind === 'recordSet' || (s.kind === 'setEnum' && (s.elems as Expr[]).some((e) => e.kind === 'record'))),
};

function operators(f: SourceFile): OperatorDef[] {
  return f.decls.flatMap((d) => (d.kind === 'define' ? d.defs.filter((o) => o.fnDomain === null && o.params.length > 0) : []));
}

/** The set expressions CHOOSE ranges over (after a `\cup`, `\`, the left operand). */
function chooses(f: SourceFile): AnyNode[] {
  const base = (e: AnyNode): AnyNode => (e.kind === 'binary' ? base(e.left as AnyNode) : e);
  return visits(f).flatMap(({ node }) => (node.kind === 'choose' ? [base((node.binder as { set: AnyNode }).set)] : []));
}

/** An operator whose LET defines a function (`which`) over a parameter, called with a bound name as that argument. */
function appliedToBound(f: SourceFile, which: (d: OperatorDef) => boolean): boolean {
  const capturing = new Map<string, number[]>();
  for (const o of operators(f)) {
    const params = letFns(o.body)
      .filter(which)
      .flatMap((d) => o.params.flatMap((p, i) => (namesIn(d.body).has(p.name) ? [i] : [])));
    if (params.length) capturing.set(o.name.name, params);
  }
  return visits(f).some(({ node, bound }) => {
    if (node.kind !== 'opcall') return false;
    const args = node.args as Expr[];
    return (capturing.get((node.name as { name: string }).name) ?? []).some((i) => args[i]?.kind === 'name' && bound.has(args[i].name));
  });
}

describe('the random models keep producing the shapes that hid bugs', () => {
  const counts: Record<string, number> = Object.fromEntries(Object.keys(SHAPES).map((k) => [k, 0]));
  beforeAll(() => {
    for (const m of fc.sample(modelArb, { seed: 42, numRuns: MODELS })) {
      const text = renderModel(m);
      const [diags, ast] = parseSource(text, 'gen.lspec');
      if (!ast) throw new Error(`a generated model does not parse: ${diags[0]?.message}\n${text}`);
      const found = Object.entries(SHAPES).filter(([, has]) => has(ast));
      for (const [name] of found) counts[name]++;
      if (found.length === 0) continue;
      const loaded = loadText(text);
      const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
      if (!loaded.program || errors.length) throw new Error(`a generated model does not load:\n${errors.map((d) => formatDiagnostic(d, loaded.sources)).join('\n')}\n${text}`);
    }
  });

  afterAll(() => {
    if (process.env.LOCKSPEC_SHAPES_VERBOSE) console.log(counts);
  });
  test.each(Object.keys(SHAPES))(`%s: in at least 3 of the first ${MODELS} models`, (name) => {
    expect(counts[name]).toBeGreaterThanOrEqual(3);
  });
});
