// Name resolution and lowering of expressions: every name in an expression is bound here (bound
// names, process variables, globals, definitions, constants, model values) and the expression is
// turned into IR. Definitions are expanded in place with fresh binder ids; recursive function
// definitions become `recFns`.
//
// Nothing is evaluated twice for being named twice: a LET definition, an operator's argument and a
// zero-argument definition become a `letIn` binding (evaluated at most once, on first use) that
// every use reads by its id; a zero-argument definition that reads no state is folded to its value.
// Bindings live in a frame: one top-level expression, or one recursive function's body, which the
// engines evaluate apart; a binding used from another frame is substituted there instead.
import type * as A from '../parser/ast.js';
import type * as IR from './ir.js';
import { diag, type Diagnostic } from '../diagnostics/diagnostics.js';
import { BUILTIN_ARITY } from './ir.js';
import { mapExpr, someExpr } from './ir-walk.js';
import { BAG_ARITY, bagArith, bagOperator, EMPTY_BAG, isBagOperator } from './bags.js';
import { mkSet, ModelValue, type Value } from './values.js';

/** What a name in the symbol table stands for. */
export type Symbol =
  | { kind: 'const'; value: Value; span: A.Span }
  | { kind: 'modelValue'; value: Value; span: A.Span }
  | { kind: 'global'; index: number; role: GlobalRole; span: A.Span }
  | { kind: 'def'; def: A.OperatorDef; span: A.Span }
  | { kind: 'macro'; decl: A.MacroDecl; span: A.Span }
  | { kind: 'procedure'; index: number; decl: A.ProcedureDecl; span: A.Span }
  | { kind: 'process'; index: number; span: A.Span }
  | { kind: 'invariant'; span: A.Span };

/** What a global's declaration makes it, as far as resolving a kernel primitive's operand needs. */
export type GlobalRole =
  | { kind: 'var' }
  | { kind: 'lock'; lockKind: A.LockKind }
  | { kind: 'refcount' }
  /** `init` and `indexName`: `object page[p \in Page] = init`, for the value `alloc` restores. */
  | { kind: 'object'; init: A.Expr; indexName: string }
  | { kind: 'mapping' }
  | { kind: 'waitqueue' }
  | { kind: 'completion' };

/** A name bound by a binder, a definition parameter (already lowered), or a macro parameter. */
export type Local =
  | { kind: 'ir'; expr: IR.Expr }
  | { kind: 'macroArg'; ast: A.Expr; scope: Scope }
  /** A recursive function (applied with brackets), or a RECURSIVE operator (`operator`: called with parentheses). */
  | { kind: 'recFn'; index: number; arity: number; operator: boolean }
  /** A LET definition with parameters (or a LAMBDA argument): expanded at each use, in the scope it was defined in. */
  | { kind: 'letDef'; def: A.OperatorDef; scope: Scope }
  /** A module-level definition passed as an operator argument: expanded at each use as a call of it. */
  | { kind: 'opRef'; def: A.OperatorDef }
  /** A LET definition without parameters or an operator's argument: a binding its uses share. */
  | { kind: 'shared'; binding: Shared };

/**
 * A value named once and read at each use by `id`: lowered on first use (`value` null before;
 * `ast` in `scope` for a LET definition), bound by a `letIn` around its frame's expression if used.
 */
interface Shared {
  id: number;
  name: string;
  frame: Frame;
  value: IR.Expr | null;
  ast: A.Expr | null;
  scope: Scope | null;
  used: boolean;
}

/** What the engines evaluate apart: a top-level expression, or a recursive function's domain or body. */
interface Frame {
  /** The enclosing frame (null: a top-level expression). */
  parent: Frame | null;
  /** Zero-argument definitions read here (a frame's expression has one mode). */
  defs: Map<A.OperatorDef, Shared>;
  /** Those definitions in the order they were lowered (a definition after those it reads). */
  hoisted: Shared[];
}

/** Where an expression is: which names it may see. */
export interface Scope {
  /** 'const': constants only; 'def': definitions and invariants (process variables are
   * functions of the process id); 'init': a process variable's initial value (self, no state);
   * 'code': a process or procedure body. */
  mode: 'const' | 'def' | 'init' | 'code';
  /** The process template or procedure whose variables are visible as plain names. */
  owner: { kind: 'process' | 'procedure'; index: number } | null;
  locals: Map<string, Local>;
  /** The binder id of `@` inside an EXCEPT clause. */
  at: number | null;
  /** Unknown names become model values (for --const overrides, as TLC's .cfg files do). */
  lenientNames?: boolean;
  /** Definitions being expanded, to report recursion. */
  expanding?: Set<A.OperatorDef>;
  /**
   * In an initial value ('const' or 'init' mode): the initial values of the globals declared
   * before it, which it may read as PlusCal's Init conjuncts do (empty: its own failed, reported;
   * null: it is declared without a value and the `init ==` predicate has not given it one yet).
   */
  initialOf?: (global: number) => Value[] | null;
  /** In an action (src/lang/actions.ts): what `x'` reads, the value the action has given x so far. */
  primed?: (name: A.NameExpr) => IR.Expr;
}

/** The part of the lowering state expressions need. */
export interface ExprEnv {
  symbols: Map<string, Symbol>;
  /** Process variables by owner, name -> index. */
  processVarNames: (owner: { kind: 'process' | 'procedure'; index: number }) => Map<string, number>;
  /** All process-variable indices with that name (for `x` in a definition). */
  processVarsNamed: (name: string) => number[];
  /** The id of the one process a `process (P = id)` declares, for its locals: PlusCal's plain variables. */
  singleProcessId: (owner: IR.ProcessVar['owner']) => Value | null;
  processVarOwner: (index: number) => IR.ProcessVar['owner'];
  /** Every process id (PlusCal's ProcSet), or null before the processes are enumerated. */
  processIds: () => Value[] | null;
  /** The one process id of a uniprocess algorithm, null when it declares processes. */
  uniprocessId: () => Value | null;
  recFns: IR.RecFn[];
  diagnostics: Diagnostic[];
  freshBound: () => number;
  /** Evaluates an expression that reads no state (throws on a runtime error). */
  evaluateClosed: (e: IR.Expr) => Value;
}

/** The expression kinds read as cheaply as a binding: used as they are, never bound. */
const TRIVIAL = new Set<IR.Expr['k']>(['lit', 'bound', 'self', 'global', 'pvar']);

/** The expression kinds that read the state or the running process. */
const STATEFUL = new Set<IR.Expr['k']>(['global', 'pvar', 'pvarOf', 'pvarFn', 'self', 'pcOf', 'pcFn', 'recCall', 'recFnValue', 'objectRead']);

const BIN: Partial<Record<A.BinaryOp, IR.BinOp>> = {
  '=': '=', '#': '#', '<': '<', '<=': '<=', '>': '>', '>=': '>=',
  '\\in': 'in', '\\notin': 'notin', '\\subseteq': 'subseteq',
  '\\cup': 'cup', '\\cap': 'cap', '\\': 'minus',
  '+': '+', '-': '-', '*': '*', '\\div': 'div', '%': '%', '^': '^',
  '..': '..', '\\o': 'concat', '\\X': 'cross', '<=>': 'equiv',
};

const BUILTINS = new Set(['Cardinality', 'IsFiniteSet', 'Len', 'Append', 'Head', 'Tail', 'SubSeq']);

const ERROR_EXPR: IR.Expr = { k: 'lit', value: false };

export class ExprLowering {
  constructor(private env: ExprEnv) {}

  private frame: Frame | null = null;
  /** Every binding by id, to substitute one used outside its frame. */
  private sharedById = new Map<number, Shared>();
  /** Zero-argument definitions read in 'def' mode that read no state: their value (null: not foldable). */
  private folded = new Map<A.OperatorDef, Value | null>();

  /** Lowers `lower()` in a new frame: its used bindings wrap the result. */
  private inFrame(lower: () => IR.Expr): IR.Expr {
    const frame: Frame = { parent: this.frame, defs: new Map(), hoisted: [] };
    this.frame = frame;
    try {
      return this.wrapShared(frame.hoisted, lower());
    } finally {
      this.frame = frame.parent;
    }
  }

  /** `body` inside a `letIn` for each used binding of `bindings` (the first outermost). */
  private wrapShared(bindings: Shared[], body: IR.Expr): IR.Expr {
    return bindings.reduceRight<IR.Expr>((inner, b) => (b.used ? { k: 'letIn', bound: b.id, value: b.value!, body: inner } : inner), body);
  }

  /** A binding of `name` in the current frame; a literal, a bound name or a variable needs none and is used as it is. */
  private share(name: string, value: IR.Expr | null, ast: A.Expr | null, scope: Scope | null): Extract<Local, { kind: 'ir' | 'shared' }> {
    if (value && TRIVIAL.has(value.k)) return { kind: 'ir', expr: value };
    const binding: Shared = { id: this.env.freshBound(), name, frame: this.frame!, value, ast, scope, used: false };
    this.sharedById.set(binding.id, binding);
    return { kind: 'shared', binding };
  }

  /** A use of a binding: its id in its own frame, else its value with every binding substituted. */
  private useShared(b: Shared): IR.Expr {
    if (b.value === null) {
      const here = this.frame;
      this.frame = b.frame;
      try {
        b.value = this.lower(b.ast!, b.scope!);
      } finally {
        this.frame = here;
      }
    }
    if (b.frame === this.frame) {
      b.used = true;
      return { k: 'bound', id: b.id, name: b.name };
    }
    return this.substituteForeign(b.value);
  }

  /** `e` with each read of a binding of another frame replaced by its value (inside a nested frame). */
  private substituteForeign(e: IR.Expr): IR.Expr {
    if (!this.frame?.parent) return e;
    const foreign = (x: IR.Expr): boolean => x.k === 'bound' && this.sharedById.get(x.id)?.frame !== undefined && this.sharedById.get(x.id)!.frame !== this.frame;
    if (!someExpr(e, foreign)) return e;
    return mapExpr(e, (x) => (foreign(x) ? this.useShared(this.sharedById.get((x as { id: number }).id)!) : x));
  }

  private error(d: Diagnostic): IR.Expr {
    this.env.diagnostics.push(d);
    return ERROR_EXPR;
  }

  withLocals(scope: Scope, entries: [string, Local][]): Scope {
    const locals = new Map(scope.locals);
    for (const [n, l] of entries) locals.set(n, l);
    return { ...scope, locals };
  }

  /** Binds each binder's names to fresh ids; returns the ids, their sets and the inner scope. */
  private binders(bs: A.Binder[], scope: Scope): { ids: number[]; sets: IR.Expr[]; inner: Scope } {
    const ids: number[] = [];
    const sets: IR.Expr[] = [];
    const entries: [string, Local][] = [];
    for (const b of bs) {
      const set = this.lower(b.set, scope);
      for (const n of b.names) {
        const id = this.env.freshBound();
        ids.push(id);
        sets.push(set);
        entries.push([n.name, { kind: 'ir', expr: { k: 'bound', id, name: n.name } }]);
      }
    }
    return { ids, sets, inner: this.withLocals(scope, entries) };
  }

  /** Lowers an expression; at the top level (no frame yet) it is a frame of its own. */
  lower(e: A.Expr, scope: Scope): IR.Expr {
    return this.frame ? this.lowerExpr(e, scope) : this.inFrame(() => this.lowerExpr(e, scope));
  }

  private lowerExpr(e: A.Expr, scope: Scope): IR.Expr {
    switch (e.kind) {
      case 'num':
        return { k: 'lit', value: e.value };
      case 'str':
        return { k: 'lit', value: e.value };
      case 'bool':
        return { k: 'lit', value: e.value };
      case 'name':
        return this.name(e, scope);
      case 'at':
        if (scope.at === null) return this.error(diag('AtOutsideExcept', e.span));
        return { k: 'bound', id: scope.at, name: '@' };
      case 'unary': {
        const arg = this.lower(e.arg, scope);
        switch (e.op) {
          case '~':
            return { k: 'not', arg };
          case '-':
            // `-a^b` is one operation, so that -2^28, the least integer, is in range throughout.
            if (arg.k === 'bin' && arg.op === '^') return { ...arg, op: 'negpow', span: e.span };
            return { k: 'neg', arg, span: e.span };
          default:
            return { k: 'builtin', op: e.op, args: [arg], span: e.span };
        }
      }
      case 'binary':
        return this.binary(e, scope);
      case 'apply':
        return this.apply(e, scope);
      case 'field': {
        const rec = this.lower(e.record, scope);
        return this.wrapObjectRead(e.record, scope, { k: 'apply', fn: rec, arg: { k: 'lit', value: e.field.name }, span: e.span });
      }
      case 'opcall':
        return this.opcall(e, scope);
      case 'setEnum':
        return { k: 'setEnum', elems: e.elems.map((x) => this.lower(x, scope)) };
      case 'setFilter': {
        const { ids, sets, inner } = this.binders([e.binder], scope);
        if (ids.length !== 1) return this.error(diag('SyntaxError', e.binder.span, 'one bound name in {x \\in S : p}'));
        return { k: 'setFilter', bound: ids[0], set: sets[0], cond: this.lower(e.cond, inner), span: e.span };
      }
      case 'setMap': {
        const { ids, sets, inner } = this.binders(e.binders, scope);
        return { k: 'setMap', bounds: ids, sets, body: this.lower(e.body, inner), span: e.span };
      }
      case 'tuple':
        return { k: 'tuple', elems: e.elems.map((x) => this.lower(x, scope)) };
      case 'record':
        return { k: 'record', names: e.fields.map((f) => f.name.name), values: e.fields.map((f) => this.lower(f.value, scope)) };
      case 'recordSet':
        return { k: 'recordSet', names: e.fields.map((f) => f.name.name), sets: e.fields.map((f) => this.lower(f.set, scope)), span: e.span };
      case 'fnCons': {
        const { ids, sets, inner } = this.binders(e.binders, scope);
        return { k: 'fnCons', bounds: ids, sets, body: this.lower(e.body, inner), span: e.span };
      }
      case 'fnSet':
        return { k: 'fnSet', domain: this.lower(e.domain, scope), range: this.lower(e.range, scope), span: e.span };
      case 'except': {
        const fn = this.lower(e.fn, scope);
        const updates = e.updates.map((u) => {
          const at = this.env.freshBound();
          return {
            path: u.path.map((sel) => this.selectorKey(sel, scope)),
            at,
            value: this.lower(u.value, { ...scope, at }),
          };
        });
        return { k: 'except', fn, updates, span: e.span };
      }
      case 'ifExpr':
        return { k: 'ite', cond: this.lower(e.cond, scope), then: this.lower(e.then, scope), else: this.lower(e.else, scope) };
      case 'case':
        return {
          k: 'case',
          arms: e.arms.map((a) => ({ cond: this.lower(a.cond, scope), value: this.lower(a.value, scope) })),
          other: e.other ? this.lower(e.other, scope) : null,
          span: e.span,
        };
      case 'let': {
        let inner = scope;
        const shared: Shared[] = [];
        for (const d of e.defs) {
          const local = this.letLocal(d, inner);
          if (local.kind === 'shared') shared.push(local.binding);
          inner = this.withLocals(inner, [[d.name.name, local]]);
        }
        return this.wrapShared(shared, this.lower(e.body, inner));
      }
      case 'quant': {
        const { ids, sets, inner } = this.binders(e.binders, scope);
        return { k: 'quant', forall: e.quantifier === 'forall', bounds: ids, sets, body: this.lower(e.body, inner), span: e.span };
      }
      case 'choose': {
        const { ids, sets, inner } = this.binders([e.binder], scope);
        return { k: 'choose', bound: ids[0], set: sets[0], cond: this.lower(e.cond, inner), span: e.span };
      }
      case 'prime':
        if (!scope.primed) return this.error(diag('PrimeOutsideAction', e.span, 'a primed variable'));
        if (e.arg.kind !== 'name') return this.error(diag('PrimeNotVariable', e.arg.span, 'this expression'));
        return scope.primed(e.arg);
      case 'unchanged':
        // In an action, UNCHANGED is read as a step (src/lang/actions.ts), never as a value.
        return this.error(diag(scope.primed ? 'ActionForm' : 'PrimeOutsideAction', e.span, 'UNCHANGED'));
      case 'lambda':
        return this.error(diag('LambdaOutsideArgument', e.span));
    }
  }

  /** A selector of an EXCEPT path or an assignment target, as the key it selects. */
  selectorKey(sel: A.Selector, scope: Scope): IR.Expr {
    if (sel.kind === 'field') return { k: 'lit', value: sel.name.name };
    const args = sel.args.map((a) => this.lower(a, scope));
    return args.length === 1 ? args[0] : { k: 'tuple', elems: args };
  }

  /** A LET definition: a function definition, a named expression, or an operator with parameters. */
  private letLocal(d: A.OperatorDef, scope: Scope): Local {
    if (d.fnDomain) return this.recFnLocal(d, scope);
    if (d.recursive && d.params.length > 0) return this.recursiveOperator(d, scope);
    if (d.params.length === 0) return this.share(d.name.name, null, d.body, scope);
    return { kind: 'letDef', def: d, scope };
  }

  private recFnLocal(d: A.OperatorDef, scope: Scope): Local {
    const index = this.env.recFns.length;
    const param = this.env.freshBound();
    const placeholder: IR.RecFn = { name: d.name.name, param, domain: ERROR_EXPR, body: ERROR_EXPR };
    this.env.recFns.push(placeholder);
    const self: Local = { kind: 'recFn', index, arity: 1, operator: false };
    const inner = this.withLocals(scope, [
      [d.name.name, self],
      [d.params[0].name, { kind: 'ir', expr: { k: 'bound', id: param, name: d.params[0].name } }],
    ]);
    placeholder.domain = this.inFrame(() => this.lower(d.fnDomain!, scope));
    placeholder.body = this.inFrame(() => this.lower(d.body, inner));
    return self;
  }

  private name(e: A.NameExpr, scope: Scope): IR.Expr {
    const n = e.name;
    const local = scope.locals.get(n);
    if (local) return this.useLocal(local, n, [], e.span);
    const uniprocess = this.env.uniprocessId();
    if (n === 'self') {
      if (uniprocess !== null) return this.error(diag('NotInUniprocess', e.span, '"self"', 'its body has no process id'));
      if (scope.mode === 'code' || scope.mode === 'init') return { k: 'self' };
      return this.error(diag('UnknownName', e.span, n));
    }
    if (n === 'pc' && (scope.mode === 'code' || scope.mode === 'def')) {
      return uniprocess === null ? { k: 'pcFn' } : { k: 'pcOf', proc: { k: 'lit', value: uniprocess } };
    }
    const pv = this.processVar(n, scope, e.span);
    if (pv) return pv;
    const sym = this.env.symbols.get(n);
    if (!sym) {
      const builtin = this.builtinSet(n, e.span);
      if (builtin) return builtin;
      if (scope.lenientNames) return { k: 'lit', value: new ModelValue(n) };
      return this.error(diag('UnknownName', e.span, n));
    }
    return this.symbol(sym, n, [], e.span, scope);
  }

  /**
   * The built-in sets a declaration of the same name hides: BOOLEAN, Nat and Int, and PlusCal's
   * ProcSet (every process id) where the processes are known (not in constants or globals' inits).
   */
  private builtinSet(n: string, span: A.Span): IR.Expr | null {
    if (n === 'BOOLEAN') return { k: 'lit', value: mkSet([false, true]) };
    if (n === 'Nat' || n === 'Int') return { k: 'infSet', name: n, span };
    if (n === 'EmptyBag') return EMPTY_BAG;
    if (n === 'ProcSet' && this.env.uniprocessId() !== null) return this.error(diag('NotInUniprocess', span, '"ProcSet"', 'it has no set of process ids'));
    const ids = n === 'ProcSet' ? this.env.processIds() : null;
    return ids && { k: 'lit', value: mkSet(ids) };
  }

  /** A process variable named `n` visible here: the own one in code, the function in a definition. */
  private processVar(n: string, scope: Scope, span: A.Span): IR.Expr | null {
    if (scope.owner && (scope.mode === 'code' || scope.mode === 'init')) {
      const own = this.env.processVarNames(scope.owner).get(n);
      if (own !== undefined) {
        if (scope.mode === 'init') return this.error(diag('UnknownName', span, n));
        return { k: 'pvar', index: own };
      }
    }
    if (scope.mode === 'def' || scope.mode === 'code') {
      const all = this.env.processVarsNamed(n);
      if (all.length > 0 && !this.env.symbols.has(n)) return this.otherProcessVar(all[0]);
    }
    return null;
  }

  /** Another process's variable: the variable itself for a single process, else the function of the process id. */
  private otherProcessVar(index: number): IR.Expr {
    const id = this.env.singleProcessId(this.env.processVarOwner(index));
    return id === null ? { k: 'pvarFn', index } : { k: 'pvarOf', index, proc: { k: 'lit', value: id } };
  }

  private symbol(sym: Symbol, n: string, args: IR.Expr[], span: A.Span, scope: Scope): IR.Expr {
    switch (sym.kind) {
      case 'const':
      case 'modelValue':
        return { k: 'lit', value: sym.value };
      case 'global':
        if (scope.mode === 'const' || scope.mode === 'init') return this.initialRead(sym.index, n, span, scope);
        return { k: 'global', index: sym.index };
      case 'def':
        return this.expandDef(sym.def, args, span, scope);
      default:
        return this.error(diag('UnknownName', span, n));
    }
  }

  /** A global read by an initial value: its one initial value. */
  private initialRead(global: number, n: string, span: A.Span, scope: Scope): IR.Expr {
    if (!scope.initialOf) return this.error(diag('UnknownName', span, n));
    const inits = scope.initialOf(global);
    if (inits === null) return this.error(diag('InitReadsUnset', span, n));
    if (inits.length === 0) return ERROR_EXPR;
    if (inits.length > 1) return this.error(diag('InitReadsChoice', span, n, inits.length));
    return { k: 'lit', value: inits[0] };
  }

  private useLocal(local: Local, n: string, args: IR.Expr[], span: A.Span, operators: ReadonlyMap<number, Local> = NO_OPERATORS): IR.Expr {
    switch (local.kind) {
      case 'ir':
        return this.substituteForeign(local.expr);
      case 'shared':
        return this.useShared(local.binding);
      case 'macroArg':
        return this.lower(local.ast, local.scope);
      case 'recFn':
        if (local.operator && args.length !== local.arity) return this.error(diag('Arity', span, n, local.arity, args.length));
        if (args.length === 0) return { k: 'recFnValue', fn: local.index, span };
        return { k: 'recCall', fn: local.index, arg: args.length === 1 ? args[0] : { k: 'tuple', elems: args }, span };
      case 'letDef': {
        const def = local.def;
        if (args.length !== def.params.length) return this.error(diag('Arity', span, n, def.params.length, args.length));
        const params = this.bindParams(def, args, operators);
        return this.wrapShared(sharedOf(params), this.lower(def.body, this.withLocals(local.scope, params)));
      }
      case 'opRef':
        // Called: see opcall. Here it is used as a value.
        return this.error(diag('Arity', span, n, local.def.params.length, args.length));
    }
  }

  /** A definition's parameters bound to a call's arguments: an operator parameter to its operator, the others shared. */
  private bindParams(def: A.OperatorDef, args: IR.Expr[], operators: ReadonlyMap<number, Local>): [string, Local][] {
    return def.params.map((p, i) => [p.name, operators.get(i) ?? this.share(p.name, args[i], null, null)] as [string, Local]);
  }

  /**
   * Expands a definition in place: parameters bound to the (lowered) arguments, each evaluated at
   * most once; a zero-argument definition is one binding of the frame (or its value, folded).
   */
  expandDef(def: A.OperatorDef, args: IR.Expr[], span: A.Span, scope: Scope, operators: ReadonlyMap<number, Local> = NO_OPERATORS): IR.Expr {
    if (def.fnDomain) {
      const local = this.globalRecFn(def);
      return this.useLocal(local, def.name.name, args, span);
    }
    if (args.length !== def.params.length) return this.error(diag('Arity', span, def.name.name, def.params.length, args.length));
    if (def.recursive && def.params.length > 0) return this.useLocal(this.recursiveOperator(def), def.name.name, args, span);
    const expanding = scope.expanding ?? new Set<A.OperatorDef>();
    if (expanding.has(def)) return this.error(diag('DefinitionRecursion', span, def.name.name));
    const params = this.bindParams(def, args, operators);
    const defScope: Scope = {
      mode: scope.mode === 'const' ? 'const' : scope.mode === 'init' ? 'init' : 'def',
      owner: null,
      locals: new Map(params),
      at: null,
      expanding: new Set([...expanding, def]),
      ...(scope.mode === 'const' || scope.mode === 'init' ? { initialOf: scope.initialOf } : {}),
    };
    if (def.params.length === 0) return this.zeroArgDef(def, defScope);
    return this.wrapShared(sharedOf(params), this.lower(def.body, defScope));
  }

  /** A zero-argument definition: its value if it reads no state, else the frame's one binding of it. */
  private zeroArgDef(def: A.OperatorDef, defScope: Scope): IR.Expr {
    const folded = defScope.mode === 'def' ? this.folded.get(def) : undefined;
    if (folded !== undefined && folded !== null) return { k: 'lit', value: folded };
    let binding = this.frame!.defs.get(def);
    if (!binding) {
      const before = this.env.diagnostics.length;
      const value = this.lower(def.body, defScope);
      if (folded === undefined && defScope.mode === 'def' && this.env.diagnostics.length === before) {
        const v = this.fold(value);
        this.folded.set(def, v);
        if (v !== null) return { k: 'lit', value: v };
      }
      const local = this.share(def.name.name, value, null, null);
      if (local.kind === 'ir') return local.expr;
      binding = local.binding;
      this.frame!.defs.set(def, binding);
      this.frame!.hoisted.push(binding);
    }
    return this.useShared(binding);
  }

  /** The value of an expression that reads no state and no binding, or null (it does, or it fails). */
  private fold(e: IR.Expr): Value | null {
    if (someExpr(e, (x) => STATEFUL.has(x.k) || (x.k === 'bound' && this.sharedById.has(x.id) && !boundWithin(e, x.id)))) return null;
    try {
      return this.env.evaluateClosed(e);
    } catch {
      return null;
    }
  }

  /**
   * A RECURSIVE operator: a recursive function without a domain, called with its argument (a tuple
   * of them when it takes more than one), which the engines evaluate before the call. One of the
   * module is lowered once, in 'def' mode as a recursive function of the module is (its uses find
   * it by name); one of a LET (`let`: the LET's scope) each time the LET is, seeing itself by name.
   */
  private recursiveOperator(def: A.OperatorDef, let_: Scope | null = null): Local {
    const cached = let_ ? undefined : this.recFnCache.get(def);
    if (cached) return cached;
    const index = this.env.recFns.length;
    const param = this.env.freshBound();
    const fn: IR.RecFn = { name: def.name.name, param, domain: null, body: ERROR_EXPR };
    this.env.recFns.push(fn);
    const l: Local = { kind: 'recFn', index, arity: def.params.length, operator: true };
    if (!let_) this.recFnCache.set(def, l);
    if (def.paramArities?.some((a) => a > 0)) {
      this.error(diag('RecursiveOperatorParameter', def.name.span, def.name.name));
      return l;
    }
    const argument: IR.Expr = { k: 'bound', id: param, name: def.params.length === 1 ? def.params[0].name : 'args' };
    const params = def.params.map((p, i): [string, Local] => [
      p.name,
      { kind: 'ir', expr: def.params.length === 1 ? argument : { k: 'apply', fn: argument, arg: { k: 'lit', value: i + 1 }, span: p.span } },
    ]);
    const scope = let_ ? this.withLocals(let_, [[def.name.name, l], ...params]) : { mode: 'def' as const, owner: null, locals: new Map(params), at: null };
    fn.body = this.inFrame(() => this.lower(def.body, scope));
    return l;
  }

  private recFnCache = new Map<A.OperatorDef, Local>();
  private globalRecFn(def: A.OperatorDef): Local {
    let l = this.recFnCache.get(def);
    if (!l) {
      l = this.recFnLocal(def, { mode: 'def', owner: null, locals: new Map(), at: null });
      this.recFnCache.set(def, l);
    }
    return l;
  }

  private binary(e: A.BinaryExpr, scope: Scope): IR.Expr {
    const left = this.lower(e.left, scope);
    const right = this.lower(e.right, scope);
    switch (e.op) {
      case '/\\':
        return { k: 'and', args: [...flatten('and', left), ...flatten('and', right)] };
      case '\\/':
        return { k: 'or', args: [...flatten('or', left), ...flatten('or', right)] };
      case '=>':
        return { k: 'implies', left, right };
      case ':>':
        return { k: 'fnCons', bounds: [this.env.freshBound()], sets: [{ k: 'setEnum', elems: [left] }], body: right, span: e.span };
      case '@@':
        return this.fnMerge(left, right, e.span);
      case '(+)':
      case '(-)':
        return bagArith(e.op, left, right, this.env.freshBound, e.span);
      default:
        return { k: 'bin', op: BIN[e.op]!, left, right, span: e.span };
    }
  }

  /** `f @@ g`: [x \\in DOMAIN f \\cup DOMAIN g |-> IF x \\in DOMAIN f THEN f[x] ELSE g[x]], f and g evaluated once. */
  private fnMerge(left: IR.Expr, right: IR.Expr, span: A.Span): IR.Expr {
    const [f, g, x] = [this.env.freshBound(), this.env.freshBound(), this.env.freshBound()];
    const F: IR.Expr = { k: 'bound', id: f, name: 'f' };
    const G: IR.Expr = { k: 'bound', id: g, name: 'g' };
    const X: IR.Expr = { k: 'bound', id: x, name: 'x' };
    const domain = (fn: IR.Expr): IR.Expr => ({ k: 'builtin', op: 'DOMAIN', args: [fn], span });
    const body: IR.Expr = { k: 'ite', cond: { k: 'bin', op: 'in', left: X, right: domain(F), span }, then: { k: 'apply', fn: F, arg: X, span }, else: { k: 'apply', fn: G, arg: X, span } };
    const merged: IR.Expr = { k: 'fnCons', bounds: [x], sets: [{ k: 'bin', op: 'cup', left: domain(F), right: domain(G), span }], body, span };
    return { k: 'letIn', bound: f, value: left, body: { k: 'letIn', bound: g, value: right, body: merged } };
  }

  private apply(e: A.ApplyExpr, scope: Scope): IR.Expr {
    const args = e.args.map((a) => this.lower(a, scope));
    const arg: IR.Expr = args.length === 1 ? args[0] : { k: 'tuple', elems: args };
    if (e.fn.kind === 'name') {
      const n = e.fn.name;
      const local = scope.locals.get(n);
      if (local?.kind === 'recFn' && !local.operator) return this.useLocal(local, n, args, e.span);
      if (!local) {
        if (n === 'pc' && (scope.mode === 'code' || scope.mode === 'def')) {
          if (this.env.uniprocessId() !== null) return this.error(diag('NotInUniprocess', e.span, '"pc[...]"', 'expected "pc", the label name itself'));
          return { k: 'pcOf', proc: arg };
        }
        const sym = this.env.symbols.get(n);
        if (sym?.kind === 'def' && sym.def.fnDomain) return this.expandDef(sym.def, args, e.span, scope);
        const pv = this.processVar(n, scope, e.span);
        if (pv?.k === 'pvarFn') return { k: 'pvarOf', index: pv.index, proc: arg };
      }
    }
    const fn = this.lower(e.fn, scope);
    return this.wrapObjectRead(e.fn, scope, { k: 'apply', fn, arg, span: e.span });
  }

  /** `page[p]` read in process code: an object read, which the kernel pass checks against use-after-free. */
  private wrapObjectRead(base: A.Expr, scope: Scope, read: IR.Expr): IR.Expr {
    if (scope.mode !== 'code' || read.k !== 'apply') return read;
    if (base.kind !== 'name' || scope.locals.has(base.name)) return read;
    const sym = this.env.symbols.get(base.name);
    if (sym?.kind !== 'global' || sym.role.kind !== 'object') return read;
    return { k: 'objectRead', global: sym.index, key: read.arg, value: read, span: read.span };
  }

  /** `SelectSeq(s, Test)`: Test is a LAMBDA or names an operator of one parameter (a definition or a LET one), applied to each element. */
  private selectSeq(e: A.OpCallExpr, scope: Scope): IR.Expr {
    if (e.args.length !== 2) return this.error(diag('Arity', e.span, 'SelectSeq', 2, e.args.length));
    const [seqArg, test] = e.args;
    const seq = this.lower(seqArg, scope);
    const bound = this.env.freshBound();
    const elem: IR.Expr[] = [{ k: 'bound', id: bound, name: 'x' }];
    const local = test.kind === 'name' ? scope.locals.get(test.name) : undefined;
    const sym = test.kind === 'name' && !local ? this.env.symbols.get(test.name) : undefined;
    let cond: IR.Expr;
    if (test.kind === 'lambda' && test.params.length === 1) {
      const lambda: Local = { kind: 'letDef', def: { name: { name: 'LAMBDA', span: test.span }, params: test.params, fnDomain: null, body: test.body, span: test.span }, scope };
      cond = this.useLocal(lambda, 'LAMBDA', elem, test.span);
    } else if (test.kind === 'name' && local?.kind === 'letDef' && local.def.params.length === 1) cond = this.useLocal(local, test.name, elem, test.span);
    else if (test.kind === 'name' && sym?.kind === 'def' && sym.def.params.length === 1 && !sym.def.fnDomain) cond = this.expandDef(sym.def, elem, test.span, scope);
    else return this.error(diag('SelectSeqTest', test.span, test.kind === 'name' ? `"${test.name}"` : 'this expression'));
    return { k: 'selectSeq', seq, bound, cond, span: e.span };
  }

  /**
   * The operator an argument for an operator parameter (`F` of `Op(F(_), x)`) names: a LAMBDA (a
   * LET operator of the caller's scope), a LET operator or operator parameter in scope, or a
   * definition of the module with as many parameters; null (reported) for anything else.
   */
  private operatorArgument(a: A.Expr, arity: number, index: number, callee: A.OperatorDef, scope: Scope): Local | null {
    const wrong = (): null => {
      this.error(diag('OperatorArgument', a.span, callee.params[index].name, callee.name.name, arity));
      return null;
    };
    if (a.kind === 'lambda') {
      if (a.params.length !== arity) return wrong();
      return { kind: 'letDef', def: { name: { name: 'LAMBDA', span: a.span }, params: a.params, fnDomain: null, body: a.body, span: a.span }, scope };
    }
    if (a.kind !== 'name') return wrong();
    const local = scope.locals.get(a.name);
    if (local) return (local.kind === 'letDef' || local.kind === 'opRef') && local.def.params.length === arity ? local : wrong();
    const sym = this.env.symbols.get(a.name);
    if (sym?.kind === 'def' && !sym.def.fnDomain && sym.def.params.length === arity) return { kind: 'opRef', def: sym.def };
    return wrong();
  }

  private opcall(e: A.OpCallExpr, scope: Scope): IR.Expr {
    const n = e.name.name;
    if (n === 'SelectSeq' && !scope.locals.has(n) && !this.env.symbols.has(n)) return this.selectSeq(e, scope);
    const local = scope.locals.get(n);
    const sym = local ? undefined : this.env.symbols.get(n);
    const callee = local?.kind === 'letDef' || local?.kind === 'opRef' ? local.def : sym?.kind === 'def' ? sym.def : null;
    const operators = new Map<number, Local>();
    const args = e.args.map((a, i) => {
      const arity = callee?.paramArities?.[i] ?? 0;
      if (arity === 0) return this.lower(a, scope);
      const operator = this.operatorArgument(a, arity, i, callee!, scope);
      if (operator) operators.set(i, operator);
      return ERROR_EXPR;
    });
    // A wrong operator argument is reported; the call is not expanded (its uses would only repeat it).
    const operatorParams = e.args.filter((_, i) => (callee?.paramArities?.[i] ?? 0) > 0).length;
    if (operators.size < operatorParams) return ERROR_EXPR;
    if (local) {
      if (local.kind === 'recFn') {
        if (local.operator) return this.useLocal(local, n, args, e.span);
        return this.error(diag('SyntaxError', e.span, `${n}[...] (a function is applied with brackets)`));
      }
      if (local.kind === 'letDef') return this.useLocal(local, n, args, e.span, operators);
      if (local.kind === 'opRef') return this.expandDef(local.def, args, e.span, scope, operators);
      return this.error(diag('Arity', e.span, n, 0, args.length));
    }
    if (sym?.kind === 'def') return this.expandDef(sym.def, args, e.span, scope, operators);
    if (n === 'Seq' && args.length === 1) return { k: 'seqSet', elems: args[0], span: e.span };
    // `\oplus` and `\ominus` not defined by the module are the Bags module's (+) and (-).
    if ((n === '\\oplus' || n === '\\ominus') && args.length === 2) return bagArith(n === '\\oplus' ? '(+)' : '(-)', args[0], args[1], this.env.freshBound, e.span);
    if (isBagOperator(n)) {
      if (args.length !== BAG_ARITY[n]) return this.error(diag('Arity', e.span, n, BAG_ARITY[n], args.length));
      return bagOperator(n, args, this.env.freshBound, e.span);
    }
    if (BUILTINS.has(n)) {
      const op = n as IR.BuiltinOp;
      if (args.length !== BUILTIN_ARITY[op]) return this.error(diag('Arity', e.span, n, BUILTIN_ARITY[op], args.length));
      return { k: 'builtin', op, args, span: e.span };
    }
    return this.error(diag('UnknownName', e.name.span, n));
  }
}

/** A call without operator arguments. */
const NO_OPERATORS: ReadonlyMap<number, Local> = new Map();

/** The bindings among a definition's parameters. */
function sharedOf(params: [string, Local][]): Shared[] {
  return params.flatMap(([, l]) => (l.kind === 'shared' ? [l.binding] : []));
}

/** Whether `e` binds `id` itself (a `letIn` of it inside). */
function boundWithin(e: IR.Expr, id: number): boolean {
  return someExpr(e, (x) => x.k === 'letIn' && x.bound === id);
}

function flatten(kind: 'and' | 'or', e: IR.Expr): IR.Expr[] {
  return e.k === kind ? e.args : [e];
}
