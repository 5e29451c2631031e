// The typed syntax tree of a lockspec file: what the parser builds and the resolver reads.
// Every node carries the span of source text it came from, so that every later diagnostic can
// point at the place (file:line:column and a caret).

import type { Span } from '../diagnostics/span.js';

export type { Span };

export interface Node {
  span: Span;
}

export interface Ident extends Node {
  name: string;
}

// ---------------------------------------------------------------- files and declarations

/** A file holds one algorithm (a model that can be checked) or one module (a library to import). */
export interface SourceFile extends Node {
  kind: 'algorithm' | 'module';
  /** `fair algorithm`: every process weakly fair unless it says otherwise. */
  fair: boolean;
  name: Ident;
  decls: Decl[];
  /**
   * A TLA+ module's ASSUMEs (src/tla): the names of constants among `decls` that must be TRUE,
   * each located at its ASSUME.
   */
  assumptions?: Ident[];
}

/** `waitqueue wq until ready = 1;`: a wait queue (its sleepers, a set of process ids) and the condition they sleep for. */
export interface WaitQueueDecl extends Node {
  kind: 'waitqueue';
  name: Ident;
  until: Expr;
}

/** `completion done;`: a completion, its count of complete() calls not yet waited for. */
export interface CompletionDecl extends Node {
  kind: 'completion';
  name: Ident;
}

export type Decl =
  | WaitQueueDecl
  | CompletionDecl
  | ImportDecl
  | ConstantsDecl
  | ValuesDecl
  | TypeDecl
  | VariablesDecl
  | LockDecl
  | RefcountDecl
  | ObjectDecl
  | MappingDecl
  | DefineDecl
  | InvariantDecl
  | DisableDecl
  | MacroDecl
  | ProcedureDecl
  | ProcessDecl
  | DesignDecl
  | SymmetryDecl
  | PropertyDecl
  | ReachableDecl
  | ActionDecl
  | ConstraintDecl
  | InitDecl;

/** `import "kernel.lspec";` brings every declaration of a module into this file. */
export interface ImportDecl extends Node {
  kind: 'import';
  path: string;
}

/** `constants N = 3, PROCS = {1, 2};` a constant with its default; overridable with --const. */
export interface ConstantsDecl extends Node {
  kind: 'constants';
  items: { name: Ident; value: Expr; span: Span }[];
}

/** `values u1, u2;` declares model values (distinct from every other value). */
export interface ValuesDecl extends Node {
  kind: 'values';
  names: Ident[];
}

/** `type Page = {OLD, NEW};` declares the model values OLD and NEW and the set Page. */
export interface TypeDecl extends Node {
  kind: 'type';
  name: Ident;
  members: Ident[];
}

/** One variable declaration: `x = e` (one initial value) or `x \in S` (any of the set's elements). */
export interface VarDecl extends Node {
  name: Ident;
  /** Null: `variable temp;`, which starts as the model value defaultInitValue (PlusCal's). */
  init: Expr | null;
  initKind: '=' | '\\in';
}

/** `variables x = 0, y \in 0..2;` global variables (also `variable`). */
export interface VariablesDecl extends Node {
  kind: 'variables';
  vars: VarDecl[];
}

/** An optional index `[x \in S]` on kernel declarations: one instance per element of S. */
export interface IndexSpec extends Node {
  name: Ident;
  set: Expr;
}

/** A spinlock's holder must not sleep; a sleeplock's holder may; an rwsem is a sleeping read-write semaphore. */
export type LockKind = 'spin' | 'sleep' | 'rwsem';

/**
 * `spinlock L;` `spinlock bl[b \in Bufs];` `sleeplock page_lock[p \in Page];`, and a lock held from
 * the start: `sleeplock page_lock[p \in Page] held by IF p = NEW THEN "alloc" ELSE nobody;`
 */
export interface LockDecl extends Node {
  kind: 'lock';
  lockKind: LockKind;
  name: Ident;
  index: IndexSpec | null;
  /** Each element's initial holder (a process id, or `nobody`); null: free. */
  holder: Expr | null;
}

/** `refcount c = 0;` `refcount b_count[b \in Bufs] = 0;` `refcount pref[p \in Page] = 3 of page;` */
export interface RefcountDecl extends Node {
  kind: 'refcount';
  name: Ident;
  index: IndexSpec | null;
  init: Expr;
  /** The object family whose members this count keeps alive (free checks it is zero). */
  of: Ident | null;
}

/** `object page[p \in Page] = [data |-> 0];` objects with a lifetime; `free`/`alloc` act on them. */
export interface ObjectDecl extends Node {
  kind: 'object';
  name: Ident;
  index: IndexSpec;
  init: Expr;
}

/** `mapping slot -> page = OLD;` `mapping b_page[b \in Bufs] -> page = OLD;` */
export interface MappingDecl extends Node {
  kind: 'mapping';
  name: Ident;
  index: IndexSpec | null;
  target: Ident;
  init: Expr;
}

/** `define { Op(a, b) == e  f[x \in S] == e }` */
export interface DefineDecl extends Node {
  kind: 'define';
  defs: OperatorDef[];
}

export interface OperatorDef extends Node {
  /** The operator's name; for an infix definition `a ++ b == e`, the operator ("++"). */
  name: Ident;
  params: Ident[];
  /** Per parameter, how many arguments it takes if it is an operator (`F(_)`: 1), else 0; absent when none is. */
  paramArities?: number[];
  /** Named by a `RECURSIVE` declaration: it may call itself, and is evaluated as a call, not expanded in place. */
  recursive?: boolean;
  /** Set for a function definition `f[x \in S] == e` (may be recursive); params is then [x]. */
  fnDomain: Expr | null;
  body: Expr;
}

/**
 * `invariant Name == e;` holds in every reachable state;
 * `final Name == e;` holds in every state where all processes have finished.
 */
export interface InvariantDecl extends Node {
  kind: 'invariant';
  when: 'always' | 'final';
  name: Ident;
  body: Expr;
}

/** `disable NoLeak "the LRU keeps its references";` turns a built-in check off, with a reason. */
export interface DisableDecl extends Node {
  kind: 'disable';
  name: Ident;
  reason: string;
}

export interface MacroDecl extends Node {
  kind: 'macro';
  name: Ident;
  params: Ident[];
  body: Stmt[];
}

export interface ProcedureDecl extends Node {
  kind: 'procedure';
  name: Ident;
  params: Ident[];
  locals: VarDecl[];
  body: Stmt[];
}

/** PlusCal's fairness of a process: none, weak (`fair process`) or strong (`fair+ process`). */
export type Fairness = 'none' | 'weak' | 'strong';

/** `process (P \in S)` / `process P \in S` (a set), `process (P = e)` / `process P = e` (one). */
export interface ProcessDecl extends Node {
  kind: 'process';
  /** As written: `fair` weak, `fair+` strong, nothing: none (a `fair algorithm` makes it weak). */
  fairness: Fairness;
  name: Ident;
  setKind: '=' | '\\in';
  id: Expr;
  locals: VarDecl[];
  body: Stmt[];
  /**
   * The body of a uniprocess algorithm (`{ ... }` among the declarations, no `process`): one
   * process named as the algorithm, whose id is that name; `pc` is its label, `self` undefined.
   */
  uniprocess?: true;
  /**
   * `interrupt process (h = e) preempts S`: an interrupt handler of the CPU that the processes S
   * (an expression of the constants and self, a set of process ids) run on.
   */
  interrupt?: { preempts: Expr };
}

/**
 * `symmetry USERS, OBJS;` the named constant sets of model values are interchangeable: states that
 * differ by a permutation of each set's members are one state (TLC's SYMMETRY).
 */
export interface SymmetryDecl extends Node {
  kind: 'symmetry';
  names: Ident[];
}

/** `property Name == F;` a temporal property of the shapes lockspec checks (TemporalFormula). */
export interface PropertyDecl extends Node {
  kind: 'property';
  name: Ident;
  formula: TemporalFormula;
}

/** `reachable Name == P;` holds when some reachable state satisfies P (a cover property). */
export interface ReachableDecl extends Node {
  kind: 'reachable';
  name: Ident;
  body: Expr;
}

/**
 * `action Name == A;` a hand-written TLA+ action in assignment form (docs/language.md): one atomic
 * step besides the processes' (TLC's `Next == ... \/ Name`); `fair action`: weakly fair.
 */
export interface ActionDecl extends Node {
  kind: 'action';
  fair: boolean;
  name: Ident;
  body: Expr;
}

/** `constraint Name == P;` TLC's CONSTRAINT: a state that falsifies P is counted and checked, never expanded. */
export interface ConstraintDecl extends Node {
  kind: 'constraint';
  name: Ident;
  body: Expr;
}

/** `init == P;` the globals' initial states as a predicate (TLC's `Init` of a hand-written spec). */
export interface InitDecl extends Node {
  kind: 'init';
  body: Expr;
}

/**
 * The temporal formulas lockspec checks: state predicates under []P, <>P, []<>P, <>[]P and
 * P ~> Q (also written [](P => <>Q)), their conjunction, and \A over constant sets.
 */
export type TemporalFormula =
  | { kind: 'forall'; quantifier: 'forall' | 'exists'; binders: Binder[]; body: TemporalFormula; span: Span }
  | { kind: 'and'; parts: TemporalFormula[]; span: Span }
  | { kind: 'leadsTo'; from: Expr; to: Expr; span: Span }
  | { kind: 'always' | 'eventually' | 'infinitelyOften' | 'eventuallyAlways'; body: Expr; span: Span };

/** `design NAME { decls }`: replaces same-named declarations of the file, adds the others. */
export interface DesignDecl extends Node {
  kind: 'design';
  name: Ident;
  description: string | null;
  decls: Decl[];
}

// ---------------------------------------------------------------- statements

export type Stmt =
  | AssignStmt
  | AwaitStmt
  | IfStmt
  | WhileStmt
  | EitherStmt
  | WithStmt
  | GotoStmt
  | AssertStmt
  | SkipStmt
  | PrintStmt
  | CallStmt
  | ReturnStmt
  | InvokeStmt
  | TrylockStmt
  | BlockStmt;

/** Fields shared by every statement: an optional label, its description and its cost. */
export interface StmtBase extends Node {
  label: Label | null;
}

export interface Label extends Node {
  name: Ident;
  /** `lbl "busy check under private_lock":` shown in traces. */
  description: string | null;
  /** `lbl [3]:` the label's cost, for lock hold spans in cost units (default 1). */
  cost: number | null;
  /** `lbl:+` a strongly fair step, `lbl:-` a step without fairness; null: as its process. */
  fairness: 'strong' | 'none' | null;
}

/** An assignment target: a variable, then element `[e]` or field `.f` selectors. */
export interface LValue extends Node {
  name: Ident;
  path: Selector[];
}

export type Selector =
  | { kind: 'index'; args: Expr[]; span: Span }
  | { kind: 'field'; name: Ident; span: Span };

/** `x := e;` or several at once `x := e || y[i] := e2;` */
export interface AssignStmt extends StmtBase {
  kind: 'assign';
  parts: { target: LValue; value: Expr; span: Span }[];
}

/** `await e;` (also `when e;`) */
export interface AwaitStmt extends StmtBase {
  kind: 'await';
  cond: Expr;
}

export interface IfStmt extends StmtBase {
  kind: 'if';
  cond: Expr;
  then: Stmt[];
  else: Stmt[] | null;
}

export interface WhileStmt extends StmtBase {
  kind: 'while';
  cond: Expr;
  body: Stmt[];
}

export interface EitherStmt extends StmtBase {
  kind: 'either';
  branches: Stmt[][];
}

/** `with (x \in S, y = e) { ... }` */
export interface WithStmt extends StmtBase {
  kind: 'with';
  bindings: { name: Ident; kind: '=' | '\\in'; value: Expr; span: Span }[];
  body: Stmt[];
}

export interface GotoStmt extends StmtBase {
  kind: 'goto';
  target: Ident;
}

export interface AssertStmt extends StmtBase {
  kind: 'assert';
  cond: Expr;
}

export interface SkipStmt extends StmtBase {
  kind: 'skip';
}

export interface PrintStmt extends StmtBase {
  kind: 'print';
  value: Expr;
}

/** `call proc(args);` */
export interface CallStmt extends StmtBase {
  kind: 'call';
  name: Ident;
  args: Expr[];
}

export interface ReturnStmt extends StmtBase {
  kind: 'return';
}

/**
 * `name(args);` a macro or a built-in kernel operation (lock, unlock, get, put, free, alloc,
 * might_sleep); the resolver decides which. `might_sleep;` without parentheses has no args.
 */
export interface InvokeStmt extends StmtBase {
  kind: 'invoke';
  name: Ident;
  args: Expr[];
}

/** `x := trylock(L);` the one built-in with a result. */
export interface TrylockStmt extends StmtBase {
  kind: 'trylock';
  target: LValue;
  lock: Expr;
}

/** A braced block `{ ... }` used as a statement. */
export interface BlockStmt extends StmtBase {
  kind: 'block';
  body: Stmt[];
}

// ---------------------------------------------------------------- expressions

export type Expr =
  | NumLit
  | StrLit
  | BoolLit
  | NameExpr
  | AtExpr
  | UnaryExpr
  | BinaryExpr
  | ApplyExpr
  | FieldExpr
  | OpCallExpr
  | SetEnumExpr
  | SetFilterExpr
  | SetMapExpr
  | TupleExpr
  | RecordExpr
  | RecordSetExpr
  | FnConstructorExpr
  | FnSetExpr
  | ExceptExpr
  | IfExpr
  | CaseExpr
  | LetExpr
  | QuantExpr
  | ChooseExpr
  | LambdaExpr
  | PrimeExpr
  | UnchangedExpr;

/** `LAMBDA x, y : e`: an operator written in place, the argument of an operator parameter. */
export interface LambdaExpr extends Node {
  kind: 'lambda';
  params: Ident[];
  body: Expr;
}

/** `x'`: the value of `x` in the next state (in an action only). */
export interface PrimeExpr extends Node {
  kind: 'prime';
  arg: Expr;
}

/** `UNCHANGED e`: `e' = e` (in an action only). */
export interface UnchangedExpr extends Node {
  kind: 'unchanged';
  arg: Expr;
}

export interface NumLit extends Node {
  kind: 'num';
  value: number;
}

export interface StrLit extends Node {
  kind: 'str';
  value: string;
}

export interface BoolLit extends Node {
  kind: 'bool';
  value: boolean;
}

/** Any identifier in an expression: a constant, variable, definition, bound name, `self`, `pc`. */
export interface NameExpr extends Node {
  kind: 'name';
  name: string;
}

/** `@` inside an EXCEPT clause: the old value at that path. */
export interface AtExpr extends Node {
  kind: 'at';
}

export type UnaryOp = '~' | '-' | 'DOMAIN' | 'SUBSET' | 'UNION';

export interface UnaryExpr extends Node {
  kind: 'unary';
  op: UnaryOp;
  arg: Expr;
}

/** Binary operators, always in their canonical TLA+ spelling (aliases are normalised). */
export type BinaryOp =
  | '/\\' | '\\/' | '=>' | '<=>'
  | '=' | '#' | '<' | '<=' | '>' | '>='
  | '\\in' | '\\notin' | '\\subseteq'
  | '\\cup' | '\\cap' | '\\'
  | '+' | '-' | '*' | '\\div' | '%' | '^'
  | '..' | '\\o' | '\\X'
  /** The TLC module's `d :> e` (the function [x \\in {d} |-> e]) and `f @@ g` (f, then g where f is not defined). */
  | ':>' | '@@'
  /** The Bags module's `B1 (+) B2` and `B1 (-) B2` (also `\oplus`, `\ominus`). */
  | '(+)' | '(-)';

export interface BinaryExpr extends Node {
  kind: 'binary';
  op: BinaryOp;
  left: Expr;
  right: Expr;
}

/** Function application `f[a]` or `f[a, b]` (a tuple argument). */
export interface ApplyExpr extends Node {
  kind: 'apply';
  fn: Expr;
  args: Expr[];
}

/** Record field `r.f`. */
export interface FieldExpr extends Node {
  kind: 'field';
  record: Expr;
  field: Ident;
}

/** Operator or built-in call `Op(a, b)`, `Cardinality(S)`, `Len(s)`, ... */
export interface OpCallExpr extends Node {
  kind: 'opcall';
  name: Ident;
  args: Expr[];
}

export interface SetEnumExpr extends Node {
  kind: 'setEnum';
  elems: Expr[];
}

/** A bound name in a quantifier, set former or function constructor: `x \in S`. */
export interface Binder extends Node {
  names: Ident[];
  set: Expr;
}

/** `{x \in S : p}` */
export interface SetFilterExpr extends Node {
  kind: 'setFilter';
  binder: Binder;
  cond: Expr;
}

/** `{e : x \in S, y \in T}` */
export interface SetMapExpr extends Node {
  kind: 'setMap';
  body: Expr;
  binders: Binder[];
}

/** `<<a, b>>` */
export interface TupleExpr extends Node {
  kind: 'tuple';
  elems: Expr[];
}

/** `[a |-> 1, b |-> 2]` */
export interface RecordExpr extends Node {
  kind: 'record';
  fields: { name: Ident; value: Expr; span: Span }[];
}

/** `[a : S, b : T]` the set of records. */
export interface RecordSetExpr extends Node {
  kind: 'recordSet';
  fields: { name: Ident; set: Expr; span: Span }[];
}

/** `[x \in S |-> e]` */
export interface FnConstructorExpr extends Node {
  kind: 'fnCons';
  binders: Binder[];
  body: Expr;
}

/** `[S -> T]` */
export interface FnSetExpr extends Node {
  kind: 'fnSet';
  domain: Expr;
  range: Expr;
}

/** `[f EXCEPT ![a].b = e, ![c] = @ + 1]` */
export interface ExceptExpr extends Node {
  kind: 'except';
  fn: Expr;
  updates: { path: Selector[]; value: Expr; span: Span }[];
}

export interface IfExpr extends Node {
  kind: 'ifExpr';
  cond: Expr;
  then: Expr;
  else: Expr;
}

/** `CASE p1 -> e1 [] p2 -> e2 [] OTHER -> e3` */
export interface CaseExpr extends Node {
  kind: 'case';
  arms: { cond: Expr; value: Expr; span: Span }[];
  other: Expr | null;
}

/** `LET a == 1  f(x) == x + a  g[i \in S] == ... IN e` */
export interface LetExpr extends Node {
  kind: 'let';
  defs: OperatorDef[];
  body: Expr;
}

/** `\A x \in S, y \in T : p`, `\E x \in S : p` */
export interface QuantExpr extends Node {
  kind: 'quant';
  quantifier: 'forall' | 'exists';
  binders: Binder[];
  body: Expr;
}

/** `CHOOSE x \in S : p` */
export interface ChooseExpr extends Node {
  kind: 'choose';
  binder: Binder;
  cond: Expr;
}
