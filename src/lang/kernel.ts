// The kernel primitives (locks, reference counts, object lifetime, mappings) lowered to ordinary
// IR: each operation becomes plain statements guarded by `check`s, and each declaration adds its
// built-in properties, every one named so that reports say which rule broke and `disable` can
// switch it off.
import type * as A from '../parser/ast.js';
import type * as IR from './ir.js';
import { diag, type Diagnostic } from './diagnostics.js';
import type { ExprLowering, GlobalRole, Local, Scope, Symbol } from './expressions.js';
import { ModelValue, mkSet, type Value } from './values.js';

/** The holder value of a free lock. */
export const NOBODY = new ModelValue('nobody');

/** Every built-in check, by the property name reports use. */
export const BUILTIN_CHECKS = [
  'SelfDeadlock', 'UnlockNotHeld', 'SleepInAtomic', 'LockHeldAtExit',
  'RefcountNonNegative', 'FreeWhileReferenced', 'NoLeak',
  'NoUseAfterFree', 'DoubleFree', 'MappingToFreed', 'MappingUnique',
  'Deadlock',
] as const;

interface GlobalInfo {
  name: string;
  index: number;
  role: GlobalRole;
  domain: Value[] | null;
}

const lit = (value: Value): IR.Expr => ({ k: 'lit', value });
const eq = (left: IR.Expr, right: IR.Expr, span: A.Span): IR.Expr => ({ k: 'bin', op: '=', left, right, span });
const apply = (fn: IR.Expr, arg: IR.Expr, span: A.Span): IR.Expr => ({ k: 'apply', fn, arg, span });
const SELF: IR.Expr = { k: 'self' };

export class KernelOps {
  constructor(
    private symbols: Map<string, Symbol>,
    private globals: () => GlobalInfo[],
    private exprs: ExprLowering,
    private diagnostics: Diagnostic[],
    private freshBound: () => number,
    private disabled: Set<string>,
  ) {}

  private on(name: string): boolean {
    return !this.disabled.has(name);
  }

  private check(cond: IR.Expr, property: string, message: string, span: A.Span): IR.Stmt[] {
    return this.on(property) ? [{ k: 'check', cond, property, message, span }] : [];
  }

  /** `L` or `L[i]` naming a declared global of the given role: its target and its current value. */
  private resolve(e: A.Expr, scope: Scope, role: GlobalRole['kind'], op: string): { g: GlobalInfo; target: IR.Target; read: IR.Expr; name: string } | null {
    const arg = e.kind === 'name' ? scope.locals.get(e.name) : undefined;
    if (arg?.kind === 'macroArg') return this.resolve(arg.ast, arg.scope, role, op);
    const base = e.kind === 'apply' ? e.fn : e;
    const name = base.kind === 'name' ? base.name : '?';
    const sym = this.symbols.get(name);
    const g = sym?.kind === 'global' ? this.globals()[sym.index] : undefined;
    if (!g || g.role.kind !== role) {
      const kind = role === 'lock' ? 'NotALock' : role === 'refcount' ? 'NotARefcount' : 'NotAnObject';
      this.diagnostics.push(diag(kind, e.span, op, name));
      return null;
    }
    const whole: IR.Expr = { k: 'global', index: g.index };
    if (e.kind === 'apply') {
      const key = this.exprs.selectorKey({ kind: 'index', args: e.args, span: e.span }, scope);
      return { g, target: { ref: { kind: 'global', index: g.index }, path: [key] }, read: apply(whole, key, e.span), name };
    }
    return { g, target: { ref: { kind: 'global', index: g.index }, path: [] }, read: whole, name };
  }

  /** Whether the running process holds some lock of this kind (spin or any). */
  private holdsAny(kind: 'spin' | 'any', span: A.Span): IR.Expr {
    const parts: IR.Expr[] = [];
    for (const g of this.globals()) {
      if (g.role.kind !== 'lock' || (kind === 'spin' && g.role.lockKind !== 'spin')) continue;
      const whole: IR.Expr = { k: 'global', index: g.index };
      if (g.domain) {
        const id = this.freshBound();
        const x: IR.Expr = { k: 'bound', id, name: 'l' };
        parts.push({ k: 'quant', forall: false, bounds: [id], sets: [{ k: 'setEnum', elems: g.domain.map(lit) }], body: eq(apply(whole, x, span), SELF, span), span });
      } else parts.push(eq(whole, SELF, span));
    }
    return parts.length === 0 ? lit(false) : { k: 'or', args: parts };
  }

  /** Statements a process runs when it finishes: it must not hold a lock. */
  atExit(span: A.Span): IR.Stmt[] {
    if (!this.globals().some((g) => g.role.kind === 'lock')) return [];
    return this.check({ k: 'not', arg: this.holdsAny('any', span) }, 'LockHeldAtExit', 'the process finishes holding a lock', span);
  }

  /** A write into an object's data must find it live. */
  onWrite(lv: A.LValue, t: IR.Target, scope: Scope): IR.Stmt[] {
    void scope;
    if (t.ref.kind !== 'global' || t.path.length === 0) return [];
    const g = this.globals()[t.ref.index];
    if (g.role.kind !== 'object') return [];
    return this.check(this.live(g, t.path[0], lv.span), 'NoUseAfterFree', `write to freed ${g.name}`, lv.span);
  }

  private live(g: GlobalInfo, key: IR.Expr, span: A.Span): IR.Expr {
    const role = g.role as Extract<GlobalRole, { kind: 'object' }>;
    return eq(apply({ k: 'global', index: role.live }, key, span), lit(true), span);
  }

  /** Wraps a read of an object's data (see ExprEnv.objectRead). */
  objectRead(global: number, index: IR.Expr, read: IR.Expr, span: A.Span): IR.Expr {
    if (!this.on('NoUseAfterFree')) return read;
    const g = this.globals()[global];
    return { k: 'checked', cond: this.live(g, index, span), property: 'NoUseAfterFree', message: `read of freed ${g.name}`, value: read, span };
  }

  trylock(lockExpr: A.Expr, t: IR.Target, scope: Scope, span: A.Span): IR.Stmt[] {
    const l = this.resolve(lockExpr, scope, 'lock', 'trylock');
    if (!l) return [];
    return [{
      k: 'if',
      cond: eq(l.read, lit(NOBODY), span),
      then: [{ k: 'assign', targets: [l.target, t], values: [SELF, lit(true)], span }],
      else: [{ k: 'assign', targets: [t], values: [lit(false)], span }],
      span,
    }];
  }

  /** A kernel operation by name, or null if the name is not one. */
  invoke(s: A.InvokeStmt, scope: Scope): IR.Stmt[] | null {
    const op = s.name.name;
    const arity = { lock: 1, unlock: 1, get: 1, put: 1, free: 1, alloc: 1, might_sleep: 0 }[op];
    if (arity === undefined) return null;
    if (s.args.length !== arity) {
      this.diagnostics.push(diag('Arity', s.span, op, arity, s.args.length));
      return [];
    }
    const span = s.span;
    switch (op) {
      case 'might_sleep':
        return this.check({ k: 'not', arg: this.holdsAny('spin', span) }, 'SleepInAtomic', 'might_sleep() while holding a spinlock', span);
      case 'lock': {
        const l = this.resolve(s.args[0], scope, 'lock', 'lock');
        if (!l) return [];
        const sleeping = l.g.role.kind === 'lock' && l.g.role.lockKind === 'sleep';
        return [
          ...this.check({ k: 'not', arg: eq(l.read, SELF, span) }, 'SelfDeadlock', `lock(${l.name}) by its holder`, span),
          ...(sleeping ? this.check({ k: 'not', arg: this.holdsAny('spin', span) }, 'SleepInAtomic', `sleeping lock ${l.name} taken while holding a spinlock`, span) : []),
          { k: 'await', cond: eq(l.read, lit(NOBODY), span), span },
          { k: 'assign', targets: [l.target], values: [SELF], span },
        ];
      }
      case 'unlock': {
        const l = this.resolve(s.args[0], scope, 'lock', 'unlock');
        if (!l) return [];
        return [
          ...this.check(eq(l.read, SELF, span), 'UnlockNotHeld', `unlock(${l.name}) of a lock this process does not hold`, span),
          { k: 'assign', targets: [l.target], values: [lit(NOBODY)], span },
        ];
      }
      case 'get':
      case 'put': {
        const c = this.resolve(s.args[0], scope, 'refcount', op);
        if (!c) return [];
        const delta: IR.Expr = { k: 'bin', op: op === 'get' ? '+' : '-', left: c.read, right: lit(1), span };
        const guard = op === 'put' ? this.check({ k: 'bin', op: '>', left: c.read, right: lit(0), span }, 'RefcountNonNegative', `put(${c.name}) at zero`, span) : [];
        return [...guard, { k: 'assign', targets: [c.target], values: [delta], span }];
      }
      case 'free':
      case 'alloc': {
        const o = this.resolve(s.args[0], scope, 'object', op);
        if (!o) return [];
        const role = o.g.role as Extract<GlobalRole, { kind: 'object' }>;
        if (o.target.path.length !== 1) {
          this.diagnostics.push(diag('NotAnObject', s.args[0].span, op, o.name));
          return [];
        }
        const key = o.target.path[0];
        const liveTarget: IR.Target = { ref: { kind: 'global', index: role.live }, path: [key] };
        if (op === 'free') {
          const tied = this.globals().filter((g) => g.role.kind === 'refcount' && g.role.of === o.name);
          return [
            ...this.check(this.live(o.g, key, span), 'DoubleFree', `free(${o.name}) of an object already freed`, span),
            ...tied.flatMap((g) => this.check(eq(g.domain ? apply({ k: 'global', index: g.index }, key, span) : { k: 'global', index: g.index }, lit(0), span), 'FreeWhileReferenced', `free(${o.name}) while ${g.name} is not zero`, span)),
            { k: 'assign', targets: [liveTarget], values: [lit(false)], span },
          ];
        }
        const indexName = this.objectIndexName(o.name);
        const initScope = this.exprs.withLocals(scope, indexName ? [[indexName, { kind: 'ir', expr: key } as Local]] : []);
        return [{ k: 'assign', targets: [liveTarget, o.target], values: [lit(true), this.exprs.lower(role.init, { ...initScope, mode: 'code' })], span }];
      }
    }
    return null;
  }

  private objectIndexNames = new Map<string, string>();
  setObjectIndexName(object: string, index: string): void {
    this.objectIndexNames.set(object, index);
  }
  private objectIndexName(object: string): string | undefined {
    return this.objectIndexNames.get(object);
  }

  /** The built-in state properties the declarations imply. */
  properties(span: (name: string) => A.Span): { invariants: IR.Property[]; finals: IR.Property[] } {
    const invariants: IR.Property[] = [];
    const finals: IR.Property[] = [];
    const gs = this.globals();
    for (const g of gs) {
      if (g.role.kind === 'mapping') {
        const targetSym = this.symbols.get(g.role.target);
        const target = targetSym?.kind === 'global' ? gs[targetSym.index] : undefined;
        if (!target || target.role.kind !== 'object') {
          this.diagnostics.push(diag('NotAnObject', span(g.name), 'mapping', g.role.target));
          continue;
        }
        const objs = target.domain!;
        const sp = span(g.name);
        const slotIds = g.domain ?? [null];
        const value = (slot: Value | null): IR.Expr => (slot === null ? { k: 'global', index: g.index } : apply({ k: 'global', index: g.index }, lit(slot), sp));
        const isObj = (v: IR.Expr): IR.Expr => ({ k: 'bin', op: 'in', left: v, right: lit(mkSet(objs)), span: sp });
        if (this.on('MappingToFreed')) {
          invariants.push({
            name: 'MappingToFreed',
            builtin: true,
            span: sp,
            body: { k: 'and', args: slotIds.map((s) => ({ k: 'implies', left: isObj(value(s)), right: this.live(target, value(s), sp) })) },
          });
        }
        if (g.domain && this.on('MappingUnique')) {
          const pairs: IR.Expr[] = [];
          for (let i = 0; i < g.domain.length; i++)
            for (let j = i + 1; j < g.domain.length; j++)
              pairs.push({ k: 'implies', left: isObj(value(g.domain[i])), right: { k: 'bin', op: '#', left: value(g.domain[i]), right: value(g.domain[j]), span: sp } });
          invariants.push({ name: 'MappingUnique', builtin: true, span: sp, body: { k: 'and', args: pairs } });
        }
      }
      if (g.role.kind === 'refcount' && g.role.of === null && this.on('NoLeak')) {
        const sp = span(g.name);
        const zero = (v: IR.Expr): IR.Expr => eq(v, lit(0), sp);
        const body: IR.Expr = g.domain
          ? { k: 'and', args: g.domain.map((d) => zero(apply({ k: 'global', index: g.index }, lit(d), sp))) }
          : zero({ k: 'global', index: g.index });
        finals.push({ name: 'NoLeak', builtin: true, span: sp, body });
      }
    }
    return { invariants, finals };
  }
}
