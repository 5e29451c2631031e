// INSTANCE in a .tla spec, read by substitution: `N == INSTANCE M WITH c <- e` gives the module
// M's definitions as definitions of its own named `N!Op`, and `INSTANCE M` gives them under their
// own names. Each parameter of M (its CONSTANTS and VARIABLES) becomes a definition `N!c == e`
// (e the WITH expression, or the instantiating module's own `c` when WITH does not name it), and
// each definition's body is wrapped in a LET that binds M's parameter names to those definitions
// (and, for a named instance, M's definition names to their `N!` versions). The LET puts M's
// names in scope exactly where M's text sees them, so no expression is rewritten and nothing in
// a WITH expression can be captured by a name M binds. What is read: docs/tla-input.md.
import type * as A from '../parser/ast.js';
import { diag, type Diagnostic } from '../diagnostics/diagnostics.js';
import type { InstanceUnit, ModuleUnit, TlaModuleAst } from './tla-grammar.js';

/** What instances are read against. */
export interface InstanceContext {
  /** The instantiated modules read, by module name. */
  modules: Map<string, TlaModuleAst>;
  /** The names the instantiating modules declare or define: the targets of implicit substitutions. */
  declared: Set<string>;
  /** The standard modules an instantiated module may extend (their operators are built in). */
  standardModules: Set<string>;
}

const nameExpr = (name: string, span: A.Span): A.Expr => ({ kind: 'name', name, span });

/** The units with every INSTANCE unit replaced by the definitions it gives (see the file comment). */
export function expandInstances(units: ModuleUnit[], context: InstanceContext, diagnostics: Diagnostic[]): ModuleUnit[] {
  return units.flatMap((u) => (u.kind === 'instance' ? instanceUnits(u, context, diagnostics) : [u]));
}

function instanceUnits(unit: InstanceUnit, context: InstanceContext, diagnostics: Diagnostic[]): ModuleUnit[] {
  if (unit.parameterised) {
    diagnostics.push(diag('TlaNotSupportedYet', unit.parameterised, `a parameterised instance ("${unit.name?.name}(...) == INSTANCE")`));
    return [];
  }
  const module = context.modules.get(unit.module.name);
  if (!module) return []; // a standard module (EXTENDS), or one not found (reported when it was looked for)
  const parameters: A.Ident[] = [];
  const defs: A.OperatorDef[] = [];
  const out: ModuleUnit[] = [];
  const prefix = unit.name ? `${unit.name.name}!` : '';
  for (const u of module.units) {
    switch (u.kind) {
      case 'constants':
      case 'variables':
        parameters.push(...u.names);
        break;
      case 'def':
        if ('temporal' in u.def) out.push({ kind: 'unread', name: { name: prefix + u.def.name.name, span: u.def.name.span }, span: u.span });
        else defs.push(u.def);
        break;
      case 'unread':
        out.push({ kind: 'unread', name: { name: prefix + u.name.name, span: u.name.span }, span: u.span });
        break;
      case 'extends':
        for (const n of u.names) {
          if (!context.standardModules.has(n.name)) diagnostics.push(diag('TlaNotSupportedYet', n.span, `an instantiated module that extends a module other than the standard ones ("${n.name}")`));
        }
        break;
      case 'unsupported':
        diagnostics.push(diag('TlaNotSupportedYet', u.span, u.what));
        break;
      case 'assume':
        diagnostics.push(diag('TlaNotSupportedYet', u.span, 'an ASSUME in an instantiated module'));
        break;
      case 'instance':
        diagnostics.push(diag('TlaNotSupportedYet', u.span, 'an INSTANCE inside an instantiated module'));
        break;
      case 'algorithm':
        diagnostics.push(diag('TlaNotSupportedYet', u.name.span, 'an instantiated module holding an algorithm'));
        break;
    }
  }

  // Each parameter's value: the WITH expression, or the instantiating module's name (as TLC).
  const valueOf = new Map<string, A.Expr>();
  for (const s of unit.substitutions) {
    if (!parameters.some((p) => p.name === s.name.name)) {
      diagnostics.push(diag('InstanceUnknownParameter', s.name.span, s.name.name, unit.module.name, parameters.map((p) => p.name).join(', ') || 'none'));
    } else valueOf.set(s.name.name, s.value);
  }
  const hidden = unit.name ? prefix : `INSTANCE ${unit.module.name}!`;
  const parameterDefs: A.OperatorDef[] = [];
  for (const p of parameters) {
    let value = valueOf.get(p.name);
    if (!value) {
      if (!context.declared.has(p.name)) {
        diagnostics.push(diag('InstanceSubstitutionMissing', unit.span, p.name, unit.module.name));
        continue;
      }
      value = nameExpr(p.name, unit.span);
    }
    parameterDefs.push({ name: { name: hidden + p.name, span: value.span }, params: [], fnDomain: null, body: value, span: value.span });
  }

  // The LET every definition of M is read under: M's parameters, and for a named instance M's definitions.
  const scope: A.OperatorDef[] = parameters.map((p) => ({ name: p, params: [], fnDomain: null, body: nameExpr(hidden + p.name, p.span), span: p.span }));
  if (unit.name) {
    for (const d of defs) {
      const target = prefix + d.name.name;
      const body: A.Expr = d.params.length > 0 && !d.fnDomain
        ? { kind: 'opcall', name: { name: target, span: d.name.span }, args: d.params.map((x) => nameExpr(x.name, x.span)), span: d.name.span }
        : nameExpr(target, d.name.span);
      scope.push({ name: d.name, params: d.fnDomain ? [] : d.params, fnDomain: null, body, span: d.name.span });
    }
  }
  const inScope = (e: A.Expr): A.Expr => (scope.length === 0 ? e : { kind: 'let', defs: scope, body: e, span: e.span });
  const instanced = defs.map((d): A.OperatorDef => ({
    ...d, name: { name: prefix + d.name.name, span: d.name.span }, fnDomain: d.fnDomain && inScope(d.fnDomain), body: inScope(d.body),
  }));
  return [...[...parameterDefs, ...instanced].map((def): ModuleUnit => ({ kind: 'def', def, span: def.span })), ...out];
}
