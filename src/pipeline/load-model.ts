// From a path to IR Programs: read and parse the file and its imports once, then for each design
// asked for (its declarations replace the same-named ones of the base model) parse the `--const`
// overrides and lower. Constants are evaluated by the reference evaluator, the language's
// definition. Every failure is a located diagnostic; nothing here throws for a user mistake.
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve, relative } from 'node:path';
import type * as A from '../parser/ast.js';
import { parseExpression, parseSource } from '../parser/parse.js';
import type { Program } from '../lang/ir.js';
import { diag, spanLocation, type Diagnostic, type SourceMap } from '../diagnostics/diagnostics.js';
import { lowerProgram } from '../lang/lower.js';
import { applyKernelPass, builtinNameClashes } from '../invariants/kernel.js';
import { typecheck } from '../lang/typecheck.js';
import { evaluateConstant } from '../checker/engine/evaluate-constant.js';
import { readTlaSpec } from '../tla/read-spec.js';
import type { ParseCache } from './parse-cache.js';
import { showValue } from '../lang/values.js';

/** Reads a model file's text; every file of a model is read through it exactly once. */
export type ReadFile = (path: string) => string;

const readUtf8: ReadFile = (path) => readFileSync(path, 'utf8');

export interface LowerOptions {
  /** NAME -> expression text, from `--const NAME=EXPR`. */
  consts?: [string, string][];
  /** Names of constant sets of model values to treat as symmetric (TLC's SYMMETRY). */
  symmetry?: string[];
  /** The only invariants and finals to check (TLC's INVARIANTS); absent: all of them. */
  invariants?: string[];
  /** The only temporal and cover properties to check (TLC's PROPERTIES); absent: all of them. */
  properties?: string[];
}

export interface LoadOptions extends LowerOptions {
  design?: string | null;
  files?: ModelFiles;
}

/**
 * A file read and parsed: its text and syntax tree, or why it could not be read. A .tla spec
 * brings the other files it was read with (the modules it extends, its config) and may warn.
 */
type ParsedFile =
  | { text: string; diagnostics: Diagnostic[]; ast: A.SourceFile | null; otherSources?: Map<string, string>; warnings?: Diagnostic[] }
  | { unreadable: string };

/**
 * The model files of one command: each read and parsed once, however many models or designs
 * use it (a folder's module is also imported by its algorithms).
 */
export class ModelFiles {
  private files = new Map<string, ParsedFile>();

  /**
   * `tlaConfig`: the TLC config of a .tla spec (`--config`); null: the .cfg beside the .tla.
   * `cache`: where .lspec files parsed before are read back (parse-cache.ts); null: none.
   */
  constructor(
    private readonly read: ReadFile = readUtf8,
    private readonly tlaConfig: string | null = null,
    private readonly cache: ParseCache | null = null,
  ) {}

  /** The file at absolute path `file`, shown in messages as `shown`. */
  get(file: string, shown: string): ParsedFile {
    let parsed = this.files.get(file);
    if (!parsed) {
      parsed = this.parse(file, shown);
      this.files.set(file, parsed);
    }
    return parsed;
  }

  /** An option's expression (a `--const` value), shown as `shown`: through the parse cache too. */
  expression(text: string, shown: string): [Diagnostic[], A.Expr | null] {
    return this.cache ? this.cache.expression(text, shown) : parseExpression(text, shown);
  }

  private readText(file: string): { text: string } | { unreadable: string } {
    try {
      // A device or a pipe (/dev/zero) could be read for ever: a model is a regular file.
      if (!statSync(file).isFile()) return { unreadable: 'not a regular file' };
      return { text: this.read(file) };
    } catch (e) {
      return { unreadable: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message };
    }
  }

  private parse(file: string, shown: string): ParsedFile {
    if (file.endsWith('.tla')) return this.parseTla(file, shown);
    const read = this.readText(file);
    if ('unreadable' in read) return read;
    const [diagnostics, ast] = this.cache ? this.cache.parse(read.text, shown) : parseSource(read.text, shown);
    return { text: read.text, diagnostics, ast };
  }

  /** A .tla spec with its config, read by the TLA+ front end (src/tla). */
  private parseTla(file: string, shown: string): ParsedFile {
    const read = this.readText(file);
    if ('unreadable' in read) return read;
    const config = this.tlaConfig === null ? null : resolve(this.tlaConfig);
    // The root is read once, here: the front end gets its text back, and reads the other files.
    const spec = readTlaSpec(file, config, { read: (path) => (path === file ? read : this.readText(path)), show: displayPath });
    spec.sources.delete(shown);
    const errors = spec.diagnostics.filter((d) => d.severity === 'error');
    const warnings = spec.diagnostics.filter((d) => d.severity !== 'error');
    return { text: read.text, diagnostics: errors, ast: spec.ast, otherSources: spec.sources, warnings };
  }
}

export interface ParsedModel {
  diagnostics: Diagnostic[];
  sources: SourceMap;
  root: A.SourceFile | null;
  /** Warnings found while reading (a .tla spec's stale translation), given with each design's. */
  warnings: Diagnostic[];
  /** Declarations of the imports (in import order) then of the file, designs left out. */
  base: A.Decl[];
  designs: A.DesignDecl[];
  /** Where the options' expressions (`--const` values) are parsed: the files' own (ModelFiles.expression). */
  files: ModelFiles;
}

/** One design lowered (design null: the base model) with its warnings, or the diagnostics that stopped it. */
export interface LoweredDesign {
  design: string | null;
  diagnostics: Diagnostic[];
  program: Program | null;
}

export interface LoadedModel extends ParsedModel {
  program: Program | null;
}


/** The name that selects the base model (`--design base`) when no empty design names it. */
export const BASE_DESIGN = 'base';

/**
 * What a file means: its designs, the base model being one of them. A design that replaces
 * nothing is the base model under that name; otherwise the base comes first, as `base`. A file
 * without designs is its base model alone (null).
 */
export function designsOf(parsed: ParsedModel): (string | null)[] {
  if (parsed.designs.length === 0) return [null];
  const names = parsed.designs.map((d) => d.name.name);
  return parsed.designs.some((d) => d.decls.length === 0) ? names : [BASE_DESIGN, ...names];
}

/** The name shown for a file: relative to the working directory when that is shorter. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.length < path.length && !rel.startsWith('..') ? rel : path;
}

/** Parses a file and, recursively, the modules it imports (through `files`, which keeps each parse). */
export function parseModel(path: string, files: ModelFiles = new ModelFiles()): ParsedModel {
  const sources: SourceMap = new Map();
  const diagnostics: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  const visiting = new Set<string>();

  const readParse = (file: string, from: A.Span | null): A.SourceFile | null => {
    const shown = displayPath(file);
    const parsed = files.get(file, shown);
    if ('unreadable' in parsed) {
      diagnostics.push(diag('NotAFile', from, shown, parsed.unreadable));
      return null;
    }
    sources.set(shown, parsed.text);
    for (const [name, text] of parsed.otherSources ?? []) sources.set(name, text);
    diagnostics.push(...parsed.diagnostics);
    warnings.push(...(parsed.warnings ?? []));
    return parsed.ast;
  };

  // A module imported twice (A and B both import C) is one module: its declarations come once.
  const importedOnce = new Set<string>();
  const importsOf = (file: string, ast: A.SourceFile): A.Decl[] => {
    const out: A.Decl[] = [];
    for (const d of ast.decls) {
      if (d.kind !== 'import') continue;
      const target = resolve(dirname(file), d.path);
      if (visiting.has(target)) {
        diagnostics.push(diag('ImportCycle', d.span, d.path));
        continue;
      }
      if (importedOnce.has(target)) continue;
      importedOnce.add(target);
      visiting.add(target);
      const mod = readParse(target, d.span);
      if (mod) {
        if (mod.kind !== 'module') diagnostics.push(diag('NotAModule', d.span, d.path));
        else {
          for (const md of mod.decls) {
            if (md.kind === 'process' || md.kind === 'design') diagnostics.push(diag('ModuleHasProcess', md.span, md.kind === 'process' ? 'a process' : 'a design'));
          }
          out.push(...importsOf(target, mod), ...mod.decls.filter((x) => x.kind !== 'import'));
        }
      }
      visiting.delete(target);
    }
    return out;
  };

  const abs = resolve(path);
  visiting.add(abs);
  const root = readParse(abs, null);
  if (!root) return { diagnostics, sources, root: null, warnings, base: [], designs: [], files };
  const imported = importsOf(abs, root);
  const own = root.decls.filter((d) => d.kind !== 'import' && d.kind !== 'design');
  const designs = root.decls.filter((d): d is A.DesignDecl => d.kind === 'design');
  for (const d of designs) if (d.name.name === BASE_DESIGN && d.decls.length > 0) diagnostics.push(diag('DesignNamedBase', d.name.span));
  return { diagnostics, sources, root, warnings, base: [...imported, ...own], designs, files };
}

/** The declarations of a design: its own replace the base's of the same kind and name. */
export function applyDesign(base: A.Decl[], design: A.DesignDecl | null): A.Decl[] {
  if (!design) return base;
  let decls = base.map((d) => d);
  for (const nd of design.decls) {
    if (nd.kind === 'define') {
      for (const def of nd.defs) decls = replaceDef(decls, def);
    } else if (nd.kind === 'constants') {
      for (const item of nd.items) decls = replaceConstant(decls, item);
    } else if (nd.kind === 'variables') {
      for (const v of nd.vars) decls = replaceVariable(decls, v);
    } else {
      const key = declKey(nd);
      const at = key ? decls.findIndex((d) => declKey(d) === key) : -1;
      if (at >= 0) decls[at] = nd;
      else decls.push(nd);
    }
  }
  return decls;
}

function declKey(d: A.Decl): string | null {
  switch (d.kind) {
    case 'macro':
    case 'procedure':
    case 'process':
    case 'lock':
    case 'refcount':
    case 'object':
    case 'mapping':
    case 'waitqueue':
    case 'completion':
      return `${d.kind === 'macro' || d.kind === 'procedure' || d.kind === 'process' ? d.kind : 'global'}:${d.name.name}`;
    case 'invariant':
      return `invariant:${d.name.name}`;
    case 'disable':
      return `disable:${d.name.name}`;
    case 'action':
    case 'constraint':
      return `${d.kind}:${d.name.name}`;
    case 'init':
      return 'init';
    default:
      return null;
  }
}

type Named = { name: A.Ident; span: A.Span };

/**
 * Replaces the same-named item inside declarations of one kind (a definition in `define`, a
 * constant in `constants`, a variable in `variables`), or appends a declaration holding it.
 */
function replaceItem<K extends 'define' | 'constants' | 'variables', T extends Named>(
  decls: A.Decl[],
  kind: K,
  items: (d: Extract<A.Decl, { kind: K }>) => T[],
  rebuild: (d: Extract<A.Decl, { kind: K }> | null, items: T[]) => A.Decl,
  item: T,
): A.Decl[] {
  let found = false;
  const out = decls.map((d) => {
    if (d.kind !== kind) return d;
    const own = items(d as Extract<A.Decl, { kind: K }>);
    if (!own.some((x) => x.name.name === item.name.name)) return d;
    found = true;
    return rebuild(d as Extract<A.Decl, { kind: K }>, own.map((x) => (x.name.name === item.name.name ? item : x)));
  });
  return found ? out : [...out, rebuild(null, [item])];
}

const replaceDef = (decls: A.Decl[], def: A.OperatorDef): A.Decl[] =>
  replaceItem(decls, 'define', (d) => d.defs, (d, defs) => ({ kind: 'define', defs, span: d?.span ?? def.span }), def);

const replaceConstant = (decls: A.Decl[], item: A.ConstantsDecl['items'][number]): A.Decl[] =>
  replaceItem(decls, 'constants', (d) => d.items, (d, items) => ({ kind: 'constants', items, span: d?.span ?? item.span }), item);

const replaceVariable = (decls: A.Decl[], v: A.VarDecl): A.Decl[] =>
  replaceItem(decls, 'variables', (d) => d.vars, (d, vars) => ({ kind: 'variables', vars, span: d?.span ?? v.span }), v);

/** Parses and lowers a model for one design (or the base model). */
export function loadModel(path: string, opts: LoadOptions = {}): LoadedModel {
  const parsed = parseModel(path, opts.files);
  if (parsed.diagnostics.length > 0 || !parsed.root) return { ...parsed, program: null };
  const lowered = lowerDesign(parsed, opts.design ?? null, opts);
  return { ...parsed, diagnostics: lowered.diagnostics, program: lowered.program };
}

/**
 * Lowers one design of a parsed model (null: the base model). The parsed model must have no
 * diagnostics. The option texts are added to its sources, so that diagnostics can point into them.
 */
export function lowerDesign(parsed: ParsedModel, designName: string | null, opts: LowerOptions): LoweredDesign {
  const root = parsed.root!;
  const failed = (diagnostics: Diagnostic[]): LoweredDesign => ({ design: designName, diagnostics, program: null });
  let design: A.DesignDecl | null = null;
  if (designName) {
    design = parsed.designs.find((d) => d.name.name === designName) ?? null;
    const known = designsOf(parsed).filter((d) => d !== null);
    if (!design && designName !== BASE_DESIGN) return failed([diag('UnknownDesign', null, designName, [BASE_DESIGN, ...known.filter((d) => d !== BASE_DESIGN)].join(', '))]);
  }
  const diagnostics: Diagnostic[] = [];
  const overrides = new Map<string, A.Expr>();
  for (const [name, text] of opts.consts ?? []) {
    const file = `--const ${name}`;
    parsed.sources.set(file, text);
    const [errs, e] = parsed.files.expression(text, file);
    diagnostics.push(...errs);
    if (e) overrides.set(name, e);
  }
  if (opts.symmetry?.length) parsed.sources.set('--symmetry', opts.symmetry.join(','));
  if (opts.invariants) parsed.sources.set('--invariant', opts.invariants.join(','));
  if (opts.properties) parsed.sources.set('--property', opts.properties.join(','));
  if (diagnostics.length > 0) return failed(diagnostics);
  const locate = (span: A.Span): string => spanLocation(span, parsed.sources);
  const decls = applyDesign(parsed.base, design);
  const [errs, lowered] = lowerProgram({
    name: root.name.name,
    design: design?.name.name ?? null,
    decls,
    fairAlgorithm: root.fair,
    overrides,
    evaluate: evaluateConstant,
    symmetry: optionIdents('--symmetry', opts.symmetry ?? []),
    ...(opts.invariants ? { invariants: optionIdents('--invariant', opts.invariants) } : {}),
    ...(opts.properties ? { properties: optionIdents('--property', opts.properties) } : {}),
    locate,
  });
  const program = lowered && applyKernelPass(lowered);
  // A diagnostic about the model as a whole (it has no process) points at the algorithm's name.
  if (!program) return failed(errs.map((d) => (d.span ? d : { ...d, span: root.name.span })));
  const typeErrors = typecheck(program, locate);
  if (typeErrors.length > 0) return failed(typeErrors.map((d) => (d.span ? d : { ...d, span: root.name.span })));
  const falseAssumptions = checkAssumptions(program, root.assumptions ?? []);
  if (falseAssumptions.length > 0) return failed(falseAssumptions);
  return { design: designName, diagnostics: [...parsed.warnings, ...errs, ...builtinNameClashes(program)], program };
}

/**
 * A TLA+ module's ASSUMEs, lowered as constants (src/tla): each must be TRUE, as TLC checks
 * before the search. They are then taken out of the program's constants, which reports list.
 */
function checkAssumptions(program: Program, assumptions: A.Ident[]): Diagnostic[] {
  if (assumptions.length === 0) return [];
  const names = new Set(assumptions.map((a) => a.name));
  const out: Diagnostic[] = [];
  for (const a of assumptions) {
    const value = program.constants.find((c) => c.name === a.name)?.value;
    if (value !== true) out.push(diag('AssumptionFalse', a.span, value === undefined ? 'not evaluated' : showValue(value)));
  }
  program.constants = program.constants.filter((c) => !names.has(c.name));
  return out;
}

/** The names of `--symmetry A,B`, `--invariant A,B` or `--property A,B` as identifiers located in the option's text. */
function optionIdents(option: string, names: string[]): A.Ident[] {
  let at = 0;
  return names.map((name) => {
    const ident = { name, span: { file: option, start: at, end: at + name.length } };
    at += name.length + 1;
    return ident;
  });
}
