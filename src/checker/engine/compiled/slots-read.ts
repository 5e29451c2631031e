// Which slots of a row an invariant can read, found in its IR: a state that agrees with its parent
// on all of them gives the invariant the parent's value, so the compiled engine need not evaluate it
// again on a successor whose step wrote none of them (compiled-engine.ts, `recheck`). Over-approximate
// by construction: a variable read at all counts with every slot it takes, in every instance.
import { assertNever, type Expr, type Program } from '../../../lang/ir.js';
import { forEachSubExpr } from '../../../lang/ir-walk.js';
import type { Layout } from './layout.js';

/** The slots `body` can read in `layout`, sorted (the recursive functions it calls included). */
export function slotsRead(program: Program, layout: Layout, body: Expr): Int32Array {
  const slots = new Set<number>();
  const range = (off: number, width: number): void => {
    for (let k = off; k < off + width; k++) slots.add(k);
  };
  const pvar = (v: number): void => {
    for (const off of layout.pvarSlot[v]) if (off >= 0) range(off, layout.pvarShapes[v].width);
  };
  const recFns = new Set<number>();
  const visit = (e: Expr): void => {
    switch (e.k) {
      case 'global':
        range(layout.globals[e.index].off, layout.globals[e.index].shape.width);
        return;
      case 'objectRead':
        range(layout.globals[e.global].off, layout.globals[e.global].shape.width);
        return;
      case 'pvar':
      case 'pvarOf':
      case 'pvarFn':
        pvar(e.index);
        return;
      case 'pcOf':
      case 'pcFn':
        for (const off of layout.pcSlot) slots.add(off);
        return;
      case 'recCall':
      case 'recFnValue': {
        if (recFns.has(e.fn)) return;
        recFns.add(e.fn);
        const rf = program.recFns[e.fn];
        if (rf.domain) forEachSubExpr(rf.domain, visit);
        forEachSubExpr(rf.body, visit);
        return;
      }
      // These read no slot themselves (their subexpressions are visited on their own): listed
      // one by one so that a new kind of expression fails to compile here until it is decided.
      case 'lit': case 'self': case 'bound': case 'not': case 'and': case 'or': case 'implies': case 'bin': case 'neg':
      case 'builtin': case 'apply': case 'setEnum': case 'tuple': case 'record': case 'recordSet': case 'fnSet':
      case 'infSet': case 'seqSet': case 'selectSeq': case 'fnCons': case 'setFilter': case 'setMap': case 'except':
      case 'ite': case 'case': case 'quant': case 'choose': case 'letIn': case 'checked':
        return;
      default:
        return assertNever(e);
    }
  };
  forEachSubExpr(body, visit);
  return Int32Array.from(slots).sort();
}

/** Whether the sorted slot lists `a` and `b` share a slot. */
export function meets(a: Int32Array, b: Int32Array): boolean {
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i] === b[j]) return true;
    if (a[i] < b[j]) i++;
    else j++;
  }
  return false;
}
