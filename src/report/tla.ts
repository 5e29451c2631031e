// TLA+ export: the IR translated into a TLA+ module and a TLC config, the way PlusCal's translator
// translates an algorithm, so that TLC can check a model independently of lockspec and confirm its
// verdict and state counts. The IR is translated (not the source), so what TLC checks is exactly
// what lockspec's engines run: macros, operators and kernel primitives already lowered.
import type * as IR from '../lang/ir.js';
import { templateFairness } from '../checker/search/progress.js';
import { assertNever, DONE, functionDomain, isKernelStmt, kernelKindReached, processCount } from '../lang/ir.js';
import { forEachExpr, someExpr, someStmt } from '../lang/ir-walk.js';
import { ModelValue, isSet, seqElems, showValue, sortedElems, sortedEntries, type Value } from '../lang/values.js';

export interface TlaOptions {
  /** False: the config says CHECK_DEADLOCK FALSE (as does a program that disables Deadlock). */
  deadlock?: boolean;
  /** Where the model came from, for the header comment. */
  source?: string;
}

export interface TlaExport {
  /** The module's name: the file TLC reads must be called `${name}.tla`. */
  name: string;
  module: string;
  cfg: string;
}

const KEYWORDS = `ACTION ASSUME ASSUMPTION AXIOM BOOLEAN BY CASE CHOOSE CONSTANT CONSTANTS COROLLARY DEF DEFINE
DEFS DOMAIN ELSE ENABLED EXCEPT EXTENDS HAVE HIDE IF IN INSTANCE LAMBDA LEMMA LET LOCAL MODULE NEW OBVIOUS
OMITTED ONLY OTHER PICK PROOF PROPOSITION PROVE QED RECURSIVE SF_ STATE STRING SUBSET SUFFICES TAKE TEMPORAL
THEN THEOREM TRUE FALSE UNCHANGED UNION USE VARIABLE VARIABLES WF_ WITH WITNESS Nat Int Real Infinity Seq Len
Append Head Tail SubSeq SelectSeq Cardinality IsFiniteSet Print PrintT Assert JavaTime TLCGet TLCSet Permutations
SortSeq RandomElement Any ToString TLCEval TLCModelValue TLCFP
Init Next Spec vars ProcSet Terminating Perms pc stack self`.split(/\s+/);

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Names in the module, each handed out once, none a keyword or a standard operator. A child scope
 * (an action's LET names) must avoid the module's names; the module's names avoid every name
 * handed out anywhere, so that no name is ever declared inside the scope of the same name.
 */
class Names {
  private used = new Set<string>();
  private everywhere: Set<string>;
  constructor(private parent: Names | null, reserved: string[] = []) {
    this.everywhere = parent ? parent.everywhere : new Set(reserved);
    reserved.forEach((n) => this.used.add(n));
  }
  private has(n: string): boolean {
    return this.parent ? this.used.has(n) || this.parent.used.has(n) : this.everywhere.has(n);
  }
  /** `base` itself if free, else `base_1`, `base_2`... */
  fresh(base: string): string {
    const b = /^[A-Za-z]/.test(base) ? base.replace(/[^A-Za-z0-9_]/g, '_') : `v_${base.replace(/[^A-Za-z0-9_]/g, '_')}`;
    let n = b;
    for (let i = 1; this.has(n); i++) n = `${b}_${i}`;
    this.used.add(n);
    this.everywhere.add(n);
    return n;
  }
  /** A scope for names that only need to differ from the module's (an action's LET names). */
  child(): Names {
    return new Names(this);
  }
}

/** A TLA+ string literal. */
function tlaString(s: string): string {
  return '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t') + '"';
}

/** An action as a tree, rendered with PlusCal-style bulleted lists. */
type Act =
  | { t: 'atom'; text: string }
  | { t: 'conj' | 'disj'; items: Act[] }
  | { t: 'ite'; cond: string; then: Act; else: Act }
  | { t: 'exists'; name: string; set: string; body: Act }
  | { t: 'let'; defs: string[]; body: Act };

const atom = (text: string): Act => ({ t: 'atom', text });

/** `LET defs IN body`, one LET for consecutive definitions. */
function letAct(defs: string[], body: Act): Act {
  if (defs.length === 0) return body;
  return body.t === 'let' ? { t: 'let', defs: [...defs, ...body.defs], body: body.body } : { t: 'let', defs, body };
}

function junction(t: 'conj' | 'disj', items: Act[]): Act {
  const flat = items.flatMap((a) => (a.t === t ? a.items : [a]));
  return flat.length === 1 ? flat[0] : { t, items: flat };
}

function render(a: Act): string[] {
  const indent = (lines: string[], first: string, pad: string): string[] => [first + lines[0], ...lines.slice(1).map((l) => pad + l)];
  switch (a.t) {
    case 'atom':
      return [a.text];
    case 'conj':
    case 'disj': {
      const bullet = a.t === 'conj' ? '/\\ ' : '\\/ ';
      return a.items.flatMap((item) => indent(render(item), bullet, '   '));
    }
    case 'ite':
      return ['IF ' + a.cond, ...indent(render(a.then), '   THEN ', '        '), ...indent(render(a.else), '   ELSE ', '        ')];
    case 'exists':
      return [`\\E ${a.name} \\in ${a.set}:`, ...render(a.body).map((l) => '     ' + l)];
    case 'let':
      return [...indent(a.defs, 'LET ', '    '), ...indent(render(a.body), 'IN  ', '    ')];
  }
}

/** What an expression is translated against. */
interface Env {
  /** The running process's id (`self`), or null outside a process. */
  self: string | null;
  /** The current value of a variable in this step: `g3`/`p1` keys, absent = the variable itself. */
  cur: Map<string, string>;
  /** Recursive functions in scope (inside their own LET), by index. */
  recFns: Map<number, string>;
  names: Names;
}

const refKey = (r: IR.VarRef): string => (r.kind === 'global' ? 'g' : 'p') + r.index;

const BINOPS: Record<Exclude<IR.BinOp, 'negpow'>, string> = {
  '=': '=', '#': '#', '<': '<', '<=': '<=', '>': '>', '>=': '>=', in: '\\in', notin: '\\notin', subseteq: '\\subseteq',
  cup: '\\cup', cap: '\\cap', minus: '\\', '+': '+', '-': '-', '*': '*', div: '\\div', '%': '%', '^': '^', '..': '..',
  concat: '\\o', cross: '\\X', equiv: '<=>', same: '=',
};

class Translator {
  readonly names = new Names(null, KEYWORDS);
  readonly defaultInit: string;
  private modelValues = new Map<string, string>();
  /** String process ids stood for by model values (see stringIdsAsModelValues). */
  private stringIds = new Map<string, string>();
  private boundNames = new Map<number, string>();
  private varNames = new Map<string, string>();
  /** Process variables' domains: a template's id set, or ProcSet for procedure variables. */
  private templateSets: string[];
  /** A uniprocess algorithm: `pc`, `stack` and process variables are single values, not functions of `self`. */
  readonly uni: boolean;

  constructor(readonly p: IR.Program) {
    for (const mv of collectModelValues(p)) this.modelValues.set(mv, this.names.fresh(mv));
    this.defaultInit = this.modelValues.get('defaultInitValue') ?? 'defaultInitValue';
    for (const id of stringIdsAsModelValues(p)) this.stringIds.set(id, this.names.fresh(id));
    p.globals.forEach((g, i) => this.varNames.set('g' + i, this.names.fresh(g.name)));
    p.processVars.forEach((v, i) => this.varNames.set('p' + i, this.names.fresh(v.name)));
    this.uni = p.uniprocess === true;
    this.templateSets = p.processes.map((_, t) => '{' + p.instances.filter((i) => i.template === t).map((i) => this.value(i.id)).join(', ') + '}');
  }

  get modelValueNames(): string[] {
    return [...this.modelValues.values(), ...this.stringIds.values()];
  }

  varName(r: IR.VarRef): string {
    return this.varNames.get(refKey(r))!;
  }

  pvarDomain(v: number): string {
    const owner = this.p.processVars[v].owner;
    return owner.kind === 'process' ? this.templateSets[owner.index] : 'ProcSet';
  }

  templateSet(t: number): string {
    return this.templateSets[t];
  }

  /** Process `proc`'s part of a per-process variable: `[proc]`, nothing in a uniprocess algorithm. */
  at(proc: string): string {
    return this.uni ? '' : `[${proc}]`;
  }

  /** `fn` with process `proc`'s part set to `value` (`value` itself in a uniprocess algorithm). */
  update(fn: string, proc: string, value: string): string {
    return this.uni ? value : `[${fn} EXCEPT ![${proc}] = ${value}]`;
  }

  /** An action of the running process: `A(self)`, `A` in a uniprocess algorithm. */
  ofSelf(action: string): string {
    return this.uni ? action : `${action}(self)`;
  }

  /** The running process's id in its actions: `self`, the id itself in a uniprocess algorithm. */
  get selfName(): string {
    return this.uni ? this.value(this.p.instances[0].id) : 'self';
  }

  // ---------------------------------------------------------------- values and expressions

  value(v: Value): string {
    if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
    if (typeof v === 'number') return v < 0 ? `(${v})` : String(v);
    if (typeof v === 'string') return this.stringIds.get(v) ?? tlaString(v);
    if (v instanceof ModelValue) return this.modelValues.get(v.name)!;
    if (isSet(v)) return '{' + sortedElems(v).map((x) => this.value(x)).join(', ') + '}';
    if (v.size === 0) return '<<>>';
    const seq = seqElems(v);
    if (seq) return '<<' + seq.map((x) => this.value(x)).join(', ') + '>>';
    const entries = sortedEntries(v);
    if (entries.every(([k]) => isField(k))) return '[' + entries.map(([k, x]) => `${k as string} |-> ${this.value(x)}`).join(', ') + ']';
    return '(' + entries.map(([k, x]) => `${this.value(k)} :> ${this.value(x)}`).join(' @@ ') + ')';
  }

  bound(id: number, name: string): string {
    let n = this.boundNames.get(id);
    if (n === undefined) {
      n = this.names.fresh(`${name}_${id}`);
      this.boundNames.set(id, n);
    }
    return n;
  }

  private cur(r: IR.VarRef, env: Env): string {
    return env.cur.get(refKey(r)) ?? this.varName(r);
  }

  private self(env: Env): string {
    if (env.self === null) throw new Error('self used outside a process (the IR reads a process variable without a process)');
    return env.self;
  }

  /** A key of an application or EXCEPT path: `.f` for a field name, `[k]` otherwise. */
  private key(k: IR.Expr, env: Env): string {
    return k.k === 'lit' && isField(k.value) && !this.stringIds.has(k.value as string) ? `.${k.value as string}` : `[${this.expr(k, env)}]`;
  }

  private binders(bounds: number[], sets: IR.Expr[], env: Env): string {
    return bounds.map((b, i) => `${this.bound(b, this.boundHint(b))} \\in ${this.expr(sets[i], env)}`).join(', ');
  }

  /** Bound names seen in the program, by id: filled before translating (see collectBoundHints). */
  boundHints = new Map<number, string>();
  private boundHint(id: number): string {
    return this.boundHints.get(id) ?? 'x';
  }

  /** A self-delimiting TLA+ expression (an identifier, a literal, or parenthesised). */
  expr(e: IR.Expr, env: Env): string {
    const x = (a: IR.Expr): string => this.expr(a, env);
    switch (e.k) {
      case 'lit':
        return this.value(e.value);
      case 'global':
        return this.cur({ kind: 'global', index: e.index }, env);
      case 'pvar':
        return `${this.cur({ kind: 'pvar', index: e.index }, env)}${this.at(this.self(env))}`;
      case 'pvarOf':
        return `${this.cur({ kind: 'pvar', index: e.index }, env)}${this.at(x(e.proc))}`;
      case 'pvarFn':
        return this.cur({ kind: 'pvar', index: e.index }, env);
      case 'self':
        return this.self(env);
      case 'pcOf':
        return `pc${this.at(x(e.proc))}`;
      case 'pcFn':
        return 'pc';
      case 'bound':
        return this.bound(e.id, e.name);
      case 'not':
        return `(~${x(e.arg)})`;
      case 'and':
        return e.args.length === 0 ? 'TRUE' : `(${e.args.map(x).join(' /\\ ')})`;
      case 'or':
        return e.args.length === 0 ? 'FALSE' : `(${e.args.map(x).join(' \\/ ')})`;
      case 'implies':
        return `(${x(e.left)} => ${x(e.right)})`;
      case 'bin':
        if (e.op === 'negpow') return `(-(${x(e.left)} ^ ${x(e.right)}))`;
        return `(${x(e.left)} ${BINOPS[e.op]} ${x(e.right)})`;
      case 'neg':
        return `(-${x(e.arg)})`;
      case 'builtin':
        return ['DOMAIN', 'SUBSET', 'UNION'].includes(e.op) ? `(${e.op} ${x(e.args[0])})` : `${e.op}(${e.args.map(x).join(', ')})`;
      case 'apply':
        return `${x(e.fn)}${this.key(e.arg, env)}`;
      case 'setEnum':
        return `{${e.elems.map(x).join(', ')}}`;
      case 'tuple':
        return `<<${e.elems.map(x).join(', ')}>>`;
      case 'record':
        return e.names.every(isField)
          ? `[${e.names.map((n, i) => `${n} |-> ${x(e.values[i])}`).join(', ')}]`
          : `(${e.names.map((n, i) => `${tlaString(n)} :> ${x(e.values[i])}`).join(' @@ ')})`;
      case 'recordSet':
        return `[${e.names.map((n, i) => `${n} : ${x(e.sets[i])}`).join(', ')}]`;
      case 'fnSet':
        return `[${x(e.domain)} -> ${x(e.range)}]`;
      case 'infSet':
        return e.name;
      case 'seqSet':
        return `Seq(${x(e.elems)})`;
      case 'selectSeq':
        return `SelectSeq(${x(e.seq)}, LAMBDA ${this.bound(e.bound, this.boundHint(e.bound))} : ${x(e.cond)})`;
      case 'fnCons':
        return `[${this.binders(e.bounds, e.sets, env)} |-> ${x(e.body)}]`;
      case 'setFilter':
        return `{${this.bound(e.bound, this.boundHint(e.bound))} \\in ${x(e.set)} : ${x(e.cond)}}`;
      case 'setMap':
        return `{${x(e.body)} : ${this.binders(e.bounds, e.sets, env)}}`;
      case 'except': {
        const updates = e.updates.map((u) => {
          const value = usesBound(u.value, u.at) ? `(LET ${this.bound(u.at, 'old')} == @ IN ${x(u.value)})` : x(u.value);
          return `!${u.path.map((k) => this.key(k, env)).join('')} = ${value}`;
        });
        return `[${x(e.fn)} EXCEPT ${updates.join(', ')}]`;
      }
      case 'ite':
        return `(IF ${x(e.cond)} THEN ${x(e.then)} ELSE ${x(e.else)})`;
      case 'case': {
        const arms = e.arms.map((a) => `${x(a.cond)} -> ${x(a.value)}`);
        if (e.other) arms.push(`OTHER -> ${x(e.other)}`);
        return `(CASE ${arms.join(' [] ')})`;
      }
      case 'quant':
        return `(${e.forall ? '\\A' : '\\E'} ${this.binders(e.bounds, e.sets, env)} : ${x(e.body)})`;
      case 'choose':
        return `(CHOOSE ${this.bound(e.bound, this.boundHint(e.bound))} \\in ${x(e.set)} : ${x(e.cond)})`;
      case 'letIn':
        return `(LET ${this.bound(e.bound, this.boundHint(e.bound))} == ${x(e.value)} IN ${x(e.body)})`;
      case 'recCall':
      case 'recFnValue': {
        const fn = this.p.recFns[e.fn];
        // A RECURSIVE operator is called with parentheses, a recursive function applied with brackets.
        const use = (name: string, inner: Env): string =>
          e.k !== 'recCall' ? name : fn.domain ? `${name}[${this.expr(e.arg, inner)}]` : `${name}(${this.expr(e.arg, inner)})`;
        const known = env.recFns.get(e.fn);
        if (known) return use(known, env);
        // A LET at the point of use: the body reads the variables' current values in this step.
        const name = env.names.fresh(fn.name);
        const inner: Env = { ...env, recFns: new Map(env.recFns).set(e.fn, name) };
        const param = this.bound(fn.param, this.boundHint(fn.param));
        if (e.k === 'recCall' && !fn.domain) return `(LET RECURSIVE ${name}(_) ${name}(${param}) == ${this.expr(fn.body, inner)} IN ${use(name, inner)})`;
        return `(LET ${name}[${param} \\in ${this.expr(functionDomain(fn), inner)}] == ${this.expr(fn.body, inner)} IN ${use(name, inner)})`;
      }
      case 'checked':
        return `(IF ${x(e.cond)} THEN ${x(e.value)} ELSE Assert(FALSE, ${tlaString(`${e.property}: ${e.message}`)}))`;
      case 'objectRead':
        return kernelKindReached(e);
      default:
        return assertNever(e);
    }
  }

  // ---------------------------------------------------------------- statements

  /** Set while a hand-written action is rendered: it has no pc of its own, and leaves pc as it is. */
  private renderingAction = false;

  /** Names for the successive values one step gives a variable: `x_1`, `x_2`, fresh in `names`. */
  private versions(names: Names): (r: IR.VarRef) => string {
    const counters = new Map<string, number>();
    return (r) => {
      const key = refKey(r);
      const n = (counters.get(key) ?? 0) + 1;
      counters.set(key, n);
      return names.fresh(`${this.varName(r)}_${n}`);
    };
  }

  /** A hand-written action (`action Name == ...`): its one label's body, no pc of its own. */
  handWrittenAction(label: IR.LabelInfo): Act {
    this.renderingAction = true;
    try {
      const names = this.names.child();
      return this.stmts(label.body, 0, { self: null, cur: new Map(), recFns: new Map(), names }, this.versions(names), () => {
        throw new Error(`action ${label.name}: a path runs off the end of the step`);
      });
    } finally {
      this.renderingAction = false;
    }
  }

  /** The action of one label: its body with `self` the running process. */
  labelAction(label: IR.LabelInfo): Act {
    const names = this.names.child();
    const env: Env = { self: this.selfName, cur: new Map(), recFns: new Map(), names };
    const body = this.stmts(label.body, 0, env, this.versions(names), () => {
      throw new Error(`label ${label.name}: a path runs off the end of the step`);
    });
    return junction('conj', [atom(`pc${this.at('self')} = ${tlaString(label.name)}`), body]);
  }

  private stmts(ss: IR.Stmt[], i: number, env: Env, version: (r: IR.VarRef) => string, k: (env: Env) => Act): Act {
    if (i === ss.length) return k(env);
    const s = ss[i];
    const rest = (after: Env): Act => this.stmts(ss, i + 1, after, version, k);
    const x = (e: IR.Expr): string => this.expr(e, env);
    if (isKernelStmt(s)) return kernelKindReached(s);
    switch (s.k) {
      case 'assign': {
        const paths = s.targets.map((t) => t.path.map((p) => this.key(p, env)).join(''));
        const values = s.values.map(x);
        const cur = new Map(env.cur);
        const defs = s.targets.map((t, j) => {
          const old = cur.get(refKey(t.ref)) ?? this.varName(t.ref);
          const path = (t.ref.kind === 'pvar' ? this.at(this.self(env)) : '') + paths[j];
          const name = version(t.ref);
          cur.set(refKey(t.ref), name);
          return `${name} == ${path === '' ? values[j] : `[${old} EXCEPT !${path} = ${values[j]}]`}`;
        });
        return letAct(defs, rest({ ...env, cur }));
      }
      case 'await':
        return junction('conj', [atom(x(s.cond)), rest(env)]);
      case 'check':
        return junction('conj', [atom(`Assert(${x(s.cond)}, ${tlaString(`${s.property}: ${s.message}`)})`), rest(env)]);
      case 'print':
        return rest(env);
      case 'if':
        if (s.cond.k === 'lit' && typeof s.cond.value === 'boolean') return this.stmts(s.cond.value ? s.then : s.else, 0, env, version, rest);
        return { t: 'ite', cond: x(s.cond), then: this.stmts(s.then, 0, env, version, rest), else: this.stmts(s.else, 0, env, version, rest) };
      case 'either':
        return junction('disj', s.branches.map((b) => this.stmts(b, 0, env, version, rest)));
      case 'with':
        return { t: 'exists', name: this.bound(s.bound, this.boundHint(s.bound)), set: x(s.set), body: this.stmts(s.body, 0, env, version, rest) };
      case 'let':
        return letAct([`${this.bound(s.bound, this.boundHint(s.bound))} == ${x(s.value)}`], this.stmts(s.body, 0, env, version, rest));
      case 'goto':
        return this.finish(env, tlaString(this.p.labels[s.label].name), null);
      case 'done':
        return this.finish(env, '"Done"', null);
      case 'call':
      case 'tailcall':
        return this.call(s, env, version);
      case 'return':
        return this.ret(s, env);
      default:
        return assertNever(s);
    }
  }

  /**
   * PlusCal's call: push the frame, set the params to the args and the locals to their inits. A tail
   * call (`call q(); return;`, see the IR's tailcall) replaces the top frame and restores the
   * caller's locals from it, or (calling itself) leaves the stack alone.
   */
  private call(s: Extract<IR.Stmt, { k: 'call' | 'tailcall' }>, env: Env, version: (r: IR.VarRef) => string): Act {
    const proc = this.p.procedures[s.procedure];
    const self = this.self(env);
    const args = s.args.map((a) => this.expr(a, env));
    const vars = [...proc.params, ...proc.locals];
    const head = `Head(stack${this.at(self)})`;
    const selfCall = s.k === 'tailcall' && s.from === s.procedure;
    const fields = [
      `procedure |-> ${tlaString(proc.name)}`,
      `pc |-> ${s.k === 'tailcall' ? `${head}.pc` : tlaString(s.returnTo === null ? DONE : this.p.labels[s.returnTo].name)}`,
      ...vars.map((v) => `${fieldName(this.p.processVars[v].name)} |-> ${this.expr({ k: 'pvar', index: v }, env)}`),
    ];
    const below = s.k === 'tailcall' ? `Tail(stack${this.at(self)})` : `stack${this.at(self)}`;
    const stack = selfCall ? null : this.update('stack', self, `<<[${fields.join(', ')}]>> \\o ${below}`);
    const cur = new Map(env.cur);
    const defs: string[] = [];
    const write = (v: number, value: string): void => {
      const r: IR.VarRef = { kind: 'pvar', index: v };
      const name = version(r);
      defs.push(`${name} == ${this.update(cur.get(refKey(r)) ?? this.varName(r), self, value)}`);
      cur.set(refKey(r), name);
    };
    if (s.k === 'tailcall' && !selfCall) for (const v of this.p.procedures[s.from].locals) write(v, `${head}${fieldKey(this.p.processVars[v].name)}`);
    proc.params.forEach((v, j) => write(v, args[j]));
    for (const v of proc.locals) write(v, this.expr(this.p.processVars[v].init!, { ...env, cur }));
    const end = this.finish({ ...env, cur }, tlaString(this.p.labels[proc.entry].name), stack);
    return letAct(defs, end);
  }

  /** PlusCal's return: pop the frame, restoring the procedure's variables and the caller's pc. */
  private ret(s: Extract<IR.Stmt, { k: 'return' }>, env: Env): Act {
    const proc = this.p.procedures[s.procedure];
    const self = this.self(env);
    const cur = new Map(env.cur);
    for (const v of [...proc.params, ...proc.locals]) {
      const r: IR.VarRef = { kind: 'pvar', index: v };
      cur.set(refKey(r), this.update(cur.get(refKey(r)) ?? this.varName(r), self, `Head(stack${this.at(self)})${fieldKey(this.p.processVars[v].name)}`));
    }
    return this.finish({ ...env, cur }, `Head(stack${this.at(self)}).pc`, this.update('stack', self, `Tail(stack${this.at(self)})`));
  }

  /** The end of a path: pc, every written variable's new value, UNCHANGED for the rest. */
  private finish(env: Env, pc: string, stack: string | null): Act {
    const items: Act[] = this.renderingAction ? [] : [atom(`pc' = ${this.update('pc', this.self(env), pc)}`)];
    const unchanged: string[] = this.renderingAction ? ['pc'] : [];
    const refs: IR.VarRef[] = [
      ...this.p.globals.map((_, index) => ({ kind: 'global', index }) as IR.VarRef),
      ...this.p.processVars.map((_, index) => ({ kind: 'pvar', index }) as IR.VarRef),
    ];
    for (const r of refs) {
      const now = env.cur.get(refKey(r));
      if (now === undefined) unchanged.push(this.varName(r));
      else items.push(atom(`${this.varName(r)}' = ${now}`));
    }
    if (this.p.procedures.length > 0) {
      if (stack) items.push(atom(`stack' = ${stack}`));
      else unchanged.push('stack');
    }
    if (unchanged.length) items.push(atom(`UNCHANGED ${unchanged.length === 1 ? unchanged[0] : `<< ${unchanged.join(', ')} >>`}`));
    return junction('conj', items);
  }
}

/** A record field name usable as `r.f` and `[f |-> ...]`. */
function isField(k: unknown): boolean {
  return typeof k === 'string' && IDENT.test(k) && !KEYWORDS.slice(0, KEYWORDS.indexOf('Nat')).includes(k);
}

function fieldName(n: string): string {
  return isField(n) ? n : tlaString(n);
}

function fieldKey(n: string): string {
  return isField(n) ? `.${n}` : `[${tlaString(n)}]`;
}

/** Calls `onValue` on every value the program holds: literals, initial values, process ids, symmetry sets. */
function forEachValue(p: IR.Program, onValue: (v: Value) => void): void {
  forEachExpr(p, (e) => e.k === 'lit' && onValue(e.value));
  p.globals.forEach((g) => g.inits.forEach(onValue));
  p.instances.forEach((i) => onValue(i.id));
  (p.symmetry ?? []).forEach((set) => set.forEach(onValue));
}

function usesBound(e: IR.Expr, id: number): boolean {
  return someExpr(e, (x) => x.k === 'bound' && x.id === id);
}

function usesSelf(e: IR.Expr): boolean {
  return someExpr(e, (x) => x.k === 'self' || x.k === 'pvar');
}

/**
 * TLC cannot compare an integer with a string (it stops with "Attempted to check equality of
 * integer 1 with non-integer"), while lockspec's values of different types are simply unequal. When
 * process ids mix integers and strings (`process Lookup \in 1..2` with `process Migrate = "M"`),
 * the string ids are translated as model values, which TLC compares with anything; every
 * occurrence of those strings stands for the process, except label and procedure names (pc values).
 */
function stringIdsAsModelValues(p: IR.Program): string[] {
  const ids = p.instances.slice(0, processCount(p)).map((i) => i.id);
  if (!ids.some((v) => typeof v === 'number')) return [];
  const structural = new Set([...p.labels.map((l) => l.name), ...p.procedures.map((q) => q.name)]);
  return ids.filter((v): v is string => typeof v === 'string' && !structural.has(v));
}

/** Every model value the program mentions, by name, sorted (TLC orders them as the config does). */
function collectModelValues(p: IR.Program): string[] {
  const found = new Set<string>();
  const visit = (v: Value): void => {
    if (v instanceof ModelValue) found.add(v.name);
    else if (isSet(v)) v.forEach(visit);
    else if (typeof v === 'object') v.forEach((x, k) => (visit(k), visit(x)));
  };
  forEachValue(p, visit);
  if (p.processVars.some((v) => v.init === null)) found.add('defaultInitValue');
  return [...found].sort();
}

/** Translates a program into a TLA+ module and the TLC config that checks it as lockspec does. */
export function exportTla(p: IR.Program, opts: TlaOptions = {}): TlaExport {
  const tr = new Translator(p);
  forEachExpr(p, (e) => e.k === 'bound' && tr.boundHints.set(e.id, e.name));
  const moduleName = tr.names.fresh(p.design ? `${p.name}_${p.design}` : p.name);
  const out: string[] = [];
  const line = (s = ''): void => void out.push(s);
  const def = (head: string, a: Act): void => {
    const lines = render(a);
    const pad = ' '.repeat(head.length + 4);
    line(`${head} == ${lines[0]}`);
    for (const l of lines.slice(1)) line(pad + l);
    line();
  };

  line(`---- MODULE ${moduleName} ----`);
  line(`\\* Translated by lockspec export-tla from the IR of ${opts.source ?? p.name}${p.design ? `, design ${p.design}` : ''}.`);
  if (p.constants.length) {
    line(`\\* Constants, folded into the translation: ${p.constants.map((c) => `${c.name} = ${showValue(c.value)}`).join(', ')}`);
  }
  line('EXTENDS Integers, Sequences, FiniteSets, TLC');
  line();
  if (tr.modelValueNames.length) {
    line(`CONSTANTS ${tr.modelValueNames.join(', ')}`);
    line();
  }

  const globals = p.globals.map((_, index) => tr.varName({ kind: 'global', index }));
  const pvars = p.processVars.map((_, index) => tr.varName({ kind: 'pvar', index }));
  const hasStack = p.procedures.length > 0;
  const vars = [...globals, 'pc', ...(hasStack ? ['stack'] : []), ...pvars];
  line(`VARIABLES ${vars.join(', ')}`);
  line();
  line(`vars == << ${vars.join(', ')} >>`);
  line();
  // Hand-written actions' pseudo-processes are no processes: not in ProcSet, no pc.
  const templates = p.processes.flatMap((proc, t) => (proc.action ? [] : [t]));
  if (!tr.uni) {
    line(`ProcSet == ${templates.map((t) => tr.templateSet(t)).join(' \\cup ') || '{}'}`);
    line();
  }

  // Init: the globals, the process variables, the stacks and the pcs.
  const init: Act[] = [];
  const topEnv = (self: string | null): Env => ({ self, cur: new Map(), recFns: new Map(), names: tr.names });
  if (p.initialGlobals) {
    // An `init ==` predicate: its initial tuples, listed (TLC enumerates an \E over them).
    const t = tr.names.fresh('t');
    const tuples = p.initialGlobals.map((tuple) => `<<${tuple.map((v) => tr.value(v)).join(', ')}>>`).join(', ');
    init.push(atom(`\\E ${t} \\in {${tuples}} : ${globals.map((g, i) => `${g} = ${t}[${i + 1}]`).join(' /\\ ')}`));
  } else {
    p.globals.forEach((g, i) => {
      init.push(atom(g.inits.length === 1 ? `${globals[i]} = ${tr.value(g.inits[0])}` : `${globals[i]} \\in {${g.inits.map((v) => tr.value(v)).join(', ')}}`));
    });
  }
  p.processVars.forEach((v, i) => {
    if (tr.uni) {
      // Only procedures' variables: PlusCal's uniprocess translation initialises them as globals.
      const e = v.init === null ? tr.defaultInit : tr.expr(v.init, topEnv(tr.selfName));
      return void init.push(atom(`${pvars[i]} ${v.initKind === '=' ? '=' : '\\in'} ${e}`));
    }
    const dom = tr.pvarDomain(i);
    if (v.init === null) return void init.push(atom(`${pvars[i]} = [self \\in ${dom} |-> ${tr.defaultInit}]`));
    const e = tr.expr(v.init, topEnv('self'));
    if (v.initKind === '=') init.push(atom(`${pvars[i]} = [self \\in ${dom} |-> ${e}]`));
    else if (!usesSelf(v.init)) init.push(atom(`${pvars[i]} \\in [${dom} -> ${e}]`));
    else {
      const f = tr.names.fresh('f');
      init.push(atom(`${pvars[i]} \\in {${f} \\in [${dom} -> UNION {${e} : self \\in ${dom}}] : \\A self \\in ${dom} : ${f}[self] \\in ${e}}`));
    }
  });
  if (hasStack) init.push(atom(tr.uni ? 'stack = << >>' : 'stack = [self \\in ProcSet |-> << >>]'));
  const entry = (t: number): string => tlaString(p.labels[p.processes[t].entry].name);
  init.push(
    atom(
      tr.uni
        ? `pc = ${entry(0)}`
        : templates.length === 1
        ? `pc = [self \\in ProcSet |-> ${entry(0)}]`
        : `pc = [self \\in ProcSet |-> CASE ${templates.map((t) => `self \\in ${tr.templateSet(t)} -> ${entry(t)}`).join(' [] ')}]`,
    ),
  );
  def('Init', junction('conj', init));

  // One action per label, one disjunction per process template and per procedure.
  const actionName = p.labels.map((l) => tr.names.fresh(l.name));
  const groups = [
    ...p.procedures.map((proc, index) => ({ name: proc.name, owner: { kind: 'procedure', index } })),
    ...templates.map((index) => ({ name: p.processes[index].name, owner: { kind: 'process', index } })),
  ].map((g) => ({ ...g, opName: tr.names.fresh(g.name), labels: p.labels.flatMap((l, i) => (l.owner.kind === g.owner.kind && l.owner.index === g.owner.index ? [i] : [])) }));
  for (const g of groups) {
    line(`\\* ${g.owner.kind} ${g.name}`);
    for (const i of g.labels) {
      if (p.labels[i].description) line(`\\* ${p.labels[i].name}: ${p.labels[i].description}`);
      def(tr.ofSelf(actionName[i]), tr.labelAction(p.labels[i]));
    }
    def(tr.ofSelf(g.opName), junction('disj', g.labels.map((i) => atom(tr.ofSelf(actionName[i])))));
  }
  const procOps = groups.filter((g) => g.owner.kind === 'procedure').map((g) => tr.ofSelf(g.opName));
  const allDone = tr.uni ? 'pc = "Done"' : '\\A self \\in ProcSet: pc[self] = "Done"';
  const canFinish = p.labels.some((l) => hasDone(l.body));
  if (canFinish) {
    line('\\* Allow infinite stuttering to prevent deadlock on termination.');
    def('Terminating', junction('conj', [atom(allDone), atom('UNCHANGED vars')]));
  }
  const next = groups
    .filter((g) => g.owner.kind === 'process')
    .map((g) => {
      const ops = [tr.ofSelf(g.opName), ...procOps].join(' \\/ ');
      return atom(tr.uni ? `(${ops})` : `(\\E self \\in ${tr.templateSet(g.owner.index)}: ${ops})`);
    });
  // Each hand-written action: a disjunct of Next of its own, as in a published spec.
  const handWritten = p.processes.flatMap((proc) => (proc.action ? [{ proc, name: tr.names.fresh(proc.name) }] : []));
  for (const a of handWritten) {
    line(`\\* action ${a.proc.name}`);
    def(a.name, tr.handWrittenAction(p.labels[a.proc.entry]));
    next.push(atom(a.name));
  }
  if (canFinish) next.push(atom('Terminating'));
  def('Next', next.length ? junction('disj', next) : atom('FALSE'));
  // Fairness as PlusCal's translation writes it (see templateFairness).
  const fairness = templates.flatMap((t) => {
    const f = templateFairness(p, t);
    if (!f) return [];
    const opOf = (owner: { kind: string; index: number }): string => groups.find((g) => g.owner.kind === owner.kind && g.owner.index === owner.index)!.opName;
    const parts = f.groups.map((g) => {
      const unfair = g.labels.filter((l) => p.labels[l].fairness === 'none').map((l) => tlaString(p.labels[l].name));
      const op = tr.ofSelf(opOf(g.owner));
      const action = unfair.length ? `(pc${tr.at('self')} \\notin {${unfair.join(', ')}}) /\\ ${op}` : op;
      return `${f.strong ? 'SF' : 'WF'}_vars(${action})`;
    });
    parts.push(...f.strongLabels.map((l) => `SF_vars(${tr.ofSelf(actionName[l])})`));
    return [tr.uni ? parts.join(' /\\ ') : `\\A self \\in ${tr.templateSet(t)} : ${parts.join(' /\\ ')}`];
  });
  fairness.push(...handWritten.filter((a) => a.proc.fairness === 'weak').map((a) => `WF_vars(${a.name})`));
  // With fairness, a bulleted list as PlusCal writes it: each `\A self` ends at the next bullet.
  if (fairness.length === 0) line('Spec == Init /\\ [][Next]_vars');
  else line(['Spec == /\\ Init /\\ [][Next]_vars', ...fairness.map((f) => `        /\\ ${f}`)].join('\n'));
  line();

  // Properties: invariants, and finals as implications from "every process has finished".
  const props: string[] = [];
  for (const inv of p.invariants) {
    const name = tr.names.fresh(inv.name);
    props.push(name);
    line(`${name} == ${tr.expr(inv.body, topEnv(null))}`);
    line();
  }
  for (const fin of p.finals) {
    const name = tr.names.fresh(fin.name);
    props.push(name);
    line(`${name} == (${tr.uni ? 'pc = "Done"' : '\\A self \\in ProcSet : pc[self] = "Done"'}) => ${tr.expr(fin.body, topEnv(null))}`);
    line();
  }
  // Constraints: TLC's CONSTRAINT, as lockspec reads them.
  const constraints: string[] = [];
  for (const c of p.constraints ?? []) {
    const name = tr.names.fresh(c.name);
    constraints.push(name);
    line(`${name} == ${tr.expr(c.body, topEnv(null))}`);
    line();
  }
  // Temporal properties, one per obligation (its \\A binders' values written in).
  const temporal: string[] = [];
  for (const t of p.temporal ?? []) {
    const name = tr.names.fresh(t.name);
    temporal.push(name);
    const to = `(${tr.expr(t.to, topEnv(null))})`;
    const formula = { leadsTo: `(${t.from ? tr.expr(t.from, topEnv(null)) : 'TRUE'}) ~> ${to}`, infinitelyOften: `[]<>${to}`, eventually: `<>${to}`, eventuallyAlways: `<>[]${to}` }[t.shape];
    line(`${name} == ${formula}${t.instance ? `  \\* ${t.instance}` : ''}`);
    line();
  }
  for (const r of p.reachable ?? []) {
    line(`\\* reachable ${r.name} == ${tr.expr(r.body, topEnv(null))}: TLC has no cover properties; lockspec checks it.`);
    line();
  }
  const symmetry = (p.symmetry ?? []).filter((s) => s.length > 1);
  if (symmetry.length) {
    line(`Perms == ${symmetry.map((s) => `Permutations({${s.map((v) => tr.value(v)).join(', ')}})`).join(' \\cup ')}`);
    line();
  }
  line('====');

  const cfg: string[] = [];
  if (tr.modelValueNames.length) cfg.push('CONSTANTS', ...tr.modelValueNames.map((n) => `  ${n} = ${n}`));
  cfg.push('SPECIFICATION Spec');
  if (props.length) cfg.push('INVARIANTS', ...props.map((n) => `  ${n}`));
  if (constraints.length) cfg.push('CONSTRAINTS', ...constraints.map((n) => `  ${n}`));
  if (temporal.length) cfg.push('PROPERTIES', ...temporal.map((n) => `  ${n}`));
  if (symmetry.length) cfg.push('SYMMETRY Perms');
  if (opts.deadlock === false || p.disabled.some((d) => d.name === 'Deadlock')) cfg.push('CHECK_DEADLOCK FALSE');
  return { name: moduleName, module: out.join('\n') + '\n', cfg: cfg.join('\n') + '\n' };
}

/** Whether a step can finish its process: directly, or by a call that returns to Done. */
function hasDone(ss: IR.Stmt[]): boolean {
  return someStmt(ss, (s) => s.k === 'done' || (s.k === 'call' && s.returnTo === null));
}
