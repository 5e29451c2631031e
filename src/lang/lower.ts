// Lowering a resolved set of declarations to the IR Program: the symbol table, constants and
// initial values evaluated, process instances enumerated, shapes inferred, bodies cut into steps,
// user properties gathered, kernel declarations' roles recorded on their globals. Returns
// [diagnostics, program]; the program still holds the kernel kinds (see src/invariants/kernel.ts).
import type * as A from '../parser/ast.js';
import type * as IR from './ir.js';
import { diag, type Diagnostic } from '../diagnostics/diagnostics.js';
import { ExprLowering, type GlobalRole, type Scope, type Symbol } from './expressions.js';
import { BUILTIN_CHECKS, DEFAULT_INIT, NOBODY } from './ir.js';
import { BodyLowering, collectLabels } from './statements.js';
import { someStmt } from './ir-walk.js';
import { initialGlobals } from './init-predicate.js';
import { lowerAction, lowerProcessAction, processActionLabels, processActionShape } from './actions.js';
import { lowerProperties, type LoweredProperties } from './properties.js';
import { pluscalLabelNames } from './pluscal-names.js';
import { compareValues, isFn, isSet, ModelValue, mkFn, mkSet, showValue, sortedElems, sortedEntries, valueEquals, type FnValue, type Value } from './values.js';

/** Evaluates a closed IR expression (no state): how constants and initial values get values. */
export type ConstEvaluator = (e: IR.Expr, self: Value | undefined, recFns: IR.RecFn[]) => Value;

export interface LowerInput {
  name: string;
  design: string | null;
  decls: A.Decl[];
  /** `--const NAME=EXPR` overrides, already parsed. */
  overrides: Map<string, A.Expr>;
  evaluate: ConstEvaluator;
  /** Symmetry sets named on the command line (`--symmetry USERS,OBJS`), besides the file's. */
  symmetry?: A.Ident[];
  /** `fair algorithm`: every process without a fairness of its own is weakly fair. */
  fairAlgorithm?: boolean;
  /** The invariants and finals to check (`--invariant A,B`, as a TLC cfg's INVARIANTS); absent: all. */
  invariants?: A.Ident[];
  /** The temporal and cover properties to check (`--property A,B`, as a TLC cfg's PROPERTIES); absent: all. */
  properties?: A.Ident[];
  /** file:line:col of a span, for messages that point at another place. */
  locate: (span: A.Span) => string;
}

const CONST_SCOPE: Scope = { mode: 'const', owner: null, locals: new Map(), at: null };

export function lowerProgram(input: LowerInput): [Diagnostic[], IR.Program | null] {
  const lowering = new Lowerer(input);
  const program = lowering.run();
  return [lowering.diagnostics, lowering.diagnostics.some((d) => d.severity === 'error') ? null : program];
}

class Lowerer {
  diagnostics: Diagnostic[] = [];
  private symbols = new Map<string, Symbol>();
  private globals: IR.GlobalVar[] = [];
  /** What each refcount's `of` and each mapping's target name, resolved once every global is declared. */
  /** Wait queues and the conditions their sleepers sleep for, lowered in the definitions' scope. */
  private pendingWaitQueues: { global: number; until: A.Expr }[] = [];
  private pendingTargets: { global: number; name: string; what: 'refcount' | 'mapping'; domain: Value[] | null }[] = [];
  private processVars: IR.ProcessVar[] = [];
  private pvarByOwner = new Map<string, Map<string, number>>();
  /** Per name, the process variables of that name, in declaration order (every name resolved looks here). */
  private pvarsByName = new Map<string, number[]>();
  private recFns: IR.RecFn[] = [];
  private labels: IR.LabelInfo[] = [];
  private nextBound = 0;
  private exprs: ExprLowering;
  /** The process instances, once enumerated (ProcSet's elements). */
  private instanceList: IR.Instance[] | null = null;
  private disabled = new Map<string, string>();
  /** The locks declared `held by` a holder, whose initial holders are checked once the processes are known. */
  private heldFromStart: { global: number; holder: A.Expr; domain: Value[] | null }[] = [];
  /** The id of each process template declared `process (P = id)`, by template index. */
  private singleIds = new Map<number, Value>();
  /** The one process id of a uniprocess algorithm (its name), null when it declares processes. */
  private uniprocessId: Value | null = null;
  /** Set when an initial value reads a global whose own initial value failed (already reported). */
  private readFailedGlobal = false;
  /** Where an initial value is: constants and the globals declared before it (PlusCal's Init order). */
  private readonly initScope: Scope = { ...CONST_SCOPE, initialOf: (g) => this.initialOf(g) };

  private initialOf(global: number): Value[] | null {
    const inits = this.globals[global].inits;
    if (inits.length === 0 && this.unsetGlobals.has(global)) return null;
    if (inits.length === 0) this.readFailedGlobal = true;
    return inits;
  }

  constructor(private input: LowerInput) {
    const freshBound = (): number => this.nextBound++;
    this.exprs = new ExprLowering({
      symbols: this.symbols,
      processVarNames: (owner) => this.pvarByOwner.get(`${owner.kind}:${owner.index}`) ?? new Map(),
      processVarsNamed: (name) => this.processVarsNamed(name),
      processVarOwner: (index) => this.processVars[index].owner,
      processIds: () => this.instanceList?.map((i) => i.id) ?? null,
      singleProcessId: (owner) => (owner.kind === 'process' ? this.singleIds.get(owner.index) ?? null : this.uniprocessId),
      uniprocessId: () => this.uniprocessId,
      recFns: this.recFns,
      diagnostics: this.diagnostics,
      freshBound,
      evaluateClosed: (e) => input.evaluate(e, undefined, this.recFns),
    });
    for (const d of input.decls) if (d.kind === 'disable') this.disabled.set(d.name.name, d.reason);
  }

  private declare(name: A.Ident, sym: Symbol): boolean {
    const prev = this.symbols.get(name.name);
    if (prev) {
      this.diagnostics.push(diag('DuplicateName', name.span, name.name, this.input.locate(prev.span)));
      return false;
    }
    this.symbols.set(name.name, sym);
    return true;
  }

  private evaluate(e: A.Expr, scope: Scope = CONST_SCOPE, self?: Value): Value | null {
    const before = this.diagnostics.length;
    this.readFailedGlobal = false;
    const ir = this.exprs.lower(e, scope);
    if (this.diagnostics.length > before || this.readFailedGlobal) return null;
    try {
      return this.input.evaluate(ir, self, this.recFns);
    } catch (err) {
      this.diagnostics.push(diag('ConstEval', e.span, 'this expression', (err as Error).message));
      return null;
    }
  }

  private finiteSet(e: A.Expr, what: string, scope: Scope = CONST_SCOPE): Value[] | null {
    const v = this.evaluate(e, scope);
    if (v === null) return null;
    if (!isSet(v)) {
      this.diagnostics.push(diag('NotFinite', e.span, what, showValue(v)));
      return null;
    }
    return sortedElems(v);
  }

  run(): IR.Program {
    const decls = this.input.decls;
    const constants: { name: string; value: Value }[] = [];
    for (const d of decls) {
      if (d.kind === 'values') for (const n of d.names) this.declare(n, { kind: 'modelValue', value: new ModelValue(n.name), span: n.span });
      if (d.kind === 'type') {
        for (const n of d.members) this.declare(n, { kind: 'modelValue', value: new ModelValue(n.name), span: n.span });
        this.declare(d.name, { kind: 'const', value: mkSet(d.members.map((m) => new ModelValue(m.name))), span: d.name.span });
      }
      if (d.kind === 'define') for (const def of d.defs) this.declare(def.name, { kind: 'def', def, span: def.name.span });
      if (d.kind === 'macro') this.declare(d.name, { kind: 'macro', decl: d, span: d.name.span });
    }
    const overridden = new Set<string>();
    for (const d of decls) {
      if (d.kind !== 'constants') continue;
      for (const item of d.items) {
        const override = this.input.overrides.get(item.name.name);
        if (override) overridden.add(item.name.name);
        const value = override ? this.evaluate(override, { ...CONST_SCOPE, lenientNames: true }) : this.evaluate(item.value);
        if (value === null) continue;
        if (this.declare(item.name, { kind: 'const', value, span: item.name.span })) constants.push({ name: item.name.name, value });
      }
    }
    for (const [name, e] of this.input.overrides) {
      if (!overridden.has(name)) this.diagnostics.push(diag('UnknownConstant', e.span, name, constants.map((c) => c.name).join(', ') || '(none)'));
    }
    this.declareGlobals(decls);
    const initialGlobals = this.initPredicate(decls);

    const processes: IR.ProcessTemplate[] = [];
    const procedures: IR.Procedure[] = [];
    const procDecls = decls.filter((d): d is A.ProcedureDecl => d.kind === 'procedure');
    const processDecls = this.uniprocessChecked(decls.filter((d): d is A.ProcessDecl => d.kind === 'process'));
    procDecls.forEach((p, index) => {
      this.declare(p.name, { kind: 'procedure', index, decl: p, span: p.name.span });
      const owner = { kind: 'procedure' as const, index };
      const params = p.params.map((n) => this.addProcessVar(n.name, owner, '=', null, n.span));
      const locals = p.locals.map((v) => this.addLocal(v, owner));
      procedures.push({ name: p.name.name, params, locals, entry: 0, span: p.span });
    });
    processDecls.forEach((p, index) => {
      // A uniprocess body's name is the algorithm's, which names nothing in the translation.
      if (!p.uniprocess) this.declare(p.name, { kind: 'process', index, span: p.name.span });
      const owner = { kind: 'process' as const, index };
      const locals = p.locals.map((v) => this.addLocal(v, owner));
      const fairness = p.fairness === 'none' && this.input.fairAlgorithm ? 'weak' : p.fairness;
      processes.push({ name: p.name.name, fairness, entry: 0, locals, span: p.span });
    });
    if (processDecls.length === 0) this.diagnostics.push(diag('NoProcess', null));

    const instances = this.instances(processDecls);
    this.instanceList = [...instances];
    this.checkInitialHolders(instances);
    this.interruptTargets(processDecls, instances);
    const bodyEnv = {
      exprs: this.exprs,
      symbols: this.symbols,
      diagnostics: this.diagnostics,
      labels: this.labels,
      freshBound: () => this.nextBound++,
      locate: this.input.locate,
      globalName: (index: number) => this.globals[index].name,
      targetRef: (name: A.Ident, scope: Scope) => this.targetRef(name, scope),
    };
    const bodies = new BodyLowering(bodyEnv);
    const codeScope = (owner: { kind: 'process' | 'procedure'; index: number }): Scope => ({ mode: 'code', owner, locals: new Map(), at: null });
    processDecls.forEach((p, index) => {
      const owner = { kind: 'process' as const, index };
      const labelIndex = collectLabels(p.body, owner, bodyEnv);
      processes[index].entry = p.body[0]?.label ? labelIndex.get(p.body[0].label.name.name) ?? 0 : 0;
      bodies.lowerBody(p.body, { owner, labelIndex, procedure: null, name: p.name.name, span: p.span }, { kind: 'done' }, codeScope(owner), `process ${p.name.name}`);
    });
    procDecls.forEach((p, index) => {
      const owner = { kind: 'procedure' as const, index };
      const labelIndex = collectLabels(p.body, owner, bodyEnv);
      procedures[index].entry = p.body[0]?.label ? labelIndex.get(p.body[0].label.name.name) ?? 0 : 0;
      bodies.lowerBody(p.body, { owner, labelIndex, procedure: index, name: p.name.name, span: p.span }, { kind: 'return' }, codeScope(owner), `procedure ${p.name.name}`);
    });
    this.interruptEntries(processDecls, processes);
    this.lowerProcessVarInits(instances);
    this.renameLabelsAsPlusCal(processDecls, procDecls);
    this.lowerActions(decls, processes, instances);

    const invariants: IR.Property[] = [];
    const finals: IR.Property[] = [];
    const defScope: Scope = { mode: 'def', owner: null, locals: new Map(), at: null };
    for (const d of decls) {
      if (d.kind !== 'invariant') continue;
      if (!this.declare(d.name, { kind: 'invariant', span: d.name.span })) continue;
      const body = this.exprs.lower(d.body, defScope);
      (d.when === 'always' ? invariants : finals).push({ name: d.name.name, body, builtin: false, span: d.span });
    }
    for (const q of this.pendingWaitQueues) this.globals[q.global].role = { kind: 'waitqueue', until: this.exprs.lower(q.until, defScope) };
    for (const d of decls) if (d.kind === 'property' || d.kind === 'reachable') this.declare(d.name, { kind: 'invariant', span: d.name.span });
    const constraints: IR.Property[] = [];
    for (const d of decls) {
      if (d.kind !== 'constraint' || !this.declare(d.name, { kind: 'invariant', span: d.name.span })) continue;
      constraints.push({ name: d.name.name, body: this.exprs.lower(d.body, defScope), builtin: false, span: d.span });
    }
    const properties = this.chosenTemporal(decls, lowerProperties({ exprs: this.exprs, diagnostics: this.diagnostics, finiteSet: (e, what, scope) => this.finiteSet(e, what, scope) }, decls, defScope));
    invariants.push(...properties.invariants);
    const chosen = this.chosenProperties(decls, [...invariants, ...finals].map((p) => p.name));
    const symmetry = this.symmetrySets(decls);
    this.resolveTargets();
    const locks = this.globals.flatMap((g, global): IR.LockInfo[] => (g.role?.kind === 'lock' ? [{ name: g.name, kind: g.role.lockKind, global, domain: g.role.domain }] : []));
    return {
      name: this.input.name,
      design: this.input.design,
      constants,
      globals: this.globals,
      ...(initialGlobals ? { initialGlobals } : {}),
      processVars: this.processVars,
      processes,
      procedures,
      instances,
      labels: this.labels,
      recFns: this.recFns,
      invariants: invariants.filter((p) => chosen.has(p.name)),
      finals: finals.filter((p) => chosen.has(p.name)),
      temporal: properties.temporal,
      reachable: properties.reachable,
      ...(constraints.length > 0 ? { constraints } : {}),
      disabled: [...this.disabled].map(([name, reason]) => ({ name, reason })),
      locks,
      symmetry,
      ...(this.uniprocessId !== null ? { uniprocess: true } : {}),
    };
  }

  /**
   * PlusCal's names for labels that clash with another label or a variable (see pluscal-names.ts):
   * the label's pc value becomes the new name, with a warning that says so.
   */
  private renameLabelsAsPlusCal(processDecls: A.ProcessDecl[], procDecls: A.ProcedureDecl[]): void {
    const ownerName = (o: IR.LabelInfo['owner']): string => (o.kind === 'procedure' ? procDecls[o.index].name.name : processDecls[o.index].uniprocess ? '' : processDecls[o.index].name.name);
    const order = this.labels.map((_, i) => i).sort((a, b) => (this.labels[a].owner.kind === 'procedure' ? 0 : 1) - (this.labels[b].owner.kind === 'procedure' ? 0 : 1) || a - b);
    const variables = ['pc', ...(procDecls.length > 0 ? ['stack'] : []), ...this.globals.filter((g) => !g.hidden).map((g) => g.name)];
    const later = [...procDecls.map((p) => p.name.name), ...processDecls.filter((p) => !p.uniprocess).map((p) => p.name.name), ...this.processVars.map((v) => v.name)];
    const names = pluscalLabelNames(variables, order.map((i) => ({ name: this.labels[i].name, context: ownerName(this.labels[i].owner) })), later);
    order.forEach((i, k) => {
      const label = this.labels[i];
      if (names[k] === label.name) return;
      this.diagnostics.push(diag('LabelRenamed', label.span, label.name, `${label.owner.kind} ${ownerName(label.owner) || this.input.name}`, names[k]));
      label.name = names[k];
    });
  }

  /**
   * The processes, when a body (a uniprocess algorithm) is the only one; else a body and whatever
   * follows it is an error, and only the declarations before the second are kept.
   */
  private uniprocessChecked(processDecls: A.ProcessDecl[]): A.ProcessDecl[] {
    if (!processDecls.some((p) => p.uniprocess)) return processDecls;
    if (processDecls.length === 1) {
      this.uniprocessId = processDecls[0].name.name;
      return processDecls;
    }
    const second = processDecls[1];
    this.diagnostics.push(diag('UniprocessWithProcesses', second.span, second.uniprocess ? 'body' : 'process'));
    return processDecls.slice(0, 1);
  }

  /**
   * The user properties to check: those `--invariant` names (all when absent), less those a
   * `disable` names. Each name must be a property (a `disable`'s may also be a built-in check).
   */
  private chosenProperties(decls: A.Decl[], names: string[]): Set<string> {
    const chosen = new Set(this.input.invariants ? [] : names);
    for (const n of this.input.invariants ?? []) {
      if (names.includes(n.name)) chosen.add(n.name);
      else this.diagnostics.push(diag('UnknownInvariant', n.span, n.name, names.join(', ') || '(none)'));
    }
    for (const d of decls) {
      if (d.kind !== 'disable') continue;
      if (names.includes(d.name.name)) chosen.delete(d.name.name);
      else if (!(BUILTIN_CHECKS as readonly string[]).includes(d.name.name)) {
        this.diagnostics.push(diag('UnknownCheck', d.name.span, d.name.name, [...BUILTIN_CHECKS, ...names].join(', ')));
      }
    }
    return chosen;
  }

  /** The `property` and `reachable` obligations `--property` names (all when absent); each name must be one. */
  private chosenTemporal(decls: A.Decl[], lowered: LoweredProperties): LoweredProperties {
    if (!this.input.properties) return lowered;
    const names = decls.flatMap((d) => (d.kind === 'property' || d.kind === 'reachable' ? [d.name.name] : []));
    const chosen = new Set<string>();
    for (const n of this.input.properties) {
      if (names.includes(n.name)) chosen.add(n.name);
      else this.diagnostics.push(diag('UnknownProperty', n.span, n.name, names.join(', ') || '(none)'));
    }
    const keep = <T extends { name: string }>(ps: T[]): T[] => ps.filter((p) => chosen.has(p.name));
    return { temporal: keep(lowered.temporal), reachable: keep(lowered.reachable), invariants: keep(lowered.invariants) };
  }

  /** Each `symmetry` name must be a constant set of model values. */
  private symmetrySets(decls: A.Decl[]): Value[][] {
    const sets: Value[][] = [];
    const names = [...decls.flatMap((d) => (d.kind === 'symmetry' ? d.names : [])), ...(this.input.symmetry ?? [])];
    for (const n of names) {
      const sym = this.symbols.get(n.name);
      const value = sym?.kind === 'const' ? sym.value : null;
      if (!value || !isSet(value) || !value.every((v) => v instanceof ModelValue)) {
        this.diagnostics.push(diag('BadSymmetry', n.span, n.name, value === null ? 'no constant' : showValue(value)));
        continue;
      }
      // The interleaving rule of interrupt handlers names their ids and those they preempt.
      const named = (this.instanceList ?? []).flatMap((inst) => (inst.preempts ? [inst.id, ...inst.preempts] : []));
      const clash = named.find((id) => value.some((v) => valueEquals(v, id)));
      if (clash !== undefined) {
        this.diagnostics.push(diag('SymmetricInterruptIds', n.span, n.name, showValue(clash)));
        continue;
      }
      sets.push(sortedElems(value));
    }
    return sets;
  }

  private addProcessVar(name: string, owner: IR.ProcessVar['owner'], initKind: '=' | '\\in', init: A.Expr | null, span: A.Span): number {
    const key = `${owner.kind}:${owner.index}`;
    let names = this.pvarByOwner.get(key);
    if (!names) this.pvarByOwner.set(key, (names = new Map()));
    const index = this.processVars.length;
    if (names.has(name)) this.diagnostics.push(diag('DuplicateName', span, name, this.input.locate(this.processVars[names.get(name)!].span)));
    names.set(name, index);
    // The init expression is kept as AST until instances are known (it may use self).
    this.processVars.push({ name, owner, initKind, init: null, shape: { kind: 'leaf' }, span });
    const named = this.pvarsByName.get(name);
    if (named) named.push(index);
    else this.pvarsByName.set(name, [index]);
    this.pendingInits.push({ index, init });
    return index;
  }
  private pendingInits: { index: number; init: A.Expr | null }[] = [];

  /** A process or procedure local; one declared without a value starts as defaultInitValue (on each call, for a procedure's). */
  private addLocal(v: A.VarDecl, owner: IR.ProcessVar['owner']): number {
    const index = this.addProcessVar(v.name.name, owner, v.initKind, v.init, v.span);
    if (!v.init) this.processVars[index].init = { k: 'lit', value: DEFAULT_INIT };
    return index;
  }

  /** Lowers each process variable's initial value and infers its shape from every instance's value. */
  private lowerProcessVarInits(instances: IR.Instance[]): void {
    for (const { index, init } of this.pendingInits) {
      const v = this.processVars[index];
      if (!init) continue;
      // A process local may read the globals' initial values; a procedure local is set on each call.
      const scope: Scope = { mode: 'init', owner: v.owner, locals: new Map(), at: null, ...(v.owner.kind === 'process' ? { initialOf: this.initScope.initialOf } : {}) };
      const before = this.diagnostics.length;
      this.readFailedGlobal = false;
      v.init = this.exprs.lower(init, scope);
      if (v.initKind !== '=' || this.readFailedGlobal || this.diagnostics.length > before) continue;
      const owners = v.owner.kind === 'process' ? instances.filter((i) => i.template === v.owner.index) : instances;
      const values: Value[] = [];
      for (const inst of owners) {
        try {
          values.push(this.input.evaluate(v.init, inst.id, this.recFns));
        } catch (err) {
          this.diagnostics.push(diag('ConstEval', init.span, `the initial value of ${v.name}`, (err as Error).message));
          return;
        }
      }
      v.shape = shapeOf(init, values);
    }
  }

  private instances(processDecls: A.ProcessDecl[]): IR.Instance[] {
    const out: IR.Instance[] = [];
    const seen: Value[] = [];
    processDecls.forEach((p, template) => {
      const ids = p.setKind === '=' ? [this.evaluate(p.id)] : this.finiteSet(p.id, `the process set of ${p.name.name}`) ?? [];
      for (const id of ids) {
        if (id === null) continue;
        if (seen.some((s) => showValue(s) === showValue(id))) {
          this.diagnostics.push(diag('DuplicateName', p.id.span, `process id ${showValue(id)}`, 'another process'));
          continue;
        }
        seen.push(id);
        if (p.setKind === '=') this.singleIds.set(template, id);
        out.push({ template, id, display: p.setKind === '=' ? p.name.name : `${p.name.name}(${showValue(id)})` });
      }
    });
    return out;
  }

  /**
   * Each interrupt handler's `preempts` set, evaluated for each of its instances: it must be a set
   * of the ids of ordinary processes (LS3170 otherwise).
   */
  private interruptTargets(processDecls: A.ProcessDecl[], instances: IR.Instance[]): void {
    const handler = (inst: IR.Instance): boolean => processDecls[inst.template].interrupt !== undefined;
    for (const inst of instances) {
      const preempts = processDecls[inst.template].interrupt?.preempts;
      if (!preempts) continue;
      const v = this.evaluate(preempts, { mode: 'init', owner: null, locals: new Map(), at: null }, inst.id);
      if (v === null) continue;
      const ids = isSet(v) ? sortedElems(v) : null;
      const bad = ids === null ? v : ids.find((id) => !instances.some((other) => !handler(other) && valueEquals(other.id, id)));
      if (bad !== undefined) this.diagnostics.push(diag('PreemptsNotProcesses', preempts.span, inst.display, showValue(bad)));
      else inst.preempts = ids!;
    }
  }

  /** An interrupt arrives with its handler's first step, which must therefore not wait for a lock (LS3171). */
  private interruptEntries(processDecls: A.ProcessDecl[], processes: IR.ProcessTemplate[]): void {
    processDecls.forEach((p, index) => {
      const entry = this.labels[processes[index].entry];
      if (p.interrupt && entry && someStmt(entry.body, (s) => s.k === 'kernel' && s.op === 'lock')) this.diagnostics.push(diag('InterruptEntryTakesLock', entry.span, p.name.name));
    });
  }

  /** A lock held from the start is held by a process (LS4050 at its `held by` expression otherwise). */
  private checkInitialHolders(instances: IR.Instance[]): void {
    for (const { global, holder, domain } of this.heldFromStart) {
      const { name, inits } = this.globals[global];
      const elements: [string, Value][] = domain ? domain.map((k) => [`${name}[${showValue(k)}]`, (inits[0] as FnValue).get(k)!]) : [[name, inits[0]]];
      const bad = elements.find(([, v]) => !valueEquals(v, NOBODY) && !instances.some((inst) => valueEquals(inst.id, v)));
      if (bad) this.diagnostics.push(diag('LockHolderNotProcess', holder.span, bad[0], showValue(bad[1])));
    }
  }

  private addGlobal(name: A.Ident, role: GlobalRole, inits: Value[], shape: IR.Shape, kernelRole?: IR.KernelRole): number {
    const index = this.globals.length;
    const hidden = kernelRole?.kind === 'liveFlags';
    this.globals.push({ name: name.name, inits, shape, span: name.span, ...(hidden ? { hidden } : {}), ...(kernelRole ? { role: kernelRole } : {}) });
    this.declare(name, { kind: 'global', index, role, span: name.span });
    return index;
  }

  /** A refcount's `of` and a mapping's target must name an object family: their roles record which. */
  private resolveTargets(): void {
    for (const { global, name, what, domain } of this.pendingTargets) {
      const sym = this.symbols.get(name);
      if (sym?.kind !== 'global' || sym.role.kind !== 'object') {
        this.diagnostics.push(diag('NotAnObject', this.globals[global].span, what, name));
        continue;
      }
      this.globals[global].role = what === 'refcount' ? { kind: 'refcount', of: sym.index, domain } : { kind: 'mapping', target: sym.index, domain };
    }
  }

  /**
   * An indexed declaration's value: the function from the index set, each element from `init`
   * evaluated in `scope` (the initial values' scope, or one that adds names of its own). When it
   * fails (reported), no initial values and an empty domain: the global is still declared, as a
   * variable whose initial value failed is, so that its uses and readers report nothing more.
   */
  private indexed(index: A.IndexSpec | null, init: A.Expr | null, fallback: Value, scope: Scope = this.initScope): { inits: Value[]; shape: IR.Shape; domain: Value[] | null } {
    const failed = { inits: [], shape: { kind: 'leaf' } as const, domain: index ? [] : null };
    if (!index) {
      const v = init ? this.evaluate(init, scope) : fallback;
      return v === null ? failed : { inits: [v], shape: init ? shapeOf(init, [v]) : { kind: 'leaf' }, domain: null };
    }
    const domain = this.finiteSet(index.set, `the index set of ${index.name.name}`, this.initScope);
    if (!domain) return failed;
    const elems: Value[] = [];
    for (const d of domain) {
      const elemScope = this.exprs.withLocals(scope, [[index.name.name, { kind: 'ir', expr: { k: 'lit', value: d } }]]);
      const v = init ? this.evaluate(init, elemScope) : fallback;
      if (v === null) return failed;
      elems.push(v);
    }
    const fn = mkFnOf(domain, elems);
    return { inits: [fn], shape: { kind: 'fn', domain, elem: init ? shapeOf(init, elems) : { kind: 'leaf' } }, domain };
  }

  private declareGlobals(decls: A.Decl[]): void {
    for (const d of decls) {
      switch (d.kind) {
        case 'variables':
          for (const v of d.vars) {
            if (!v.init) {
              // With an `init ==` predicate, its values come from it (see initPredicate); without,
              // it starts as PlusCal's defaultInitValue.
              if (decls.some((x) => x.kind === 'init')) this.unsetGlobals.set(this.addGlobal(v.name, { kind: 'var' }, [], { kind: 'leaf' }), v);
              else this.addGlobal(v.name, { kind: 'var' }, [DEFAULT_INIT], { kind: 'leaf' });
              continue;
            }
            if (v.initKind === '\\in') {
              const elems = this.finiteSet(v.init, `the initial values of ${v.name.name}`, this.initScope);
              this.addGlobal(v.name, { kind: 'var' }, elems ?? [], { kind: 'leaf' });
            } else {
              const value = this.evaluate(v.init, this.initScope);
              this.addGlobal(v.name, { kind: 'var' }, value === null ? [] : [value], value === null ? { kind: 'leaf' } : shapeOf(v.init, [value]));
            }
          }
          break;
        case 'lock': {
          // `held by e`: e names each element's holder, `nobody` where it starts free.
          const r = this.indexed(d.index, d.holder, NOBODY, this.exprs.withLocals(this.initScope, [['nobody', { kind: 'ir', expr: { k: 'lit', value: NOBODY } }]]));
          const global = this.addGlobal(d.name, { kind: 'lock', lockKind: d.lockKind }, r.inits, r.shape, { kind: 'lock', lockKind: d.lockKind, domain: r.domain });
          if (d.holder && r.inits.length > 0) this.heldFromStart.push({ global, holder: d.holder, domain: r.domain });
          break;
        }
        case 'refcount': {
          const r = this.indexed(d.index, d.init, 0);
          const global = this.addGlobal(d.name, { kind: 'refcount' }, r.inits, r.shape, d.of ? undefined : { kind: 'refcount', of: null, domain: r.domain });
          if (d.of) this.pendingTargets.push({ global, name: d.of.name, what: 'refcount', domain: r.domain });
          break;
        }
        case 'object': {
          const r = this.indexed(d.index, d.init, 0);
          const liveName = { name: `${d.name.name}$live`, span: d.name.span };
          const object = this.globals.length;
          const role = { kind: 'object', init: d.init, indexName: d.index.name.name } as const;
          this.addGlobal(d.name, role, r.inits, r.shape, { kind: 'object', liveFlags: object + 1, domain: r.domain! });
          this.addGlobal(liveName, { kind: 'var' }, [mkFnOf(r.domain!, r.domain!.map(() => true))], { kind: 'fn', domain: r.domain!, elem: { kind: 'leaf' } }, { kind: 'liveFlags', object });
          break;
        }
        case 'waitqueue':
          // No sleeper at the start; the condition is lowered with the invariants, once every global is declared.
          this.pendingWaitQueues.push({ global: this.addGlobal(d.name, { kind: 'waitqueue' }, [mkSet([])], { kind: 'leaf' }), until: d.until });
          break;
        case 'completion':
          this.addGlobal(d.name, { kind: 'completion' }, [0], { kind: 'leaf' });
          break;
        case 'mapping': {
          const r = this.indexed(d.index, d.init, 0);
          const global = this.addGlobal(d.name, { kind: 'mapping' }, r.inits, r.shape);
          this.pendingTargets.push({ global, name: d.target.name, what: 'mapping', domain: r.domain });
          break;
        }
        default:
          break;
      }
    }
  }

  /**
   * Each `action`: a pseudo-process template (after every process) with one instance and one label,
   * named after the action, whose body is the action's step (src/lang/actions.ts). A process's
   * action (one that moves a process's pc or writes its variables) is instead another way through
   * each label its pc guard names: `either { the label's step } or { the action }`.
   */
  private lowerActions(decls: A.Decl[], processes: IR.ProcessTemplate[], instances: IR.Instance[]): void {
    const env = {
      exprs: this.exprs,
      symbols: this.symbols,
      diagnostics: this.diagnostics,
      freshBound: () => this.nextBound++,
      globals: this.globals,
      processVarsNamed: (name: string) => this.processVarsNamed(name),
    };
    const defScope: Scope = { mode: 'def', owner: null, locals: new Map(), at: null };
    const property = decls.find((d) => d.kind === 'property');
    for (const d of decls) {
      if (d.kind !== 'action' || !this.declare(d.name, { kind: 'invariant', span: d.name.span })) continue;
      const shape = processActionShape(env, d);
      if (shape) {
        // Its step is taken as one of the process's: the process's fairness would cover it.
        if (d.fair || property) {
          this.diagnostics.push(diag('ProcessActionUnchecked', d.fair ? d.span : property!.span, d.fair ? "a fair action that moves a process's pc" : "a temporal property beside an action that moves a process's pc", "the action's steps are taken as its process's, under the process's fairness"));
          continue;
        }
        const guard = processActionLabels(env, shape, defScope);
        if (!guard) {
          this.diagnostics.push(diag('ProcessActionWhere', d.name.span, d.name.name, 'no conjunct says at which labels', shape.self.name));
          continue;
        }
        // The labels of that name in every process's body (self \in S picks the processes).
        const sites = guard.names.flatMap((name) => {
          const found = this.labels.flatMap((l, i) => (l.name === name && l.owner.kind === 'process' && !processes[l.owner.index].action ? [i] : []));
          if (found.length === 0) {
            const why = name === 'Done' ? 'its guard lets it move a finished process ("Done")' : `"${name}" is no label of a process's body`;
            this.diagnostics.push(diag('ProcessActionWhere', guard.span, d.name.name, why, shape.self.name));
          }
          return found.map((index) => ({ index, name }));
        });
        for (const { index, name } of sites) {
          const template = this.labels[index].owner.index;
          const labels = new Map(this.labels.flatMap((l, i) => (l.owner.kind === 'process' && l.owner.index === template ? [[l.name, i] as const] : [])));
          const site = { process: processes[template].name, label: { index, name }, vars: this.pvarByOwner.get(`process:${template}`) ?? new Map<string, number>(), labels };
          const before = this.diagnostics.length;
          const body = lowerProcessAction(env, d, shape, site, defScope);
          // Its errors are the same at every label: said once.
          if (this.diagnostics.length > before) break;
          if (body.length > 0) this.labels[index].body = [{ k: 'either', branches: [this.labels[index].body, body], span: d.span }];
        }
        continue;
      }
      const prev = this.labels.find((l) => l.name === d.name.name);
      if (prev) {
        this.diagnostics.push(diag('DuplicateLabel', d.name.span, d.name.name, this.input.locate(prev.span)));
        continue;
      }
      const template = processes.length;
      const label = this.labels.length;
      this.labels.push({ name: d.name.name, owner: { kind: 'process', index: template }, description: null, cost: 1, span: d.name.span, body: [] });
      processes.push({ name: d.name.name, action: true, fairness: d.fair ? 'weak' : 'none', entry: label, locals: [], span: d.span });
      instances.push({ template, id: `action ${d.name.name}`, display: d.name.name });
      this.labels[label].body = lowerAction(env, d, label, { mode: 'def', owner: null, locals: new Map(), at: null });
    }
  }

  /** All process-variable indices with that name. */
  private processVarsNamed(name: string): number[] {
    return this.pvarsByName.get(name) ?? [];
  }

  /** The globals declared without a value, for the `init ==` predicate to give one. */
  private unsetGlobals = new Map<number, A.VarDecl>();

  /**
   * The initial tuples of the globals an `init ==` predicate gives (null: none, or it failed,
   * reported); each global it gives a value has those values as its `inits`. (Without one, a global
   * declared without a value is defaultInitValue: see declareGlobals.)
   */
  private initPredicate(decls: A.Decl[]): Value[][] | null {
    const inits = decls.filter((d): d is A.InitDecl => d.kind === 'init');
    for (const extra of inits.slice(1)) this.diagnostics.push(diag('SecondInit', extra.span, this.input.locate(inits[0].span)));
    if (inits.length === 0) return null;
    const env = {
      exprs: this.exprs,
      symbols: this.symbols,
      diagnostics: this.diagnostics,
      freshBound: () => this.nextBound++,
      evaluate: (e: IR.Expr) => this.input.evaluate(e, undefined, this.recFns),
      scope: CONST_SCOPE,
    };
    const tuples = initialGlobals(env, inits[0], this.globals, new Set(this.unsetGlobals.keys()));
    if (!tuples) return null;
    for (const g of this.unsetGlobals.keys()) {
      const seen: Value[] = [];
      for (const t of tuples) if (!seen.some((v) => valueEquals(v, t[g]))) seen.push(t[g]);
      this.globals[g].inits = seen.sort(compareValues);
    }
    return tuples;
  }

  private targetRef(name: A.Ident, scope: Scope): IR.VarRef | null {
    if (scope.owner) {
      const own = this.pvarByOwner.get(`${scope.owner.kind}:${scope.owner.index}`)?.get(name.name);
      if (own !== undefined) return { kind: 'pvar', index: own };
    }
    const sym = this.symbols.get(name.name);
    // An assignment would change a lock's holder past every lock check (a refcount's is checked: see refcounts.ts).
    if (sym?.kind === 'global' && sym.role.kind === 'lock') {
      this.diagnostics.push(diag('AssignToLock', name.span, name.name));
      return null;
    }
    if (sym?.kind === 'global' && (sym.role.kind === 'waitqueue' || sym.role.kind === 'completion')) {
      this.diagnostics.push(diag('AssignToWaitQueue', name.span, name.name));
      return null;
    }
    if (sym?.kind === 'global') return { kind: 'global', index: sym.index };
    if (scope.locals.has(name.name) || sym) {
      this.diagnostics.push(diag('AssignToConstant', name.span, describe(sym, scope.locals.has(name.name)), name.name));
      return null;
    }
    this.diagnostics.push(diag('UnknownName', name.span, name.name));
    return null;
  }
}

function describe(sym: Symbol | undefined, bound: boolean): string {
  if (bound) return 'the bound name';
  switch (sym?.kind) {
    case 'const':
      return 'the constant';
    case 'modelValue':
      return 'the model value';
    case 'def':
      return 'the definition';
    default:
      return `the ${sym?.kind ?? 'name'}`;
  }
}

function mkFnOf(domain: Value[], values: Value[]): Value {
  return mkFn(domain.map((d, i) => [d, values[i]] as [Value, Value]));
}

/**
 * A variable initialised with a function or record constructor keeps that domain: it is stored
 * as one slot per element. Anything else (tuples, sets, scalars) is a leaf.
 */
export function shapeOf(init: A.Expr, values: Value[]): IR.Shape {
  if (values.length === 0 || !values.every(isFn)) return { kind: 'leaf' };
  if (init.kind !== 'fnCons' && init.kind !== 'record') return { kind: 'leaf' };
  const keys = sortedEntries(values[0] as FnValue).map(([k]) => k);
  const sameDomain = values.every((v) => {
    const f = v as FnValue;
    return f.size === keys.length && keys.every((k) => f.has(k));
  });
  if (!sameDomain || keys.length === 0) return { kind: 'leaf' };
  const elems = values.flatMap((v) => keys.map((k) => (v as FnValue).get(k)!));
  const elem = init.kind === 'fnCons' ? shapeOf(init.body, elems) : { kind: 'leaf' as const };
  return { kind: 'fn', domain: keys, elem };
}
