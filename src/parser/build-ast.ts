// Turns a successful match of lockspec.ohm into the typed AST of ast.ts, in one ohm semantics
// operation (`ast`): every node gets its source span, operator aliases get their canonical TLA+
// spelling, and integer literals are range-checked.
import type * as ohm from 'ohm-js';
import type {
  AssertStmt,
  AssignStmt,
  AtExpr,
  AwaitStmt,
  BinaryOp,
  Binder,
  BlockStmt,
  BoolLit,
  CallStmt,
  CaseExpr,
  ChooseExpr,
  ConstantsDecl,
  Decl,
  DefineDecl,
  DesignDecl,
  DisableDecl,
  EitherStmt,
  ExceptExpr,
  Fairness,
  Expr,
  FnConstructorExpr,
  FnSetExpr,
  GotoStmt,
  Ident,
  IfExpr,
  IfStmt,
  LambdaExpr,
  ImportDecl,
  IndexSpec,
  InvariantDecl,
  PropertyDecl,
  ReachableDecl,
  ActionDecl,
  ConstraintDecl,
  InitDecl,
  UnchangedExpr,
  TemporalFormula,
  InvokeStmt,
  Label,
  LetExpr,
  LockDecl,
  WaitQueueDecl,
  CompletionDecl,
  LValue,
  MacroDecl,
  MappingDecl,
  NameExpr,
  NumLit,
  ObjectDecl,
  OpCallExpr,
  OperatorDef,
  PrintStmt,
  ProcedureDecl,
  ProcessDecl,
  QuantExpr,
  RecordExpr,
  RecordSetExpr,
  RefcountDecl,
  ReturnStmt,
  Selector,
  SetEnumExpr,
  SetFilterExpr,
  SetMapExpr,
  SkipStmt,
  SourceFile,
  Span,
  Stmt,
  StrLit,
  SymmetryDecl,
  TrylockStmt,
  TupleExpr,
  TypeDecl,
  UnaryOp,
  ValuesDecl,
  VarDecl,
  VariablesDecl,
  WhileStmt,
  WithStmt,
} from './ast.js';
import { diag, type Diagnostic } from '../diagnostics/diagnostics.js';
import type { Layout } from './column-layout.js';
import type { LockspecActionDict, LockspecGrammar, LockspecSemantics } from './lockspec.ohm-bundle.js';

/** The largest integer literal: values stay within -2^28 .. 2^28-1. */
const MAX_INT = 2 ** 28 - 1;

const BINARY: Record<string, BinaryOp> = {
  '<=>': '<=>', '\\equiv': '<=>', '=>': '=>',
  '\\/': '\\/', '\\lor': '\\/', or: '\\/', '||': '\\/',
  '/\\': '/\\', '\\land': '/\\', '&&': '/\\', and: '/\\',
  '=': '=', '#': '#', '/=': '#', '!=': '#',
  '<': '<', '<=': '<=', '=<': '<=', '\\leq': '<=', '>': '>', '>=': '>=', '\\geq': '>=',
  '\\in': '\\in', '\\notin': '\\notin', '\\subseteq': '\\subseteq',
  '..': '..', '\\cup': '\\cup', '\\union': '\\cup', '\\': '\\', '\\cap': '\\cap', '\\intersect': '\\cap',
  '+': '+', '-': '-', '\\o': '\\o', '*': '*', '\\div': '\\div', '%': '%', '\\X': '\\X', '\\times': '\\X',
  '^': '^', ':>': ':>', '@@': '@@',
  '(+)': '(+)', '(-)': '(-)',
};

/**
 * TLA+'s user-definable infix operators the grammar reads (userInfixOp): `a op b` is a call of the
 * definition `a op b == ...`. Each has its level in its run, on LEVEL's scale: those of Sets bind
 * tighter than \cap (TLA+'s 9-13 against 8), those of Arith as + (++, --, %%, \oplus, \ominus)
 * or as * (the others); those of Cmp do not chain.
 */
const USER_INFIX: Record<string, number> = {
  '\\uplus': 5, '\\sqcap': 5, '\\sqcup': 5, '\\wr': 5, $$: 5, $: 5, '??': 5, '!!': 5, '##': 5,
  '++': 1, '--': 1, '%%': 1, '\\oplus': 1, '\\ominus': 1,
  '**': 3, '&': 3, '\\otimes': 3, '\\oslash': 3, '\\odot': 3, '\\star': 3, '\\bullet': 3, '\\bigcirc': 3, '\\circ': 3,
  '\\preceq': 0, '\\prec': 0, '\\succeq': 0, '\\succ': 0, '\\sqsubseteq': 0, '\\sqsubset': 0, '\\sqsupseteq': 0, '\\sqsupset': 0,
  '\\ll': 0, '\\gg': 0, '\\simeq': 0, '\\sim': 0, '\\approx': 0, '\\cong': 0, '\\asymp': 0, '\\doteq': 0, '\\propto': 0,
};

/** `left op right`: a built-in operator's node, or a user-defined infix operator's call. */
function binaryNode(op: string, opSpan: Span, left: Expr, right: Expr, at: Span): Expr {
  if (op in USER_INFIX) return { kind: 'opcall', name: { name: op, span: opSpan }, args: [left, right], span: at };
  return { kind: 'binary', op: BINARY[op], left, right, span: at };
}

const UNARY: Record<string, UnaryOp> = {
  '~': '~', '!': '~', not: '~', '\\lnot': '~', '\\neg': '~',
  '-': '-', DOMAIN: 'DOMAIN', SUBSET: 'SUBSET', UNION: 'UNION',
};

const FORALL = new Set(['\\A', '\\forall', 'forall']);

// The AST's parts that ast.ts declares inline, and a process's head (split out by the grammar).
type ConstItem = ConstantsDecl['items'][number];
type ProcessHead = Pick<ProcessDecl, 'name' | 'setKind' | 'id'>;
type AssignPart = AssignStmt['parts'][number];
type WithBinding = WithStmt['bindings'][number];
type CaseArm = CaseExpr['arms'][number];
type RecordField = RecordExpr['fields'][number];
type RecordSetField = RecordSetExpr['fields'][number];
type ExceptUpdate = ExceptExpr['updates'][number];
/** A parameter of a definition and, if it is an operator (`F(_)`), how many arguments it takes. */
export type OpParam = { name: Ident; arity: number };

/** What the `ast` operation gives for a node: a piece of the AST, a token's value, or a list of them. */
type Built =
  | SourceFile
  | Decl
  | TemporalFormula
  | ConstItem
  | VarDecl
  | IndexSpec
  | OperatorDef
  | RecursiveDecl
  | OpParam
  | ProcessHead
  | Stmt
  | Label
  | AssignPart
  | LValue
  | Selector
  | WithBinding
  | Expr
  | Binder
  | CaseArm
  | RecordField
  | RecordSetField
  | ExceptUpdate
  | Ident
  | string
  | number
  | Built[];

/** The file being built, its layout and the diagnostics found on the way; set for one build. */
let context: { file: string; layout: Layout | null; diagnostics: Diagnostic[] } = { file: '', layout: null, diagnostics: [] };

function spanFromTo(from: ohm.Node, to: ohm.Node): Span {
  const { file, layout } = context;
  return { file, start: layout!.toSource(from.source.startIdx), end: layout!.toSource(to.source.endIdx) };
}

export function span(node: ohm.Node): Span {
  return spanFromTo(node, node);
}

/** The results of the items of a ListOf / NonemptyListOf node. */
export function list<T>(node: ohm.Node): T[] {
  return node.asIteration().children.map((c: ohm.Node) => c.ast() as T);
}

/** The result of an optional (`x?`) node, or null. */
export function opt<T>(node: ohm.Node): T | null {
  return node.numChildren > 0 ? (node.child(0).ast() as T) : null;
}

function identOf(node: ohm.Node): Ident {
  return { name: node.sourceString, span: span(node) };
}

/** Names the body of a uniprocess algorithm (in the file and its designs) after the algorithm. */
export function nameUniprocess(decls: Decl[], algorithm: Ident): Decl[] {
  return decls.map((d): Decl => {
    if (d.kind === 'design') return { ...d, decls: nameUniprocess(d.decls, algorithm) };
    if (d.kind !== 'process' || !d.uniprocess) return d;
    return { ...d, name: { name: algorithm.name, span: d.span }, id: { kind: 'str', value: algorithm.name, span: d.span } };
  });
}

/** The body of a uniprocess algorithm: a process named by nameUniprocess once the algorithm's name is known. */
export function uniprocessBody(node: ohm.Node, body: Stmt[]): ProcessDecl {
  const name: Ident = { name: '', span: span(node) };
  const id: Expr = { kind: 'str', value: '', span: span(node) };
  return { kind: 'process', fairness: 'none', name, setKind: '=', id, locals: [], body, uniprocess: true, span: span(node) };
}

function binder(names: ohm.Node[], set: ohm.Node): Binder {
  return { names: names.map(identOf), set: set.ast(), span: spanFromTo(names[0], set) };
}

/** `x = e` or `x \\in S`: a variable declaration. */
function varDecl(self: ohm.Node, name: ohm.Node, op: ohm.Node, init: ohm.Node): VarDecl {
  return { name: name.ast(), init: init.ast(), initKind: op.sourceString === '=' ? '=' : '\\in', span: span(self) };
}

/** A branch of if/while/either/with: an unlabeled `{ ... }` stands for its statements. */
function branch(stmt: Stmt): Stmt[] {
  return stmt.kind === 'block' && stmt.label === null ? stmt.body : [stmt];
}

/**
 * How tightly each operator of a flat run binds (see the grammar's Logic, Sets and Arith): a
 * higher level binds tighter. All group to the left except `=>`.
 */
const LEVEL: Partial<Record<BinaryOp, number>> = {
  '<=>': 1, '=>': 2, '\\/': 3, '/\\': 4,
  '@@': 1, ':>': 2, '\\cup': 3, '\\': 3, '\\cap': 4,
  '+': 1, '-': 1, '(+)': 1, '(-)': 1, '\\o': 2, '*': 3, '\\div': 3, '%': 3, '\\X': 4,
};

/** An operand of a run and its span, parentheses included. */
interface Operand {
  expr: Expr;
  span: Span;
}

/**
 * `a op b op c ...` grouped by LEVEL, in a loop with a stack of pending operators (so a run of
 * any length costs no stack depth). A binary node spans its operands, parentheses included.
 */
function grouped(this: ohm.Node, first: ohm.Node, ops: ohm.Node, rest: ohm.Node): Expr {
  // A lone operand, the common case at every level of every expression: nothing to group.
  if (ops.numChildren === 0) return first.ast();
  const operands: Operand[] = [{ expr: first.ast(), span: span(first) }];
  const pending: { op: string; span: Span }[] = [];
  const levelOf = (op: string): number => USER_INFIX[op] ?? LEVEL[BINARY[op]]!;
  const reduce = (): void => {
    const right = operands.pop()!;
    const left = operands.pop()!;
    const at: Span = { file: context.file, start: left.span.start, end: right.span.end };
    const { op, span: opSpan } = pending.pop()!;
    operands.push({ expr: binaryNode(op, opSpan, left.expr, right.expr, at), span: at });
  };
  ops.children.forEach((opNode: ohm.Node, i: number) => {
    const op = opNode.sourceString;
    const level = levelOf(op);
    for (;;) {
      const top = pending.length > 0 ? levelOf(pending[pending.length - 1].op) : 0;
      if (top > level || (top === level && op !== '=>')) reduce();
      else break;
    }
    pending.push({ op, span: span(opNode) });
    const operand = rest.child(i);
    operands.push({ expr: operand.ast(), span: span(operand) });
  });
  while (pending.length > 0) reduce();
  return operands[0].expr;
}

/** `left`, or `left op right` for a level that does not chain (`op right` is optional). */
function optionalBinary(this: ohm.Node, left: ohm.Node, op: ohm.Node, right: ohm.Node): Expr {
  if (op.numChildren === 0) return left.ast();
  return binaryNode(op.child(0).sourceString, span(op.child(0)), left.ast(), right.child(0).ast(), span(this));
}

/** `op op ... operand`: each prefix operator applies to all that follows it. */
function prefixed(this: ohm.Node, _gate: ohm.Node, ops: ohm.Node, _gates: ohm.Node, operand: ohm.Node): Expr {
  let arg: Expr = operand.ast();
  if (ops.numChildren === 0) return arg;
  const end = span(this).end;
  for (let i = ops.numChildren - 1; i >= 0; i--) {
    const op = ops.child(i);
    arg = { kind: 'unary', op: UNARY[op.sourceString], arg, span: { ...span(op), end } };
  }
  return arg;
}

/** A `RECURSIVE` declaration of a define block: the names it declares. */
export interface RecursiveDecl {
  kind: 'recursive';
  names: Ident[];
  span: Span;
}

/**
 * A define block's definitions, those a `RECURSIVE` declaration names marked `recursive`; a name
 * declared RECURSIVE and not defined in the block is an error at the declaration.
 */
export function markRecursive(items: (OperatorDef | RecursiveDecl)[]): OperatorDef[] {
  const defs = items.filter((i): i is OperatorDef => !('kind' in i));
  const declared = items.flatMap((i) => ('kind' in i ? i.names : []));
  for (const name of declared) {
    if (!defs.some((d) => d.name.name === name.name)) context.diagnostics.push(diag('RecursiveUndefined', name.span, name.name));
  }
  return defs.map((d) => (declared.some((n) => n.name === d.name.name) ? { ...d, recursive: true } : d));
}

/** Results of the second child: for rules that only wrap another (a gate or a `;`). */
function second(this: ohm.Node, _first: ohm.Node, inner: ohm.Node): Built {
  return inner.ast();
}

const actions: LockspecActionDict<Built> = {
  _iter(...children) {
    return children.map((c) => c.ast());
  },
  _terminal(): string {
    return this.sourceString;
  },

  // ---------------------------------------------------------------- tokens
  ident(_start, _rest): Ident {
    return identOf(this);
  },
  fieldName(_start, _rest): Ident {
    return identOf(this);
  },
  number(_digits): number {
    const value = Number(this.sourceString);
    if (value > MAX_INT) context.diagnostics.push(diag('BadNumber', span(this), this.sourceString));
    return value;
  },
  string(_open, _chars, _close): string {
    return context.layout!.strings.get(this.source.startIdx)!;
  },

  // ---------------------------------------------------------------- declarations
  File(fair, kind, name, _open, decls, _close): SourceFile {
    const fileKind = kind.sourceString === 'module' ? 'module' : 'algorithm';
    const algorithm: Ident = name.ast();
    return { kind: fileKind, fair: fair.numChildren > 0, name: algorithm, decls: nameUniprocess(decls.ast(), algorithm), span: span(this) };
  },
  UniprocessBody(body, _semi): ProcessDecl {
    return uniprocessBody(this, body.ast());
  },
  PropertyDecl(_kw, name, _eq, formula, _semi): PropertyDecl {
    return { kind: 'property', name: name.ast(), formula: formula.ast(), span: span(this) };
  },
  ReachableDecl(_kw, name, _eq, body, _semi): ReachableDecl {
    return { kind: 'reachable', name: name.ast(), body: body.ast(), span: span(this) };
  },
  HandWrittenDecl(decl): Decl {
    return decl.ast();
  },
  ActionDecl(fair, _kw, name, _eq, body, _semi): ActionDecl {
    return { kind: 'action', fair: fair.numChildren > 0, name: name.ast(), body: body.ast(), span: span(this) };
  },
  ConstraintDecl(_kw, name, _eq, body, _semi): ConstraintDecl {
    return { kind: 'constraint', name: name.ast(), body: body.ast(), span: span(this) };
  },
  InitDecl(_kw, _eq, body, _semi): InitDecl {
    return { kind: 'init', body: body.ast(), span: span(this) };
  },
  Temporal(_bullet, formula): TemporalFormula {
    return formula.ast();
  },
  TemporalAnd_and(left, _op, right): TemporalFormula {
    const l: TemporalFormula = left.ast();
    return { kind: 'and', parts: [...(l.kind === 'and' ? l.parts : [l]), right.ast()], span: span(this) };
  },
  TemporalItem_forall(quantifier, binders, _colon, body): TemporalFormula {
    const q = FORALL.has(quantifier.sourceString) ? 'forall' : 'exists';
    return { kind: 'forall', quantifier: q, binders: list(binders), body: body.ast(), span: span(this) };
  },
  TemporalItem_paren(_open, formula, _close): TemporalFormula {
    return formula.ast();
  },
  TemporalItem_leadsToBox(_box, _open, from, _implies, _diamond, to, _close): TemporalFormula {
    return { kind: 'leadsTo', from: from.ast(), to: to.ast(), span: span(this) };
  },
  TemporalItem_infinitelyOften(_box, _diamond, body): TemporalFormula {
    return { kind: 'infinitelyOften', body: body.ast(), span: span(this) };
  },
  TemporalItem_eventuallyAlways(_diamond, _box, body): TemporalFormula {
    return { kind: 'eventuallyAlways', body: body.ast(), span: span(this) };
  },
  TemporalItem_always(_box, body): TemporalFormula {
    return { kind: 'always', body: body.ast(), span: span(this) };
  },
  TemporalItem_eventually(_diamond, body): TemporalFormula {
    return { kind: 'eventually', body: body.ast(), span: span(this) };
  },
  TemporalItem_leadsTo(from, _op, to): TemporalFormula {
    return { kind: 'leadsTo', from: from.ast(), to: to.ast(), span: span(this) };
  },
  Decl: second,
  ImportDecl(_kw, path, _semi): ImportDecl {
    return { kind: 'import', path: path.ast(), span: span(this) };
  },
  ConstantsDecl(_kw, items, _semi): ConstantsDecl {
    return { kind: 'constants', items: list(items), span: span(this) };
  },
  ConstItem(name, _eq, value): ConstItem {
    return { name: name.ast(), value: value.ast(), span: span(this) };
  },
  ValuesDecl(_kw, names, _semi): ValuesDecl {
    return { kind: 'values', names: list(names), span: span(this) };
  },
  TypeDecl(_kw, name, _eq, _open, members, _close, _semi): TypeDecl {
    return { kind: 'type', name: name.ast(), members: list(members), span: span(this) };
  },
  VariablesDecl(vars, _semi): VariablesDecl {
    return { kind: 'variables', vars: vars.ast(), span: span(this) };
  },
  VarList(_kw, vars): VarDecl[] {
    return list(vars);
  },
  VarDecl_init(name, op, init): VarDecl {
    return varDecl(this, name, op, init);
  },
  VarDecl_bare(name, _next): VarDecl {
    return { name: name.ast(), init: null, initKind: '=', span: span(this) };
  },
  LockDecl(kw, name, index, heldBy, _semi): LockDecl {
    const lockKind = kw.sourceString === 'spinlock' ? 'spin' : kw.sourceString === 'rwsem' ? 'rwsem' : 'sleep';
    return { kind: 'lock', lockKind, name: name.ast(), index: opt(index), holder: opt(heldBy), span: span(this) };
  },
  WaitQueueDecl(_kw, name, _until, cond, _semi): WaitQueueDecl {
    return { kind: 'waitqueue', name: name.ast(), until: cond.ast(), span: span(this) };
  },
  CompletionDecl(_kw, name, _semi): CompletionDecl {
    return { kind: 'completion', name: name.ast(), span: span(this) };
  },
  HeldBy(_held, _by, holder) {
    return holder.ast();
  },
  IndexSpec(_open, name, _in, set, _close): IndexSpec {
    return { name: name.ast(), set: set.ast(), span: span(this) };
  },
  RefcountDecl(_kw, name, index, _eq, init, of, _semi): RefcountDecl {
    return { kind: 'refcount', name: name.ast(), index: opt(index), init: init.ast(), of: opt(of), span: span(this) };
  },
  OfFamily: second,
  ObjectDecl(_kw, name, index, _eq, init, _semi): ObjectDecl {
    return { kind: 'object', name: name.ast(), index: index.ast(), init: init.ast(), span: span(this) };
  },
  MappingDecl(_kw, name, index, _arrow, target, _eq, init, _semi): MappingDecl {
    return {
      kind: 'mapping', name: name.ast(), index: opt(index), target: target.ast(), init: init.ast(), span: span(this),
    };
  },
  DefineDecl(_kw, _open, items, _close, _semi): DefineDecl {
    return { kind: 'define', defs: markRecursive(items.ast()), span: span(this) };
  },
  RecursiveDecl(_kw, signatures): RecursiveDecl {
    return { kind: 'recursive', names: list<OpParam>(signatures).map((s) => s.name), span: span(this) };
  },
  OpDef_fn(name, _open, param, _in, domain, _close, _eq, body): OperatorDef {
    return { name: name.ast(), params: [param.ast()], fnDomain: domain.ast(), body: body.ast(), span: span(this) };
  },
  OpDef_op(name, _open, params, _close, _eq, body): OperatorDef {
    const parts = list<OpParam>(params);
    const def: OperatorDef = { name: name.ast(), params: parts.map((p) => p.name), fnDomain: null, body: body.ast(), span: span(this) };
    return parts.some((p) => p.arity > 0) ? { ...def, paramArities: parts.map((p) => p.arity) } : def;
  },
  OpDef_infix(left, op, right, _eq, body): OperatorDef {
    return { name: { name: op.sourceString, span: span(op) }, params: [left.ast(), right.ast()], fnDomain: null, body: body.ast(), span: span(this) };
  },
  OpParam_operator(name, _open, underscores, _close): OpParam {
    return { name: name.ast(), arity: underscores.asIteration().numChildren };
  },
  OpParam_plain(name): OpParam {
    return { name: name.ast(), arity: 0 };
  },
  OpDef_plain(name, _eq, body): OperatorDef {
    return { name: name.ast(), params: [], fnDomain: null, body: body.ast(), span: span(this) };
  },
  InvariantDecl(kw, name, _eq, body, _semi): InvariantDecl {
    const when = kw.sourceString === 'final' ? 'final' : 'always';
    return { kind: 'invariant', when, name: name.ast(), body: body.ast(), span: span(this) };
  },
  DisableDecl(_kw, name, reason, _semi): DisableDecl {
    return { kind: 'disable', name: name.ast(), reason: reason.ast(), span: span(this) };
  },
  SymmetryDecl(_kw, names, _semi): SymmetryDecl {
    return { kind: 'symmetry', names: list(names), span: span(this) };
  },
  MacroDecl(_kw, name, _open, params, _close, body, _semi): MacroDecl {
    return { kind: 'macro', name: name.ast(), params: list(params), body: body.ast(), span: span(this) };
  },
  ProcedureDecl(_kw, name, _open, params, _close, locals, body, _semi): ProcedureDecl {
    return {
      kind: 'procedure', name: name.ast(), params: list(params), locals: opt(locals) ?? [], body: body.ast(),
      span: span(this),
    };
  },
  ProcessDecl(fair, _kw, head, locals, body, _semi): ProcessDecl {
    const { name, setKind, id } = head.ast();
    const fairness = processFairness(fair);
    return {
      kind: 'process', fairness, name, setKind, id, locals: opt(locals) ?? [], body: body.ast(),
      span: span(this),
    };
  },
  InterruptDecl(fair, _interrupt, _process, head, _preempts, preempts, locals, body, _semi): ProcessDecl {
    const { name, setKind, id } = head.ast();
    const fairness = processFairness(fair);
    return {
      kind: 'process', fairness, name, setKind, id, locals: opt(locals) ?? [], body: body.ast(),
      interrupt: { preempts: preempts.ast() }, span: span(this),
    };
  },
  ProcessHead_paren(_open, id, _close): ProcessHead {
    return id.ast();
  },
  ProcessId(name, op, id): ProcessHead {
    return { name: name.ast(), setKind: op.sourceString === '=' ? '=' : '\\in', id: id.ast() };
  },
  Locals(vars, _semi): VarDecl[] {
    return vars.ast();
  },
  DesignDecl(_kw, name, description, _open, decls, _close, _semi): DesignDecl {
    return { kind: 'design', name: name.ast(), description: opt(description), decls: decls.ast(), span: span(this) };
  },

  // ---------------------------------------------------------------- statements
  Block(_open, stmts, _close): Stmt[] {
    return stmts.ast();
  },
  BlockStmt(block): BlockStmt {
    return { kind: 'block', label: null, body: block.ast(), span: span(this) };
  },
  Stmt(_gate, label, body): Stmt {
    return { ...body.ast(), label: opt(label) };
  },
  Label(name, cost, description, colon): Label {
    const mark = colon.sourceString.slice(1);
    return { name: name.ast(), description: opt(description), cost: opt(cost), fairness: mark === '+' ? 'strong' : mark === '-' ? 'none' : null, span: span(this) };
  },
  LabelCost(_open, cost, _close): number {
    return cost.ast();
  },
  Unlabeled: second,
  UnlabeledBody_compound(stmt, _semi): Stmt {
    return stmt.ast();
  },
  UnlabeledBody_simple(stmt, _end): Stmt {
    return stmt.ast();
  },
  IfStmt(_kw, _open, cond, _close, then, otherwise): IfStmt {
    return { kind: 'if', label: null, cond: cond.ast(), then: then.ast(), else: opt(otherwise), span: span(this) };
  },
  Then(stmt): Stmt[] {
    return branch(stmt.ast());
  },
  ThenBare(label, stmt, _else): Stmt {
    return { ...stmt.ast(), label: opt(label) };
  },
  Else(_kw, stmt): Stmt[] {
    return branch(stmt.ast());
  },
  WhileStmt(_kw, _open, cond, _close, body): WhileStmt {
    return { kind: 'while', label: null, cond: cond.ast(), body: branch(body.ast()), span: span(this) };
  },
  EitherStmt(_kw, firstBranch, rest): EitherStmt {
    return { kind: 'either', label: null, branches: [branch(firstBranch.ast()), ...rest.ast()], span: span(this) };
  },
  OrBranch(_kw, stmt): Stmt[] {
    return branch(stmt.ast());
  },
  WithStmt(_kw, _open, bindings, _close, body): WithStmt {
    return { kind: 'with', label: null, bindings: list(bindings), body: branch(body.ast()), span: span(this) };
  },
  WithBind(name, op, value): WithBinding {
    return { name: name.ast(), kind: op.sourceString === '=' ? '=' : '\\in', value: value.ast(), span: span(this) };
  },
  AwaitStmt(_kw, cond): AwaitStmt {
    return { kind: 'await', label: null, cond: cond.ast(), span: span(this) };
  },
  GotoStmt(_kw, target): GotoStmt {
    return { kind: 'goto', label: null, target: target.ast(), span: span(this) };
  },
  AssertStmt(_kw, cond): AssertStmt {
    return { kind: 'assert', label: null, cond: cond.ast(), span: span(this) };
  },
  SkipStmt(_kw): SkipStmt {
    return { kind: 'skip', label: null, span: span(this) };
  },
  PrintStmt(_kw, value): PrintStmt {
    return { kind: 'print', label: null, value: value.ast(), span: span(this) };
  },
  CallStmt(_kw, name, _open, args, _close): CallStmt {
    return { kind: 'call', label: null, name: name.ast(), args: list(args), span: span(this) };
  },
  ReturnStmt(_kw): ReturnStmt {
    return { kind: 'return', label: null, span: span(this) };
  },
  TrylockStmt(target, _assign, _kw, _open, lock, _close): TrylockStmt {
    return { kind: 'trylock', label: null, target: target.ast(), lock: lock.ast(), span: span(this) };
  },
  AssignStmt(parts): AssignStmt {
    return { kind: 'assign', label: null, parts: list(parts), span: span(this) };
  },
  Assignment(target, _assign, value): AssignPart {
    return { target: target.ast(), value: value.ast(), span: span(this) };
  },
  LValue(name, path): LValue {
    return { name: name.ast(), path: path.ast(), span: span(this) };
  },
  Selector_index(_open, args, _close): Selector {
    return { kind: 'index', args: list(args), span: span(this) };
  },
  Selector_field(_dot, name): Selector {
    return { kind: 'field', name: name.ast(), span: span(this) };
  },
  InvokeStmt_call(name, _open, args, _close): InvokeStmt {
    return { kind: 'invoke', label: null, name: name.ast(), args: list(args), span: span(this) };
  },
  InvokeStmt_bare(_kw): InvokeStmt {
    return { kind: 'invoke', label: null, name: identOf(this), args: [], span: span(this) };
  },

  // ---------------------------------------------------------------- expressions
  Expr(_gate, _bullet, body): Expr {
    return body.ast();
  },
  Logic: grouped,
  Disjunction: grouped,
  Not: prefixed,
  Cmp: optionalBinary,
  Sets: grouped,
  Range: optionalBinary,
  Arith: grouped,
  Unary: prefixed,
  Power: optionalBinary,
  Postfix(primary, selectors): Expr {
    let expr: Expr = primary.ast();
    for (const selector of selectors.children) {
      const at = spanFromTo(primary, selector);
      const part: Expr[] | Ident | 'prime' = selector.ast();
      expr = part === 'prime'
        ? { kind: 'prime', arg: expr, span: at }
        : Array.isArray(part)
        ? { kind: 'apply', fn: expr, args: part, span: at }
        : { kind: 'field', record: expr, field: part, span: at };
    }
    return expr;
  },
  PostfixOpCase_apply(_open, args, _close): Expr[] {
    return list(args);
  },
  PostfixOpCase_field(_dot, field): Ident {
    return field.ast();
  },
  PostfixOpCase_prime(_prime): 'prime' {
    return 'prime';
  },
  PrimaryOther_unchanged(_kw, arg): UnchangedExpr {
    return { kind: 'unchanged', arg: arg.ast(), span: span(this) };
  },
  PrimaryOther_paren(_open, inner, _close): Expr {
    return inner.ast();
  },
  PrimaryOther_true(_kw): BoolLit {
    return { kind: 'bool', value: true, span: span(this) };
  },
  PrimaryOther_false(_kw): BoolLit {
    return { kind: 'bool', value: false, span: span(this) };
  },
  PrimaryOther_num(value): NumLit {
    return { kind: 'num', value: value.ast(), span: span(this) };
  },
  PrimaryOther_str(value): StrLit {
    return { kind: 'str', value: value.ast(), span: span(this) };
  },
  PrimaryOther_at(_at): AtExpr {
    return { kind: 'at', span: span(this) };
  },
  Primary_call(name, _open, args, _close): OpCallExpr {
    return { kind: 'opcall', name: name.ast(), args: list(args), span: span(this) };
  },
  Primary_name(_name): NameExpr {
    return { kind: 'name', name: this.sourceString, span: span(this) };
  },
  IfExpr(_if, cond, _then, then, _else, otherwise): IfExpr {
    return { kind: 'ifExpr', cond: cond.ast(), then: then.ast(), else: otherwise.ast(), span: span(this) };
  },
  CaseExpr(_kw, arms, other): CaseExpr {
    return { kind: 'case', arms: list(arms), other: opt(other), span: span(this) };
  },
  CaseArm(cond, _arrow, value): CaseArm {
    return { cond: cond.ast(), value: value.ast(), span: span(this) };
  },
  CaseOther(_box, _kw, _arrow, value): Expr {
    return value.ast();
  },
  LetExpr(_let, defs, _in, body): LetExpr {
    return { kind: 'let', defs: markRecursive(defs.ast()), body: body.ast(), span: span(this) };
  },
  QuantExpr(quantifier, binders, _colon, body): QuantExpr {
    const q = FORALL.has(quantifier.sourceString) ? 'forall' : 'exists';
    return { kind: 'quant', quantifier: q, binders: list(binders), body: body.ast(), span: span(this) };
  },
  LambdaExpr(_kw, params, _colon, body): LambdaExpr {
    return { kind: 'lambda', params: list(params), body: body.ast(), span: span(this) };
  },
  ChooseExpr(_kw, name, _in, set, _colon, cond): ChooseExpr {
    return { kind: 'choose', binder: binder([name], set), cond: cond.ast(), span: span(this) };
  },
  Binder(names, _in, set): Binder {
    return binder(names.asIteration().children, set);
  },
  SetExpr_filter(_open, name, _in, set, _colon, cond, _close): SetFilterExpr {
    return { kind: 'setFilter', binder: binder([name], set), cond: cond.ast(), span: span(this) };
  },
  SetExpr_map(_open, body, _colon, binders, _close): SetMapExpr {
    return { kind: 'setMap', body: body.ast(), binders: list(binders), span: span(this) };
  },
  SetExpr_enum(_open, elems, _close): SetEnumExpr {
    return { kind: 'setEnum', elems: list(elems), span: span(this) };
  },
  TupleExpr(_open, elems, _close): TupleExpr {
    return { kind: 'tuple', elems: list(elems), span: span(this) };
  },
  BracketExpr_record(_open, fields, _close): RecordExpr {
    return { kind: 'record', fields: list(fields), span: span(this) };
  },
  RecField(name, _arrow, value): RecordField {
    return { name: name.ast(), value: value.ast(), span: span(this) };
  },
  BracketExpr_recordSet(_open, fields, _close): RecordSetExpr {
    return { kind: 'recordSet', fields: list(fields), span: span(this) };
  },
  RecSetField(name, _colon, set): RecordSetField {
    return { name: name.ast(), set: set.ast(), span: span(this) };
  },
  BracketExpr_fnCons(_open, binders, _arrow, body, _close): FnConstructorExpr {
    return { kind: 'fnCons', binders: list(binders), body: body.ast(), span: span(this) };
  },
  BracketExpr_except(_open, fn, _kw, updates, _close): ExceptExpr {
    return { kind: 'except', fn: fn.ast(), updates: list(updates), span: span(this) };
  },
  ExceptUpdate(_bang, path, _eq, value): ExceptUpdate {
    return { path: path.ast(), value: value.ast(), span: span(this) };
  },
  BracketExpr_fnSet(_open, domain, _arrow, range, _close): FnSetExpr {
    return { kind: 'fnSet', domain: domain.ast(), range: range.ast(), span: span(this) };
  },
};

/** The semantics with the `ast` operation for a grammar compiled from lockspec.ohm. */
export function astSemantics(grammar: LockspecGrammar): LockspecSemantics {
  return grammar.createSemantics().addOperation('ast', actions);
}

/**
 * Builds the AST of a successful match of `layout.text`, with spans in the user's text; integer
 * literals out of range come back as diagnostics.
 */
export function buildAst<T>(semantics: LockspecSemantics, match: ohm.MatchResult, layout: Layout, file: string): [Diagnostic[], T] {
  const previous = context;
  context = { file, layout, diagnostics: [] };
  try {
    const ast = semantics(match).ast() as T;
    return [context.diagnostics, ast];
  } finally {
    context = previous;
  }
}

/** `fair` weak, `fair+` strong, nothing: none (the optional `Fair` of a process declaration). */
function processFairness(fair: ohm.Node): Fairness {
  return fair.numChildren === 0 ? 'none' : fair.sourceString.endsWith('+') ? 'strong' : 'weak';
}
