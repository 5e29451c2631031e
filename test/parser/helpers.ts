// Shared helpers for the parser tests: parse-or-fail wrappers and a compact S-expression printer
// for expressions, so that shape and precedence tests read as one line each.
import type { Binder, Expr, Selector, SourceFile, Stmt } from '../../src/parser/ast.js';
import { parseExpression, parseSource } from '../../src/parser/parse.js';

export function parseOk(text: string): SourceFile {
  const [diagnostics, ast] = parseSource(text, 'test.lspec');
  if (diagnostics.length > 0 || !ast) throw new Error(`unexpected diagnostics: ${JSON.stringify(diagnostics)}`);
  return ast;
}

export function exprOk(text: string): Expr {
  const [diagnostics, ast] = parseExpression(text, 'expr');
  if (diagnostics.length > 0 || !ast) throw new Error(`unexpected diagnostics: ${JSON.stringify(diagnostics)}`);
  return ast;
}

/** The statements of the single process `process (P = 1) { ... }` around `body`. */
export function stmtsOk(body: string): Stmt[] {
  const decl = parseOk(`algorithm A { process (P = 1) { ${body} } }`).decls[0];
  if (decl.kind !== 'process') throw new Error('expected a process');
  return decl.body;
}

function binders(bs: Binder[]): string {
  return bs.map((b) => `(${[...b.names.map((n) => n.name), show(b.set)].join(' ')})`).join(' ');
}

function path(p: Selector[]): string {
  return p.map((s) => (s.kind === 'index' ? `[${s.args.map(show).join(' ')}]` : `.${s.name.name}`)).join('');
}

/** `(op left right)` style rendering of an expression, without spans. */
export function show(e: Expr): string {
  switch (e.kind) {
    case 'num': return String(e.value);
    case 'str': return JSON.stringify(e.value);
    case 'bool': return e.value ? 'TRUE' : 'FALSE';
    case 'name': return e.name;
    case 'at': return '@';
    case 'unary': return `(${e.op} ${show(e.arg)})`;
    case 'binary': return `(${e.op} ${show(e.left)} ${show(e.right)})`;
    case 'apply': return `(apply ${[e.fn, ...e.args].map(show).join(' ')})`;
    case 'field': return `(. ${show(e.record)} ${e.field.name})`;
    case 'opcall': return `(${[e.name.name, ...e.args.map(show)].join(' ')})`;
    case 'setEnum': return `{${e.elems.map(show).join(' ')}}`;
    case 'setFilter': return `(filter ${binders([e.binder])} ${show(e.cond)})`;
    case 'setMap': return `(map ${show(e.body)} ${binders(e.binders)})`;
    case 'tuple': return `<<${e.elems.map(show).join(' ')}>>`;
    case 'record': return `(record ${e.fields.map((f) => `${f.name.name} ${show(f.value)}`).join(' ')})`;
    case 'recordSet': return `(recordSet ${e.fields.map((f) => `${f.name.name} ${show(f.set)}`).join(' ')})`;
    case 'fnCons': return `(fn ${binders(e.binders)} ${show(e.body)})`;
    case 'fnSet': return `(-> ${show(e.domain)} ${show(e.range)})`;
    case 'except': return `(except ${show(e.fn)} ${e.updates.map((u) => `${path(u.path)} ${show(u.value)}`).join(' ')})`;
    case 'ifExpr': return `(if ${show(e.cond)} ${show(e.then)} ${show(e.else)})`;
    case 'case':
      return `(case ${e.arms.map((a) => `${show(a.cond)} ${show(a.value)}`).join(' ')}${e.other ? ` other ${show(e.other)}` : ''})`;
    case 'let':
      return `(let ${e.defs
        .map((d) => `(${[d.name.name, ...d.params.map((p) => p.name)].join(' ')}${d.fnDomain ? ` in ${show(d.fnDomain)}` : ''} ${show(d.body)})`)
        .join(' ')} ${show(e.body)})`;
    case 'quant': return `(${e.quantifier} ${binders(e.binders)} ${show(e.body)})`;
    case 'choose': return `(choose ${binders([e.binder])} ${show(e.cond)})`;
    case 'lambda': return `(LAMBDA ${e.params.map((p) => p.name).join(' ')} ${show(e.body)})`;
    case 'prime': return `(' ${show(e.arg)})`;
    case 'unchanged': return `(UNCHANGED ${show(e.arg)})`;
  }
}
