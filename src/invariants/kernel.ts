// The kernel pass: the stage after the core lowering that gives the kernel primitives their meaning.
// It rewrites every kernel kind of the IR (lock, unlock, get, put, free, alloc, object writes and
// reads, trylock, might_sleep, the rw-semaphores' and the wait queues' operations, wait_event) into
// ordinary statements plus the named built-in checks, adds the LockHeldAtExit check where a process
// finishes, and adds the properties the declarations imply (MappingToFreed, MappingUnique, NoLeak),
// each left out when `disable`d. One file per family; RCU (rcu.ts) adds hidden globals and starts
// every step with the wait for a synchronize_rcu(); rw-semaphores (locks.ts) and wait_event()
// (waits.ts) add the globals of their readers and of each process's next step in the loop; interrupt
// handlers (interrupts.ts) add the interrupt state and start steps with the preemption rule.
import { diag, type Diagnostic } from '../diagnostics/diagnostics.js';
import type * as IR from '../lang/ir.js';
import { assertNever } from '../lang/ir.js';
import { forEachExpr, forEachStmt, mapExpr, mapStmtParts } from '../lang/ir-walk.js';
import type { KernelContext } from './context.js';
import { addInterruptGlobals, interruptGuard, irqStatement } from './interrupts.js';
import { alloc, free, objectRead, objectWrite } from './lifetime.js';
import { addRwsemReaders, holdsNoneOf, lock, locksAtExit, mightSleep, rwsem, trylock, unlock } from './locks.js';
import { mappingProperties } from './mappings.js';
import { assignedCounts, getPut, leakProperties, refcountInc } from './refcounts.js';
import { addRcuGlobals, freeAfterGracePeriod, gracePeriodOver, readersAtExit, rcuStatement } from './rcu.js';
import { seqcountWrite } from './seqcount.js';
import { addWaitEventSteps, completion, schedule, waitEvent, waitQueueOp } from './waits.js';

/** The program with every kernel kind rewritten and the built-in properties added. */
export function applyKernelPass(lowered: IR.Program): IR.Program {
  let nextBound = firstFreeBoundId(lowered);
  const withSteps = addWaitEventSteps(addRwsemReaders(lowered));
  const withRcu = addRcuGlobals(withSteps.program);
  const { program, interrupts } = addInterruptGlobals(withRcu.program);
  const ctx: KernelContext = { program, disabled: new Set(program.disabled.map((d) => d.name)), freshBound: () => nextBound++, rcu: withRcu.rcu, waitEventStep: withSteps.step, interrupts };
  const expr = (e: IR.Expr): IR.Expr => mapExpr(e, (x) => (x.k === 'objectRead' ? objectRead(ctx, x) : x));
  const each = (ss: IR.Stmt[]): IR.Stmt[] => ss.flatMap((s) => statement(ctx, mapStmtParts(s, { expr, body })));
  // wait_event() runs the statements after it (in its step) once its condition holds: it takes them in.
  const body = (ss: IR.Stmt[]): IR.Stmt[] => {
    const at = ss.findIndex((s) => s.k === 'waitEvent');
    if (at < 0) return each(ss);
    const wait = mapStmtParts(ss[at], { expr, body }) as Extract<IR.Stmt, { k: 'waitEvent' }>;
    return [...each(ss.slice(0, at)), ...waitEvent(ctx, wait, body(ss.slice(at + 1)))];
  };
  return {
    ...program,
    labels: program.labels.map((l, i) => ({ ...l, body: [...interruptGuard(ctx, i), ...gracePeriodOver(ctx, l.span), ...body(l.body)] })),
    invariants: [...mappingProperties(ctx), ...program.invariants],
    finals: [...leakProperties(ctx), ...program.finals],
  };
}

/**
 * Warnings for the user's invariants and finals named like a built-in check the pass made in this
 * program (a property or a step's check): a report naming that check could mean either.
 */
export function builtinNameClashes(p: IR.Program): Diagnostic[] {
  const made = new Set<string>([...p.invariants, ...p.finals].filter((x) => x.builtin).map((x) => x.name));
  for (const l of p.labels) forEachStmt(l.body, (s) => s.k === 'check' && made.add(s.property));
  const clash = (role: string) => (x: IR.Property): Diagnostic[] => (!x.builtin && made.has(x.name) ? [diag('InvariantNamedLikeCheck', x.span, role, x.name)] : []);
  return [...p.invariants.flatMap(clash('invariant')), ...p.finals.flatMap(clash('final property'))];
}

/** One statement (its parts already rewritten) as the statements it stands for. */
function statement(ctx: KernelContext, s: IR.Stmt): IR.Stmt[] {
  switch (s.k) {
    case 'kernel': {
      const { op } = s;
      switch (op) {
        case 'lock':
          return lock(ctx, s);
        case 'unlock':
          return unlock(ctx, s);
        case 'get':
        case 'put':
          return getPut(ctx, s);
        case 'free':
          return free(ctx, s);
        case 'write':
          return objectWrite(ctx, s);
        case 'freeRcu':
          return freeAfterGracePeriod(ctx, s);
        case 'refInc':
          return refcountInc(ctx, s);
        case 'downRead':
        case 'upRead':
        case 'downWrite':
        case 'upWrite':
          return rwsem(ctx, { ...s, op });
        default:
          return assertNever(op);
      }
    }
    case 'alloc':
      return alloc(ctx, s);
    case 'trylock':
      return trylock(ctx, s);
    case 'mightSleep':
      return mightSleep(ctx, s.span);
    case 'waitQueue':
      return waitQueueOp(s);
    case 'schedule':
      return schedule(ctx, s.span);
    case 'completion':
      return completion(ctx, s);
    case 'waitEvent':
      throw new Error('internal error: wait_event() is rewritten with the statements after it');
    case 'done':
      return [...locksAtExit(ctx, s.span), ...readersAtExit(ctx, s.span), s];
    case 'rcu':
      return rcuStatement(ctx, s, (span) => mightSleep(ctx, span));
    case 'seqWrite':
      return seqcountWrite(ctx, s);
    case 'irq':
      return irqStatement(ctx, s, (locks, what, span) => holdsNoneOf(ctx, locks, what, span));
    case 'assign':
      return [s, ...assignedCounts(ctx, s)];
    case 'await': case 'if': case 'either': case 'with': case 'let': case 'goto': case 'check': case 'print': case 'call': case 'tailcall': case 'return':
      return [s];
    default:
      return assertNever(s);
  }
}

/** The least binder id above every binder id the program uses: where the pass's own binders start. */
function firstFreeBoundId(p: IR.Program): number {
  let max = -1;
  const note = (id: number): void => void (max = Math.max(max, id));
  forEachExpr(p, (e) => {
    if (e.k === 'bound') note(e.id);
    if (e.k === 'fnCons' || e.k === 'setMap' || e.k === 'quant') e.bounds.forEach(note);
    if (e.k === 'setFilter' || e.k === 'choose' || e.k === 'letIn' || e.k === 'selectSeq') note(e.bound);
    if (e.k === 'except') e.updates.forEach((u) => note(u.at));
  });
  for (const l of p.labels) forEachStmt(l.body, (s) => (s.k === 'with' || s.k === 'let') && note(s.bound));
  p.recFns.forEach((f) => note(f.param));
  return max + 1;
}
