// What changed at each step of a trace, as `name=value` items: the raw material of both the
// column view and the JSON `changes`. Functions with a fixed domain report only the changed keys
// (`data[OLD]=1`, `obj[o1].refs=2`), the way people write them.
import type { Expr, Program } from '../lang/ir.js';
import { exprChildren } from '../lang/ir-walk.js';
import type { StateView } from '../checker/engine/contract.js';
import { isFn, showValue, sortedEntries, valueEquals, type Value } from '../lang/values.js';

export interface Change {
  /** `x`, `x[k]`, `x[k].f`, or `mine` for a process variable of the stepping process. */
  path: string;
  value: Value;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

function keyText(k: Value): string {
  return typeof k === 'string' && IDENT.test(k) ? `.${k}` : `[${showValue(k)}]`;
}

/** The changed leaves between two values of one variable. */
export function diffValue(path: string, before: Value, after: Value, out: Change[]): void {
  if (valueEquals(before, after)) return;
  if (isFn(before) && isFn(after) && before.size === after.size && before.size > 0 && before.keySeq().every((k) => after.has(k))) {
    const changed = sortedEntries(after).filter(([k, v]) => !valueEquals(before.get(k)!, v));
    // A whole new value reads better than a list of every key.
    if (changed.length < before.size || before.size === 1) {
      for (const [k, v] of changed) diffValue(path + keyText(k), before.get(k)!, v, out);
      return;
    }
  }
  out.push({ path, value: after });
}

/**
 * Changes of the globals, of the stepping process's position (`pc`, as ITF shows it: where a
 * process is often is what breaks a property) and of every instance's variables from one state
 * to the next.
 */
export function stateChanges(program: Program, before: StateView, after: StateView, instance: number): Change[] {
  const out: Change[] = [];
  program.globals.forEach((g, i) => {
    if (!g.hidden) diffValue(g.name, before.globals[i], after.globals[i], out);
  });
  if (instance >= 0) diffValue('pc', before.pcs[instance], after.pcs[instance], out);
  program.instances.forEach((inst, i) => {
    const own = i === instance;
    program.processVars.forEach((v, j) => {
      const b = before.pvars[i][j];
      const a = after.pvars[i][j];
      if (b === null || a === null) return;
      diffValue(own ? v.name : `${v.name}[${showValue(inst.id)}]`, b, a, out);
    });
  });
  return out;
}

/** Which freed objects a state has, from the object families' live flags: `OLD is freed`. */
export function freedObjects(program: Program, state: StateView): string[] {
  const out: string[] = [];
  program.globals.forEach((g, i) => {
    const flags = state.globals[i];
    if (g.role?.kind !== 'liveFlags' || !isFn(flags)) return;
    const object = program.globals[g.role.object].name;
    for (const [k, live] of sortedEntries(flags)) {
      if (live === false) out.push(`${object}[${showValue(k)}]`);
    }
  });
  return out;
}

/** What a property's formula reads: globals and process variables by index, and whether it reads `pc`. */
export interface PropertyReads {
  globals: Set<number>;
  pvars: Set<number>;
  pc: boolean;
}

/** The variables a formula reads, through the recursive functions it calls. */
export function formulaReads(program: Program, body: Expr): PropertyReads {
  const reads: PropertyReads = { globals: new Set(), pvars: new Set(), pc: false };
  const seenFns = new Set<number>();
  const visit = (e: Expr): void => {
    if (e.k === 'global') reads.globals.add(e.index);
    else if (e.k === 'pvar' || e.k === 'pvarOf' || e.k === 'pvarFn') reads.pvars.add(e.index);
    else if (e.k === 'pcOf' || e.k === 'pcFn') reads.pc = true;
    else if ((e.k === 'recCall' || e.k === 'recFnValue') && !seenFns.has(e.fn)) {
      seenFns.add(e.fn);
      visit(program.recFns[e.fn].body);
    }
    exprChildren(e).forEach(visit);
  };
  visit(body);
  return reads;
}

/** A state's values of what a formula reads, each variable whole: `x=0`, `i[1]=2`, `pc[1]=rd`. */
export function readValues(program: Program, state: StateView, reads: PropertyReads): string[] {
  const items: string[] = [];
  program.globals.forEach((g, i) => {
    if (reads.globals.has(i) && !g.hidden) items.push(`${g.name}=${showValue(state.globals[i])}`);
  });
  program.instances.forEach((inst, i) => {
    if (reads.pc) items.push(`pc[${showValue(inst.id)}]=${showValue(state.pcs[i])}`);
    program.processVars.forEach((v, j) => {
      const x = state.pvars[i][j];
      if (reads.pvars.has(j) && x !== null) items.push(`${v.name}[${showValue(inst.id)}]=${showValue(x)}`);
    });
  });
  return items;
}

export function formatChanges(changes: Change[]): string {
  return changes.map((c) => `${c.path}=${showValue(c.value)}`).join(' ');
}
