// The kernel primitives as the lowering sees them: one entry point per place they appear (an
// operation statement, a trylock, a write, a read, a process's end, the declarations' properties),
// dispatching to the built-in check families of src/invariants/, one file per family.
import type * as A from '../parser/ast.js';
import type * as IR from '../lang/ir.js';
import { diag, type Diagnostic } from '../diagnostics/diagnostics.js';
import type { ExprLowering, Scope, Symbol } from '../lang/expressions.js';
import type { GlobalInfo, KernelContext } from './context.js';
import { freeAlloc, objectRead, objectWrite } from './lifetime.js';
import { lock, locksAtExit, mightSleep, trylock, unlock } from './locks.js';
import { mappingProperties } from './mappings.js';
import { getPut, leakProperties } from './refcounts.js';

const ARITY: Record<string, number> = { lock: 1, unlock: 1, get: 1, put: 1, free: 1, alloc: 1, might_sleep: 0 };

export class KernelOps {
  private ctx: KernelContext;

  constructor(symbols: Map<string, Symbol>, globals: () => GlobalInfo[], exprs: ExprLowering, diagnostics: Diagnostic[], freshBound: () => number, disabled: Set<string>) {
    this.ctx = { symbols, globals, exprs, diagnostics, freshBound, disabled, objectIndexNames: new Map() };
  }

  setObjectIndexName(object: string, index: string): void {
    this.ctx.objectIndexNames.set(object, index);
  }

  /** A kernel operation by name, or null if the name is not one. */
  invoke(s: A.InvokeStmt, scope: Scope): IR.Stmt[] | null {
    const op = s.name.name;
    const arity = ARITY[op];
    if (arity === undefined) return null;
    if (s.args.length !== arity) {
      this.ctx.diagnostics.push(diag('Arity', s.span, op, arity, s.args.length));
      return [];
    }
    const [arg] = s.args;
    switch (op) {
      case 'might_sleep':
        return mightSleep(this.ctx, s.span);
      case 'lock':
        return lock(this.ctx, arg, scope, s.span);
      case 'unlock':
        return unlock(this.ctx, arg, scope, s.span);
      case 'get':
      case 'put':
        return getPut(this.ctx, op, arg, scope, s.span);
      default:
        return freeAlloc(this.ctx, op as 'free' | 'alloc', arg, scope, s.span);
    }
  }

  trylock(lockExpr: A.Expr, result: IR.Target, scope: Scope, span: A.Span): IR.Stmt[] {
    return trylock(this.ctx, lockExpr, result, scope, span);
  }

  /** Checks before an assignment (writes into objects). */
  onWrite(lv: A.LValue, t: IR.Target): IR.Stmt[] {
    return objectWrite(this.ctx, lv, t);
  }

  objectRead(global: number, index: IR.Expr, read: IR.Expr, span: A.Span): IR.Expr {
    return objectRead(this.ctx, global, index, read, span);
  }

  /** Statements a process runs when it finishes. */
  atExit(span: A.Span): IR.Stmt[] {
    return locksAtExit(this.ctx, span);
  }

  /** The built-in state properties the declarations imply. */
  properties(span: (name: string) => A.Span): { invariants: IR.Property[]; finals: IR.Property[] } {
    return { invariants: mappingProperties(this.ctx, span), finals: leakProperties(this.ctx, span) };
  }
}
