// Mappings (a page cache slot, a buffer's page): MappingToFreed, a slot never names a freed object,
// and MappingUnique, no object is named by two slots of one indexed mapping.
import type * as IR from '../lang/ir.js';
import { mkSet, type Value } from '../lang/values.js';
import { apply, enabled, lit, roleOf, type KernelContext } from './context.js';
import { live } from './lifetime.js';

export function mappingProperties(ctx: KernelContext): IR.Property[] {
  const out: IR.Property[] = [];
  ctx.program.globals.forEach((g, index) => {
    if (g.role?.kind !== 'mapping') return;
    const { target, domain } = g.role;
    const sp = g.span;
    const objects = lit(mkSet(roleOf(ctx, target, 'object').domain));
    const slots = domain ?? [null];
    const value = (slot: Value | null): IR.Expr => (slot === null ? { k: 'global', index } : apply({ k: 'global', index }, lit(slot), sp));
    const isObject = (v: IR.Expr): IR.Expr => ({ k: 'bin', op: 'in', left: v, right: objects, span: sp });
    if (enabled(ctx, 'MappingToFreed')) {
      out.push({
        name: 'MappingToFreed',
        builtin: true,
        span: sp,
        body: { k: 'and', args: slots.map((s) => ({ k: 'implies', left: isObject(value(s)), right: live(ctx, target, value(s), sp) })) },
      });
    }
    if (domain && enabled(ctx, 'MappingUnique')) {
      const pairs: IR.Expr[] = [];
      for (let i = 0; i < domain.length; i++) {
        for (let j = i + 1; j < domain.length; j++) {
          pairs.push({ k: 'implies', left: isObject(value(domain[i])), right: { k: 'bin', op: '#', left: value(domain[i]), right: value(domain[j]), span: sp } });
        }
      }
      out.push({ name: 'MappingUnique', builtin: true, span: sp, body: { k: 'and', args: pairs } });
    }
  });
  return out;
}
