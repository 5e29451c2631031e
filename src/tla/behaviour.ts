// The behaviour a TLC config names when it is not the translation's own: `SPECIFICATION S` or
// `NEXT N` naming a definition written after the translation, as kernel specs add hand-written
// actions (an interrupt, a context switch) to the PlusCal translation's Next:
//   IrqNext == Next \/ (\E self \in CPUS : Interrupt(self)) \/ Ack
//   IrqSpec == Init /\ [][IrqNext]_vars
// The disjuncts that are the translation's (`Next`, `Terminating`, a process's action `P` or
// `\E self \in S : P(self)`) are the algorithm; every other one becomes an `action` of the model
// (src/lang/actions.ts lowers it, as a step of a process when it moves that process's pc). What
// cannot be read so is a located error at the part that is not (LS3140, LS3141).
import type * as A from '../parser/ast.js';
import { parseWithGrammar } from '../parser/parse.js';
import { diag, type Diagnostic } from '../diagnostics/diagnostics.js';
import { tlaGrammars, type AlgorithmUnit, type ModuleDef } from './tla-grammar.js';

/** What the config's behaviour adds to the algorithm: the hand-written actions, and the definitions they replace. */
export interface Behaviour {
  actions: A.ActionDecl[];
  /** Definitions that are not checked as plain definitions: the Next and Spec read, the actions named bare. */
  consumed: Set<string>;
}

/** The definitions the front end knows: those it read, and those it set aside (by name, with their span). */
export interface KnownDefs {
  read: Map<string, ModuleDef>;
  unread: Map<string, A.Ident & { whole: A.Span }>;
  sources: Map<string, string>;
}

const TRANSLATION_NAMES = new Set(['Next', 'Terminating', 'Init', 'Spec', 'vars', 'ProcSet']);

/**
 * Reads `SPECIFICATION name` (kind 'specification') or `NEXT name` against the module's
 * definitions; null when it is the translation's own (nothing to add) or when it failed (reported).
 */
export function readBehaviour(kind: 'specification' | 'next', name: A.Ident, defs: KnownDefs, algorithm: AlgorithmUnit, diagnostics: Diagnostic[]): Behaviour | null {
  const fail = (span: A.Span, what: string, expected: string): null => {
    diagnostics.push(diag('TlaBehaviourShape', span, what, expected));
    return null;
  };
  const written = defs.read.get(name.name) ?? defs.unread.get(name.name);
  if (!written) {
    // The translation's own Spec or Next (or a name the config check reports).
    return null;
  }
  const consumed = new Set([name.name]);
  let next: A.Expr;
  let nextName = name;
  if (kind === 'specification') {
    const unread = defs.unread.get(name.name);
    if (!unread) return fail(name.span, `SPECIFICATION "${name.name}"`, 'a definition Init /\\ [][Next]_vars, with WF_vars(A) or SF_vars(A) conjuncts if any');
    const spec = readSpec(unread, defs.sources, fail);
    if (!spec) return null;
    const boxed = spec.next;
    if (boxed.kind === 'name' && !TRANSLATION_NAMES.has(boxed.name)) {
      nextName = { name: boxed.name, span: boxed.span };
      const body = nextBody(nextName, defs, fail);
      if (!body) return null;
      consumed.add(boxed.name);
      next = body;
    } else {
      next = spec.next;
    }
  } else {
    const body = nextBody(name, defs, fail);
    if (!body) return null;
    next = body;
  }
  if (next.kind === 'name' && next.name === 'Next') return { actions: [], consumed };

  // The disjuncts, with `\E v \in S : A \/ B` spread over A and B, and zero-parameter definitions
  // that are disjunctions opened.
  const spread = (e: A.Expr, seen: Set<string>): A.Expr[] => {
    if (e.kind === 'binary' && e.op === '\\/') return [...spread(e.left, seen), ...spread(e.right, seen)];
    // Each part keeps the binder, and is shown (and located) as its own body, as TLC names the step.
    if (e.kind === 'quant' && e.quantifier === 'exists') return spread(e.body, seen).map((body) => ({ ...e, body, span: body.span }));
    if (e.kind !== 'name' || seen.has(e.name)) return [e];
    const def = defs.read.get(e.name);
    if (!def || 'temporal' in def || def.params.length > 0 || def.fnDomain || def.body.kind !== 'binary' || def.body.op !== '\\/') return [e];
    consumed.add(e.name);
    return spread(def.body, new Set(seen).add(e.name));
  };
  const disjuncts = spread(next, new Set());

  // Which of them are the translation's, and which processes they cover.
  const processes = algorithm.decls.filter((d): d is A.ProcessDecl => d.kind === 'process');
  const procedures = new Set(algorithm.decls.flatMap((d) => (d.kind === 'procedure' ? [d.name.name] : [])));
  const userDefined = (n: string): boolean => defs.read.has(n) || defs.unread.has(n);
  const sourceOf = (s: A.Span): string => (defs.sources.get(s.file) ?? '').slice(s.start, s.end).replace(/\s+/g, ' ').trim();
  const covered = new Set<string>();
  const actions: A.ActionDecl[] = [];
  const names = new Set<string>();
  for (const d of disjuncts) {
    const translated = translationPart(d, processes, procedures, userDefined, sourceOf);
    if (translated) {
      covered.add(translated);
      continue;
    }
    // The action is named as TLC names a step: by its text (`Ack`, `Interrupt(self)`).
    let actionName = sourceOf(d.span);
    for (let i = 2; names.has(actionName); i++) actionName = `${sourceOf(d.span)} #${i}`;
    names.add(actionName);
    let body = d;
    if (d.kind === 'name') {
      // A bare name: the action takes the definition's place (a definition with primes is no state predicate).
      const def = defs.read.get(d.name);
      if (def && !('temporal' in def) && def.params.length === 0 && !def.fnDomain) {
        consumed.add(d.name);
        body = def.body;
      }
    }
    actions.push({ kind: 'action', fair: false, name: { name: actionName, span: d.span }, body, span: d.span });
  }
  if (!covered.has('Next')) {
    const missing = processes.filter((p) => !covered.has(p.name.name)).map((p) => `process ${p.name.name}`);
    for (const p of procedures) if (!covered.has(p)) missing.push(`procedure ${p}`);
    if (!covered.has('Terminating')) missing.push('Terminating (the finished processes\' stuttering)');
    if (missing.length > 0) {
      diagnostics.push(diag('TlaNextOmitsProcess', (defs.read.get(nextName.name)?.name ?? nextName).span, missing.join(', ')));
      return null;
    }
  }
  return { actions, consumed };
}

/** The name of the translation's part a disjunct is (`Next`, `Terminating`, a process or procedure), or null. */
function translationPart(
  d: A.Expr, processes: A.ProcessDecl[], procedures: Set<string>, userDefined: (n: string) => boolean, sourceOf: (s: A.Span) => string,
): string | null {
  if (d.kind === 'name' && !userDefined(d.name)) {
    if (d.name === 'Next' || d.name === 'Terminating') return d.name;
    const single = processes.find((p) => p.name.name === d.name && p.setKind === '=');
    if (single) return d.name;
    return null;
  }
  if (d.kind !== 'quant' || d.quantifier !== 'exists' || d.binders.length !== 1 || d.binders[0].names.length !== 1) return null;
  const self = d.binders[0].names[0].name;
  const body = d.body;
  if (body.kind !== 'opcall' || userDefined(body.name.name) || body.args.length !== 1 || body.args[0].kind !== 'name' || body.args[0].name !== self) return null;
  const set = sourceOf(d.binders[0].set.span);
  const process = processes.find((p) => p.name.name === body.name.name && p.setKind === '\\in');
  if (process && (set === 'ProcSet' || set === sourceOf(process.id.span))) return process.name.name;
  if (procedures.has(body.name.name) && set === 'ProcSet') return body.name.name;
  return null;
}

/** The body of the Next definition `name`, read (a parameterless definition that parses), or null (reported). */
function nextBody(name: A.Ident, defs: KnownDefs, fail: (span: A.Span, what: string, expected: string) => null): A.Expr | null {
  const def = defs.read.get(name.name);
  if (!def) {
    const unread = defs.unread.get(name.name);
    return fail(unread?.span ?? name.span, `the Next "${name.name}"`, 'a definition lockspec can read: a disjunction of the translation\'s Next or process actions and hand-written actions');
  }
  if ('temporal' in def || def.params.length > 0 || def.fnDomain) return fail(def.name.span, `the Next "${name.name}"`, 'a definition without parameters');
  return def.body;
}

/** `Spec == Init /\ [][N]_vars /\ WF_vars(A) ...`: N, a name or an expression read where it is written (the fairness is not read). */
function readSpec(
  def: A.Ident & { whole: A.Span }, sources: Map<string, string>, fail: (span: A.Span, what: string, expected: string) => null,
): { next: A.Expr } | null {
  const source = sources.get(def.whole.file) ?? '';
  const text = source.slice(def.whole.start, def.whole.end);
  const eq = text.indexOf('==');
  const bodyStart = def.whole.start + eq + 2;
  // Comments blanked so that they are not read as conjuncts.
  const body = source.slice(bodyStart, def.whole.end).replace(/\\\*[^\n]*/g, (c) => ' '.repeat(c.length)).replace(/\(\*[^]*?\*\)/g, (c) => c.replace(/[^\n]/g, ' '));
  const expected = 'Init /\\ [][Next]_vars, with WF_vars(A) or SF_vars(A) conjuncts if any';
  const box = /\[\]\s*\[([^]*)\]_\s*vars\b/.exec(body);
  if (!box) return fail(def.span, `SPECIFICATION "${def.name}"`, expected);
  const fair = /(?:WF|SF)_vars\s*\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*\)/g;
  const rest = (body.slice(0, box.index) + body.slice(box.index + box[0].length)).replace(fair, ' ').replace(/\/\\/g, ' ').trim();
  if (rest !== 'Init') return fail(def.span, `SPECIFICATION "${def.name}"`, expected);
  // N parsed where it is written: the rest of the file blanked, offsets kept.
  const from = bodyStart + box.index + box[0].indexOf('[', 2) + 1;
  const to = from + box[1].length;
  const only = source.slice(0, from).replace(/[^\n]/g, ' ') + source.slice(from, to) + source.slice(to).replace(/[^\n]/g, ' ');
  const g = tlaGrammars();
  const [errs, next] = parseWithGrammar<A.Expr>(g.module, g.moduleSemantics, only, def.span.file, 'Expr');
  if (!next) return fail(errs[0]?.span ?? def.span, `the Next of SPECIFICATION "${def.name}"`, 'an expression lockspec can read');
  return { next };
}
