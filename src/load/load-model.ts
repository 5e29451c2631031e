// From a path to an IR Program: read and parse the file and its imports, pick a design (its
// declarations replace the same-named ones of the base model), parse `--const` overrides, lower.
// Every failure is a located diagnostic; nothing here throws for a user mistake.
import { readFileSync } from 'node:fs';
import { dirname, resolve, relative } from 'node:path';
import type * as A from '../parser/ast.js';
import { parseExpression, parseSource } from '../parser/parse.js';
import type { Program } from '../lang/ir.js';
import { diag, spanLocation, type Diagnostic, type SourceMap } from '../diagnostics/diagnostics.js';
import { lowerProgram, type ConstEvaluator } from '../lang/lower.js';
import { applyKernelPass } from '../invariants/kernel.js';

export interface LoadOptions {
  design?: string | null;
  /** NAME -> expression text, from `--const NAME=EXPR`. */
  consts?: [string, string][];
  /** Names of constant sets of model values to treat as symmetric (TLC's SYMMETRY). */
  symmetry?: string[];
  evaluate: ConstEvaluator;
}

export interface ParsedModel {
  diagnostics: Diagnostic[];
  sources: SourceMap;
  root: A.SourceFile | null;
  /** Declarations of the imports (in import order) then of the file, designs left out. */
  base: A.Decl[];
  designs: A.DesignDecl[];
}

export interface LoadedModel extends ParsedModel {
  program: Program | null;
}

/** The name shown for a file: relative to the working directory when that is shorter. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.length < path.length && !rel.startsWith('..') ? rel : path;
}

/** Parses a file and, recursively, the modules it imports. */
export function parseModel(path: string): ParsedModel {
  const sources: SourceMap = new Map();
  const diagnostics: Diagnostic[] = [];
  const visiting = new Set<string>();

  const readParse = (file: string, from: A.Span | null): A.SourceFile | null => {
    const shown = displayPath(file);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      diagnostics.push(diag('NotAFile', from, shown, (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message));
      return null;
    }
    sources.set(shown, text);
    const [errs, ast] = parseSource(text, shown);
    diagnostics.push(...errs);
    return ast;
  };

  const importsOf = (file: string, ast: A.SourceFile): A.Decl[] => {
    const out: A.Decl[] = [];
    for (const d of ast.decls) {
      if (d.kind !== 'import') continue;
      const target = resolve(dirname(file), d.path);
      if (visiting.has(target)) {
        diagnostics.push(diag('ImportCycle', d.span, d.path));
        continue;
      }
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
  if (!root) return { diagnostics, sources, root: null, base: [], designs: [] };
  const imported = importsOf(abs, root);
  const own = root.decls.filter((d) => d.kind !== 'import' && d.kind !== 'design');
  const designs = root.decls.filter((d): d is A.DesignDecl => d.kind === 'design');
  return { diagnostics, sources, root, base: [...imported, ...own], designs };
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
      return `${d.kind === 'macro' || d.kind === 'procedure' || d.kind === 'process' ? d.kind : 'global'}:${d.name.name}`;
    case 'invariant':
      return `invariant:${d.name.name}`;
    case 'disable':
      return `disable:${d.name.name}`;
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
export function loadModel(path: string, opts: LoadOptions): LoadedModel {
  const parsed = parseModel(path);
  if (parsed.diagnostics.length > 0 || !parsed.root) return { ...parsed, program: null };
  const diagnostics: Diagnostic[] = [];
  let design: A.DesignDecl | null = null;
  if (opts.design) {
    design = parsed.designs.find((d) => d.name.name === opts.design) ?? null;
    if (!design) {
      diagnostics.push(diag('UnknownDesign', null, opts.design, parsed.designs.map((d) => d.name.name).join(', ') || '(the file has none)'));
      return { ...parsed, diagnostics, program: null };
    }
  }
  const overrides = new Map<string, A.Expr>();
  for (const [name, text] of opts.consts ?? []) {
    const file = `--const ${name}`;
    parsed.sources.set(file, text);
    const [errs, e] = parseExpression(text, file);
    diagnostics.push(...errs);
    if (e) overrides.set(name, e);
  }
  if (opts.symmetry?.length) parsed.sources.set('--symmetry', opts.symmetry.join(','));
  if (diagnostics.length > 0) return { ...parsed, diagnostics, program: null };
  const locate = (span: A.Span): string => spanLocation(span, parsed.sources);
  const [errs, lowered] = lowerProgram({
    name: parsed.root.name.name,
    design: design?.name.name ?? null,
    decls: applyDesign(parsed.base, design),
    overrides,
    evaluate: opts.evaluate,
    symmetry: symmetryIdents(opts.symmetry ?? []),
    locate,
  });
  const program = lowered && applyKernelPass(lowered);
  // A diagnostic about the model as a whole (it has no process) points at the algorithm's name.
  const root = parsed.root;
  return { ...parsed, diagnostics: errs.map((d) => (d.span ? d : { ...d, span: root.name.span })), program };
}

/** `--symmetry A,B` as identifiers located in the option's text. */
function symmetryIdents(names: string[]): A.Ident[] {
  let at = 0;
  return names.map((name) => {
    const ident = { name, span: { file: '--symmetry', start: at, end: at + name.length } };
    at += name.length + 1;
    return ident;
  });
}
