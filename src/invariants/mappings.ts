// Mappings (a page cache slot, a buffer's page): MappingToFreed, a slot never names a freed object,
// and MappingUnique, no object is named by two slots of one indexed mapping.
import type * as A from '../parser/ast.js';
import type * as IR from '../lang/ir.js';
import { diag } from '../diagnostics/diagnostics.js';
import { mkSet, type Value } from '../lang/values.js';
import { apply, enabled, lit, type KernelContext } from './context.js';
import { live } from './lifetime.js';

export function mappingProperties(ctx: KernelContext, span: (name: string) => A.Span): IR.Property[] {
  const out: IR.Property[] = [];
  const gs = ctx.globals();
  for (const g of gs) {
    if (g.role.kind !== 'mapping') continue;
    const targetSym = ctx.symbols.get(g.role.target);
    const target = targetSym?.kind === 'global' ? gs[targetSym.index] : undefined;
    const sp = span(g.name);
    if (!target || target.role.kind !== 'object') {
      ctx.diagnostics.push(diag('NotAnObject', sp, 'mapping', g.role.target));
      continue;
    }
    const slots = g.domain ?? [null];
    const value = (slot: Value | null): IR.Expr => (slot === null ? { k: 'global', index: g.index } : apply({ k: 'global', index: g.index }, lit(slot), sp));
    const isObject = (v: IR.Expr): IR.Expr => ({ k: 'bin', op: 'in', left: v, right: lit(mkSet(target.domain!)), span: sp });
    if (enabled(ctx, 'MappingToFreed')) {
      out.push({
        name: 'MappingToFreed',
        builtin: true,
        span: sp,
        body: { k: 'and', args: slots.map((s) => ({ k: 'implies', left: isObject(value(s)), right: live(target, value(s), sp) })) },
      });
    }
    if (g.domain && enabled(ctx, 'MappingUnique')) {
      const pairs: IR.Expr[] = [];
      for (let i = 0; i < g.domain.length; i++) {
        for (let j = i + 1; j < g.domain.length; j++) {
          pairs.push({ k: 'implies', left: isObject(value(g.domain[i])), right: { k: 'bin', op: '#', left: value(g.domain[i]), right: value(g.domain[j]), span: sp } });
        }
      }
      out.push({ name: 'MappingUnique', builtin: true, span: sp, body: { k: 'and', args: pairs } });
    }
  }
  return out;
}
