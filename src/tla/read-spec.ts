// The front end for specs as they are published: a TLA+ module holding a PlusCal algorithm (in
// a comment, C or P syntax), the modules it extends, and its TLC config, read into the same
// AST a .lspec file gives (an `algorithm` SourceFile), with every span in the .tla or the .cfg.
// The config decides what the model is: constants' values, which definitions are invariants and
// properties, symmetry, deadlock. What is read and what is refused: docs/tla-input.md.
import { dirname, join } from 'node:path';
import type * as A from '../parser/ast.js';
import { parseWithGrammar } from '../parser/parse.js';
import { blockCommentEnd } from '../parser/column-layout.js';
import { diag, type Diagnostic } from '../diagnostics/diagnostics.js';
import { readBehaviour, type KnownDefs } from './behaviour.js';
import type { OpParam } from '../parser/build-ast.js';
import { expandInstances } from './instance.js';
import {
  tlaGrammars, type AlgorithmUnit, type CfgItem, type ModuleDef, type ModuleUnit, type TemporalDef, type TlaModuleAst,
} from './tla-grammar.js';

/** What the front end needs from the pipeline: file reading and the names files are shown by. */
export interface TlaFiles {
  /** The text of the file at an absolute path, or why it cannot be read. */
  read(path: string): { text: string } | { unreadable: string };
  /** The name a file is shown by in messages. */
  show(path: string): string;
}

export interface TlaSpec {
  /** Every file read, by the name it is shown by. */
  sources: Map<string, string>;
  /** Errors (then `ast` is null) and warnings. */
  diagnostics: Diagnostic[];
  ast: A.SourceFile | null;
}

/** The standard modules whose operators lockspec has built in. */
const STANDARD_MODULES = new Set(['Naturals', 'Integers', 'Sequences', 'FiniteSets', 'TLC', 'Bags']);
/** Standard modules lockspec does not have yet. */
const LATER_MODULES = new Set(['Reals', 'TLCExt', 'Randomization', 'Json']);

/** The module text with what the grammar does not read blanked out (offsets kept), and the translation. */
interface Prepared {
  text: string;
  /** The translation's text and where it starts, or null when there is none. */
  translation: { text: string; start: number } | null;
  error: Diagnostic | null;
}

/** Replaces text[from, to) by spaces, keeping line breaks, so that every offset stays where it was. */
function blank(text: string, from: number, to: number): string {
  return text.slice(0, from) + text.slice(from, to).replace(/[^\n]/g, ' ') + text.slice(to);
}

/**
 * Blanks the text before the module's first line and after its `====` line, the translation
 * between `\* BEGIN TRANSLATION` and `\* END TRANSLATION`, and the comment delimiters around the
 * algorithm, so that the grammar reads the algorithm as one unit of the module.
 */
function prepare(source: string, file: string): Prepared {
  let text = source;
  const head = /^[ \t]*-{4,}[ \t]*MODULE\b/m.exec(text);
  if (!head) return { text, translation: null, error: diag('NoModuleHeader', { file, start: 0, end: Math.min(1, text.length) }) };
  text = blank(text, 0, head.index);
  const end = /^[ \t]*={4,}/m.exec(text.slice(head.index));
  if (end) {
    const after = head.index + end.index + end[0].length;
    text = blank(text, after, text.length);
  }
  let translation: Prepared['translation'] = null;
  const begin = /\\\*+[ \t]*BEGIN TRANSLATION[^\n]*/.exec(text);
  if (begin) {
    const close = /\\\*+[ \t]*END TRANSLATION[^\n]*/.exec(text.slice(begin.index));
    if (!close) return { text, translation: null, error: diag('TranslationUnclosed', { file, start: begin.index, end: begin.index + begin[0].length }) };
    const start = begin.index + begin[0].length;
    const stop = begin.index + close.index;
    translation = { text: text.slice(start, stop), start: begin.index };
    text = blank(text, begin.index, stop + close[0].length);
  }
  const algorithm = /--(?:fair\s+)?algorithm\b/.exec(text);
  if (algorithm) {
    // The comment that holds the algorithm: the nearest `(*` before it whose comment ends after it.
    for (let open = text.lastIndexOf('(*', algorithm.index); open >= 0; open = text.lastIndexOf('(*', open - 1)) {
      const close = blockCommentEnd(text, open);
      if (close < 0 || close > algorithm.index) {
        if (close < 0) break; // the parser reports the comment never closed
        let openEnd = open + 2;
        while (text[openEnd] === '*') openEnd++;
        let closeStart = close - 2;
        while (closeStart > openEnd && text[closeStart - 1] === '*') closeStart--;
        text = blank(blank(text, closeStart, close), open, openEnd);
        break;
      }
      if (open === 0) break;
    }
  }
  return { text, translation, error: null };
}

/** A module read: its parse and, for the stale-translation check, its translation. */
interface ReadModule {
  ast: TlaModuleAst;
  file: string;
  translation: Prepared['translation'];
}

/** Reads a .tla spec and its config into an algorithm SourceFile (see the file comment). */
export function readTlaSpec(path: string, configPath: string | null, files: TlaFiles): TlaSpec {
  const sources = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  const failed = (): TlaSpec => ({ sources, diagnostics, ast: null });

  const readModule = (file: string): ReadModule | { unreadable: string } | null => {
    const read = files.read(file);
    if ('unreadable' in read) return read;
    const shown = files.show(file);
    sources.set(shown, read.text);
    const prepared = prepare(read.text, shown);
    if (prepared.error) {
      diagnostics.push(prepared.error);
      return null;
    }
    const [errs, ast] = parseWithGrammar<TlaModuleAst>(tlaGrammars().module, tlaGrammars().moduleSemantics, prepared.text, shown, 'Module');
    diagnostics.push(...errs);
    return ast ? { ast, file: shown, translation: prepared.translation } : null;
  };

  // The root module and the modules it extends, extended ones first, each once; and the modules
  // they instantiate, by name.
  const modules: ReadModule[] = [];
  const instanced = new Map<string, TlaModuleAst>();
  const done = new Set<string>();
  const visit = (file: string, from: A.Ident | null, visiting: Set<string>): void => {
    if (done.has(file)) return;
    const read = readModule(file);
    if (read === null) return;
    if ('unreadable' in read) {
      diagnostics.push(from ? diag('UnknownTlaModule', from.span, from.name) : diag('NotAFile', null, files.show(file), read.unreadable));
      return;
    }
    visiting.add(file);
    for (const unit of read.ast.units) {
      if (unit.kind !== 'extends') continue;
      for (const name of unit.names) {
        if (STANDARD_MODULES.has(name.name)) continue;
        if (LATER_MODULES.has(name.name)) {
          diagnostics.push(diag('TlaNotSupportedYet', name.span, `the standard module ${name.name}`));
          continue;
        }
        const target = join(dirname(file), `${name.name}.tla`);
        if (visiting.has(target)) diagnostics.push(diag('ModuleCycle', name.span, name.name));
        else visit(target, name, visiting);
      }
    }
    for (const unit of read.ast.units) {
      if (unit.kind !== 'instance' || instanced.has(unit.module.name)) continue;
      const name = unit.module;
      if (STANDARD_MODULES.has(name.name) || LATER_MODULES.has(name.name)) {
        // `INSTANCE Naturals` is EXTENDS Naturals; a standard module's operators under a name are not read.
        if (unit.name || LATER_MODULES.has(name.name)) diagnostics.push(diag('TlaNotSupportedYet', name.span, `INSTANCE of the standard module ${name.name}${unit.name ? ' under a name' : ''}`));
        continue;
      }
      const instance = readModule(join(dirname(file), `${name.name}.tla`));
      if (instance === null) continue;
      if ('unreadable' in instance) diagnostics.push(diag('UnknownTlaModule', name.span, name.name));
      else instanced.set(name.name, instance.ast);
    }
    visiting.delete(file);
    done.add(file);
    modules.push(read);
  };
  visit(path, null, new Set());
  if (diagnostics.length > 0 || modules.length === 0) return failed();
  const root = modules[modules.length - 1].ast;

  // The config: beside the .tla unless --config names one.
  const cfgPath = configPath ?? path.replace(/\.tla$/, '') + '.cfg';
  const cfgRead = files.read(cfgPath);
  if ('unreadable' in cfgRead) {
    diagnostics.push(diag('NoConfig', configPath ? null : root.name.span, files.show(cfgPath), cfgRead.unreadable));
    return failed();
  }
  const cfgShown = files.show(cfgPath);
  sources.set(cfgShown, cfgRead.text);
  const [cfgErrs, cfg] = parseWithGrammar<CfgItem[]>(tlaGrammars().config, tlaGrammars().configSemantics, cfgRead.text, cfgShown, 'Config');
  diagnostics.push(...cfgErrs);
  if (!cfg) return failed();

  const ast = buildSourceFile(root, modules, instanced, cfg, cfgShown, sources, diagnostics);
  return { sources, diagnostics, ast: diagnostics.some((d) => d.severity === 'error') ? null : ast };
}

/** A unit lockspec cannot read yet: the located errors. */
function unsupported(units: ModuleUnit[], diagnostics: Diagnostic[]): void {
  for (const u of units) {
    if (u.kind === 'unsupported') diagnostics.push(diag('TlaNotSupportedYet', u.span, u.what));
    if (u.kind === 'variables') diagnostics.push(diag('TlaNotSupportedYet', u.span, 'VARIABLES outside the algorithm (hand-written TLA+ actions)'));
  }
}

/** The names the modules declare or define (an instance's implicit substitutions name them). */
function declaredNames(units: ModuleUnit[]): Set<string> {
  const names = new Set<string>(['pc', 'stack']);
  for (const u of units) {
    if (u.kind === 'constants') for (const n of u.names) names.add(n.name);
    if (u.kind === 'def') names.add(u.def.name.name);
    if (u.kind === 'unread') names.add(u.name.name);
    if (u.kind === 'algorithm') {
      for (const d of u.decls) {
        if (d.kind === 'variables') for (const v of d.vars) names.add(v.name.name);
        if (d.kind === 'process') for (const v of d.locals) names.add(v.name.name);
        if (d.kind === 'define') for (const def of d.defs) names.add(def.name.name);
      }
    }
  }
  return names;
}

function isTemporal(def: ModuleDef): def is TemporalDef {
  return 'temporal' in def;
}

/** The SourceFile of the modules (extended ones first, the root last) under the config. */
function buildSourceFile(
  root: TlaModuleAst, modules: ReadModule[], instanced: Map<string, TlaModuleAst>, cfg: CfgItem[], cfgFile: string,
  sources: Map<string, string>, diagnostics: Diagnostic[],
): A.SourceFile | null {
  const asWritten = modules.flatMap((m) => m.ast.units);
  const units = expandInstances(asWritten, { modules: instanced, declared: declaredNames(asWritten), standardModules: STANDARD_MODULES }, diagnostics);
  unsupported(units, diagnostics);
  const algorithms = units.filter((u): u is AlgorithmUnit => u.kind === 'algorithm');
  if (algorithms.length === 0) {
    diagnostics.push(diag('NoAlgorithm', root.name.span, root.name.name));
    return null;
  }
  if (algorithms.length > 1) {
    diagnostics.push(diag('SecondAlgorithm', algorithms[1].name.span, `${algorithms[0].name.span.file}:${algorithms[0].name.name}`));
    return null;
  }
  const algorithm = algorithms[0];

  // Every definition, the module's (those a RECURSIVE unit names marked) and the algorithm's define block's, by name.
  markModuleRecursive(units, diagnostics);
  const defs: ModuleDef[] = [];
  for (const u of units) if (u.kind === 'def') defs.push(u.def);
  for (const d of algorithm.decls) if (d.kind === 'define') defs.push(...(d.defs as ModuleDef[]));
  if (!defs.some((d) => d.name.name === TERMINATION.name)) {
    const termination = translatorsTermination(sources);
    if (termination) defs.push(termination);
  }
  const defByName = new Map(defs.map((d) => [d.name.name, d]));
  const unread = new Map(units.flatMap((u) => (u.kind === 'unread' ? [[u.name.name, { ...u.name, whole: u.span }] as const] : [])));
  const known: KnownDefs = { read: defByName, unread, sources };
  /** A SPECIFICATION or NEXT the module defines itself (not the translation's): read with its hand-written actions. */
  const written = (name: A.Ident): boolean => defByName.has(name.name) || unread.has(name.name);
  let behaviour: { item: CfgItem & { name: A.Ident }; kind: 'specification' | 'next' } | null = null;
  /** A config name that is an unread definition: the located error, at the definition. */
  const isUnread = (name: A.Ident): boolean => {
    const def = unread.get(name.name);
    if (def) diagnostics.push(diag('TlaNotSupportedYet', def.span, `the definition "${def.name}", named in the config, which lockspec does not read (action-level TLA+: primes, [A]_v, WF/SF, ENABLED, UNCHANGED; or text it cannot parse),`));
    return def !== undefined;
  };
  const constants = units.flatMap((u) => (u.kind === 'constants' ? u.names : []));
  const constantOperators = units.flatMap((u) => (u.kind === 'constants' ? u.operators : []));
  /** Constant operators given a definition by the config (`F <- Def`): `F(p1, ...) == Def(p1, ...)`. */
  const operatorDefs: A.OperatorDef[] = [];
  /** The constant operators the config names (with a definition or, refused, a value). */
  const operatorsGiven = new Set<string>();

  const invariants = new Map<string, A.Ident>();
  const properties = new Map<string, A.Ident>();
  const constraints = new Map<string, A.Ident>();
  const decls: A.Decl[] = [];
  const cfgSpan = (): A.Span => ({ file: cfgFile, start: 0, end: 0 });
  let specification: CfgItem | null = null;
  let initNext = false;
  const valueOf = new Map<string, A.Expr>();
  const modelValues = new Map<string, A.Ident>();
  for (const item of cfg) {
    switch (item.kind) {
      case 'specification':
        if (written(item.name)) behaviour = { item, kind: 'specification' };
        else if (item.name.name !== 'Spec') diagnostics.push(diag('TlaNotSupportedYet', item.name.span, `a SPECIFICATION other than the translation's Spec ("${item.name.name}")`));
        specification = item;
        break;
      case 'init':
      case 'next': {
        const expected = item.kind === 'init' ? 'Init' : 'Next';
        if (item.kind === 'next' && written(item.name)) behaviour = { item, kind: 'next' };
        else if (item.name.name !== expected) diagnostics.push(diag('TlaNotSupportedYet', item.name.span, `an ${item.kind.toUpperCase()} other than the translation's ${expected} ("${item.name.name}")`));
        initNext = true;
        break;
      }
      case 'invariants':
        for (const n of item.names) invariants.set(n.name, n);
        break;
      case 'properties':
        for (const n of item.names) properties.set(n.name, n);
        break;
      case 'constraints':
        for (const n of item.names) constraints.set(n.name, n);
        break;
      case 'constants':
        for (const c of item.items) {
          if (c.kind === 'unsupported') {
            diagnostics.push(diag('TlaNotSupportedYet', c.span, c.what));
            continue;
          }
          // The translator declares defaultInitValue, the value of a variable declared without one.
          if (c.name.name === 'defaultInitValue' && !constants.some((k) => k.name === c.name.name)) continue;
          const operator = constantOperators.find((k) => k.name.name === c.name.name);
          if (operator) {
            operatorsGiven.add(operator.name.name);
            if (c.kind === 'substitution' && (defByName.has(c.by.name) || isUnread(c.by))) operatorDefs.push(constantOperatorDef(operator, c.by, c.span));
            else if (c.kind === 'substitution') diagnostics.push(diag('CfgUnknownDefinition', c.by.span, c.by.name, `"${c.name.name} <- ${c.by.name}"`));
            else diagnostics.push(diag('ConstantOperatorValue', c.span, c.name.name, operator.arity));
            continue;
          }
          if (!constants.some((k) => k.name === c.name.name)) {
            const declared = [...constants, ...constantOperators.map((k) => k.name)];
            diagnostics.push(diag('CfgUnknownConstant', c.name.span, c.name.name, declared.map((k) => k.name).join(', ') || 'none (the module declares no CONSTANTS)'));
            continue;
          }
          if (c.kind === 'substitution') {
            if (!defByName.has(c.by.name) && !isUnread(c.by)) diagnostics.push(diag('CfgUnknownDefinition', c.by.span, c.by.name, `"${c.name.name} <- ${c.by.name}"`));
            valueOf.set(c.name.name, { kind: 'name', name: c.by.name, span: c.by.span });
          } else {
            for (const mv of modelValuesIn(c.value, diagnostics)) if (!modelValues.has(mv.name)) modelValues.set(mv.name, mv);
            valueOf.set(c.name.name, c.value);
          }
        }
        break;
      case 'symmetry': {
        const names = symmetrySets(item.name, defByName, isUnread, diagnostics);
        if (names.length > 0) decls.push({ kind: 'symmetry', names, span: item.span });
        break;
      }
      case 'deadlock':
        if (!item.check) decls.push({ kind: 'disable', name: { name: 'Deadlock', span: item.span }, reason: 'the config says CHECK_DEADLOCK FALSE', span: item.span });
        break;
      case 'refused':
        diagnostics.push(diag('CfgRefused', item.span, item.keyword));
        break;
    }
  }
  // A model module permutes the definition it substitutes for a constant (`Senders <- MCSenders`,
  // `Permutations(MCSenders)`), as the Toolbox writes it: the symmetry set is that constant.
  for (const d of decls) {
    if (d.kind !== 'symmetry') continue;
    d.names = d.names.map((n) => {
      if (constants.some((k) => k.name === n.name)) return n;
      const substituted = [...valueOf].find(([, v]) => v.kind === 'name' && v.name === n.name);
      return substituted ? { name: substituted[0], span: n.span } : n;
    });
  }
  if (specification && initNext) diagnostics.push(diag('CfgShape', specification.span, 'SPECIFICATION and INIT/NEXT together', 'one of them'));
  if (!specification && !initNext) diagnostics.push(diag('CfgShape', cfgSpan(), 'the config names no behaviour', 'SPECIFICATION Spec, or INIT Init and NEXT Next'));
  // Without SPECIFICATION the behaviours are Init /\ [][Next]_vars: no fairness. Invariants do not
  // depend on fairness; properties do, and dropping the algorithm's fairness is not done yet.
  if (initNext && properties.size > 0 && (algorithm.fair || algorithm.decls.some((d) => d.kind === 'process' && d.fairness !== 'none'))) {
    diagnostics.push(diag('TlaNotSupportedYet', [...properties.values()][0].span, 'PROPERTIES under INIT/NEXT of a fair algorithm (its fairness would have to be dropped)'));
  }

  // A Spec or Next of the module's own: its hand-written actions join the algorithm's steps.
  const added = behaviour ? readBehaviour(behaviour.kind, behaviour.item.name, known, algorithm, diagnostics) : null;
  if (added && behaviour?.kind === 'specification' && properties.size > 0) {
    // Its fairness is not the algorithm's (none, or its own WF_/SF_ conjuncts): not read yet.
    diagnostics.push(diag('ProcessActionUnchecked', [...properties.values()][0].span, `PROPERTIES under SPECIFICATION "${behaviour.item.name.name}"`, "the spec's fairness would have to replace the algorithm's"));
  }
  for (const k of constantOperators) {
    if (!operatorsGiven.has(k.name.name)) diagnostics.push(diag('CfgMissingConstant', k.name.span, k.name.name, cfgFile));
  }

  // Model values first, then constants in the module's order, with the config's values.
  if (modelValues.size > 0) decls.push({ kind: 'values', names: [...modelValues.values()], span: cfgSpan() });
  const items: A.ConstantsDecl['items'] = [];
  for (const c of constants) {
    const value = valueOf.get(c.name);
    if (!value) {
      diagnostics.push(diag('CfgMissingConstant', c.span, c.name, cfgFile));
      continue;
    }
    // `C = C` makes C a model value of its own name: the model value is the constant.
    if (value.kind === 'name' && value.name === c.name && modelValues.has(c.name)) continue;
    items.push({ name: c, value, span: c.span });
  }

  // ASSUMEs: constants evaluated before the search, checked TRUE by the pipeline.
  const assumptions: A.Ident[] = [];
  for (const u of units) {
    if (u.kind !== 'assume') continue;
    const name: A.Ident = { name: `ASSUME@${u.span.file}:${u.span.start}`, span: u.span };
    assumptions.push(name);
    items.push({ name, value: u.body, span: u.span });
  }
  if (items.length > 0) decls.push({ kind: 'constants', items, span: items[0].span });

  // Definitions: those the config names become invariants and properties, the others definitions.
  const chosen = (def: ModuleDef): A.Decl | null => {
    const inv = invariants.get(def.name.name);
    if (inv) {
      if (isTemporal(def) || def.params.length > 0 || def.fnDomain) {
        diagnostics.push(diag('CfgShape', inv.span, `invariant "${inv.name}"`, 'a definition without parameters whose body is a state predicate'));
        return null;
      }
      return { kind: 'invariant', when: 'always', name: def.name, body: def.body, span: def.span };
    }
    const constraint = constraints.get(def.name.name);
    if (constraint) {
      if (isTemporal(def) || def.params.length > 0 || def.fnDomain) {
        diagnostics.push(diag('CfgShape', constraint.span, `constraint "${constraint.name}"`, 'a definition without parameters whose body is a state predicate'));
        return null;
      }
      return { kind: 'constraint', name: def.name, body: def.body, span: def.span };
    }
    if (properties.has(def.name.name)) {
      if (!isTemporal(def)) {
        diagnostics.push(diag('TlaNotSupportedYet', properties.get(def.name.name)!.span, `a PROPERTY that is not a temporal formula ("${def.name.name}" is checked only in the initial states by TLC)`));
        return null;
      }
      return { kind: 'property', name: def.name, formula: def.formula, span: def.span };
    }
    return null;
  };
  for (const [name, ident] of [...invariants, ...properties, ...constraints]) {
    if (!defByName.has(name) && !isUnread(ident)) diagnostics.push(diag('CfgUnknownDefinition', ident.span, name, invariants.has(name) ? 'INVARIANT' : properties.has(name) ? 'PROPERTY' : 'CONSTRAINT'));
  }
  const plain = (list: ModuleDef[]): A.OperatorDef[] =>
    list.filter((d): d is A.OperatorDef => !isTemporal(d) && !invariants.has(d.name.name) && !constraints.has(d.name.name) && !added?.consumed.has(d.name.name));
  const checks: A.Decl[] = [];
  for (const def of defs) {
    const check = chosen(def);
    if (check) checks.push(check);
  }
  const moduleDefs = [...operatorDefs, ...plain(units.flatMap((u) => (u.kind === 'def' ? [u.def] : [])))];
  if (moduleDefs.length > 0) decls.push({ kind: 'define', defs: moduleDefs, span: moduleDefs[0].span });
  for (const d of algorithm.decls) {
    if (d.kind === 'define') {
      const own = plain(d.defs as ModuleDef[]);
      if (own.length > 0) decls.push({ ...d, defs: own });
    } else {
      decls.push(d);
    }
  }
  decls.push(...checks);
  if (added) decls.push(...added.actions);

  const stale = modules.find((m) => m.ast.units.includes(algorithm));
  if (stale?.translation) {
    const differs = translationDiffers(stale.translation.text, algorithm);
    if (differs) diagnostics.push(diag('StaleTranslation', { file: stale.file, start: stale.translation.start, end: stale.translation.start + 2 }, differs));
  }
  return { kind: 'algorithm', fair: algorithm.fair, name: root.name, decls, assumptions, span: root.span };
}

/** Marks the module's definitions a `RECURSIVE` unit names; a name declared and not defined is an error at the declaration. */
function markModuleRecursive(units: ModuleUnit[], diagnostics: Diagnostic[]): void {
  const declared = units.flatMap((u) => (u.kind === 'recursive' ? u.names : []));
  for (const name of declared) {
    const unit = units.find((u) => u.kind === 'def' && !isTemporal(u.def) && u.def.name.name === name.name);
    if (unit?.kind === 'def' && !isTemporal(unit.def)) unit.def = { ...unit.def, recursive: true };
    else diagnostics.push(diag('RecursiveUndefined', name.span, name.name));
  }
}

/** A constant operator's definition from the config's `F <- Def`: `F(p1, ...) == Def(p1, ...)`, located at the config's line. */
function constantOperatorDef(operator: OpParam, by: A.Ident, at: A.Span): A.OperatorDef {
  const params = Array.from({ length: operator.arity }, (_, i): A.Ident => ({ name: `${operator.name.name}@${i + 1}`, span: at }));
  const body: A.Expr = { kind: 'opcall', name: by, args: params.map((p): A.Expr => ({ kind: 'name', name: p.name, span: at })), span: at };
  return { name: operator.name, params, fnDomain: null, body, span: at };
}

/** The translator's Termination property, which a config may name: every process ends. */
const TERMINATION = { name: 'Termination', file: "the translation's Termination", text: 'Termination == <>(\\A self \\in ProcSet : pc[self] = "Done")' };

/** The translation's Termination definition, read from its text (shown as a source of its own). */
function translatorsTermination(sources: Map<string, string>): TemporalDef | null {
  sources.set(TERMINATION.file, TERMINATION.text);
  const g = tlaGrammars();
  const [, def] = parseWithGrammar<ModuleDef>(g.module, g.moduleSemantics, TERMINATION.text, TERMINATION.file, 'OpDef');
  return def && isTemporal(def) ? def : null;
}

/** The model values of a config value: its names. Config values are literals, sets, tuples and names. */
function modelValuesIn(e: A.Expr, diagnostics: Diagnostic[]): A.Ident[] {
  switch (e.kind) {
    case 'name':
      return [{ name: e.name, span: e.span }];
    case 'num':
    case 'str':
    case 'bool':
      return [];
    case 'setEnum':
    case 'tuple':
      return e.elems.flatMap((x) => modelValuesIn(x, diagnostics));
    case 'unary':
      if (e.op === '-' && e.arg.kind === 'num') return [];
      break;
    default:
      break;
  }
  diagnostics.push(diag('CfgShape', e.span, 'this config value', 'a number, string, boolean, model value, or a set or tuple of them (TLC reads no other values here)'));
  return [];
}

/** The constant sets a SYMMETRY definition permutes: it must be Permutations(S) \cup ... */
function symmetrySets(name: A.Ident, defs: Map<string, ModuleDef>, isUnread: (name: A.Ident) => boolean, diagnostics: Diagnostic[]): A.Ident[] {
  const def = defs.get(name.name);
  if (!def) {
    if (!isUnread(name)) diagnostics.push(diag('CfgUnknownDefinition', name.span, name.name, 'SYMMETRY'));
    return [];
  }
  const out: A.Ident[] = [];
  const walk = (e: A.Expr): boolean => {
    if (e.kind === 'binary' && e.op === '\\cup') return walk(e.left) && walk(e.right);
    if (e.kind === 'opcall' && e.name.name === 'Permutations' && e.args.length === 1 && e.args[0].kind === 'name') {
      out.push({ name: e.args[0].name, span: e.args[0].span });
      return true;
    }
    diagnostics.push(diag('CfgShape', e.span, `symmetry "${name.name}"`, 'Permutations(S) of a constant set of model values, or a \\cup of them'));
    return false;
  };
  if (isTemporal(def) || def.params.length > 0 || def.fnDomain) {
    diagnostics.push(diag('CfgShape', def.span, `symmetry "${name.name}"`, 'a definition without parameters'));
    return [];
  }
  return walk(def.body) ? out : [];
}

/** Every label of a list of statements, nested ones included. */
function labelsOf(stmts: A.Stmt[], out: Set<string>): void {
  for (const s of stmts) {
    if (s.label) out.add(s.label.name.name);
    if (s.kind === 'if') {
      labelsOf(s.then, out);
      labelsOf(s.else ?? [], out);
    } else if (s.kind === 'while' || s.kind === 'with' || s.kind === 'block') labelsOf(s.body, out);
    else if (s.kind === 'either') for (const b of s.branches) labelsOf(b, out);
  }
}

/** The names of a set, sorted, for a message. */
const sortedNames = (names: Iterable<string>): string => [...names].sort().join(', ');

/**
 * How a translation differs from the algorithm, or null: the labels its actions guard on
 * (`lbl(self) == /\ pc[self] = "lbl"`) and its VARIABLES, against the algorithm's labels and
 * variables (globals, process and procedure locals, procedure parameters, `pc`, and `stack` when
 * there are procedures). A cheap test that catches a translation left behind when a label or a
 * variable was added, removed or renamed. An empty translation (a spec published untranslated) is
 * not compared.
 */
function translationDiffers(translation: string, algorithm: AlgorithmUnit): string | null {
  if (translation.trim() === '') return null;
  const translatedLabels = new Set<string>();
  for (const m of translation.matchAll(/^[ \t]*\w+(?:\(self\))?[ \t]*==[ \t]*\/\\[ \t]*pc(?:\[[^\]\n]*\])?[ \t]*=[ \t]*"(\w+)"/gm)) translatedLabels.add(m[1]);
  const declared = /^[ \t]*vars[ \t]*==[ \t]*<<([^>]*)>>/m.exec(translation);
  const translatedVars = new Set(declared ? declared[1].split(/[\s,]+/).filter(Boolean) : []);
  const labels = new Set<string>();
  const vars = new Set<string>(['pc']);
  for (const d of algorithm.decls) {
    if (d.kind === 'variables') for (const v of d.vars) vars.add(v.name.name);
    if (d.kind === 'process' || d.kind === 'procedure') {
      labelsOf(d.body, labels);
      for (const v of d.locals) vars.add(v.name.name);
    }
    if (d.kind === 'procedure') {
      vars.add('stack');
      for (const p of d.params) vars.add(p.name);
    }
  }
  const parts: string[] = [];
  const compare = (what: string, written: Set<string>, translated: Set<string>): void => {
    const onlyWritten = [...written].filter((x) => !translated.has(x));
    const onlyTranslated = [...translated].filter((x) => !written.has(x));
    if (onlyWritten.length) parts.push(`${what} ${sortedNames(onlyWritten)} only in the algorithm`);
    if (onlyTranslated.length) parts.push(`${what} ${sortedNames(onlyTranslated)} only in the translation`);
  };
  compare('labels', labels, translatedLabels);
  if (declared) compare('variables', vars, translatedVars);
  return parts.length ? parts.join('; ') : null;
}
