// The flagship models (spec/bh-migration) must give the verdicts of kernel-bh-migration.md: the
// racy v5.0 design A breaks NoLostUpdate along the seed's interleaving, the fixes B, C and D hold
// every property. Checked with the reference engine; the compiled engine must agree.
import { fileURLToPath } from 'node:url';
import { loadModel } from '../../src/pipeline/load-model.js';
import { formatDiagnostic } from '../../src/diagnostics/diagnostics.js';
import type { Program } from '../../src/lang/ir.js';
import { showValue, type Value } from '../../src/lang/values.js';
import { ReferenceEngine } from '../../src/checker/engine/reference-engine.js';
import { createEngine } from '../../src/checker/engine/create-engine.js';
import type { Engine } from '../../src/checker/engine/contract.js';
import { explore } from '../../src/checker/search/breadth-first.js';
import type { ExploreResult } from '../../src/checker/search/results.js';
import { checkModel } from '../../src/pipeline/check-file.js';
import { coverResults } from '../../src/report/compare.js';

const SPEC = fileURLToPath(new URL('../../spec/bh-migration/bh_migration.lspec', import.meta.url));

interface Run {
  program: Program;
  engine: Engine;
  result: ExploreResult;
}

function load(design: string, consts: [string, string][] = []): Program {
  const m = loadModel(SPEC, { design, consts });
  if (!m.program) throw new Error(m.diagnostics.map((d) => formatDiagnostic(d, m.sources)).join('\n'));
  return m.program;
}

const runs = new Map<string, Run>();
/** Checks a design with the reference engine (or the compiled one, for the larger variants). */
function run(design: string, consts: [string, string][] = [], engineName: 'reference' | 'compiled' = 'reference'): Run {
  const key = JSON.stringify([design, consts, engineName]);
  const cached = runs.get(key);
  if (cached) return cached;
  const program = load(design, consts);
  const engine = engineName === 'reference' ? new ReferenceEngine(program) : createEngine('compiled', program);
  const r = { program, engine, result: explore(engine, { deadlock: true }) };
  runs.set(key, r);
  return r;
}

/** The trace as `process label` steps (the initial state left out). */
function steps(r: Run): string[] {
  return r.result.trace!.slice(1).map((s) => `${r.program.instances[s.instance].display} ${r.program.labels[s.label].name}`);
}

/** The labels never executed. */
function deadLabels(r: Run): string[] {
  return r.program.labels.filter((_, i) => !r.result.executed[i]).map((l) => l.name);
}

/** How many end states (every process finished) have each migration result. */
function endResults(r: Run): Record<string, number> {
  const g = r.program.globals.findIndex((x) => x.name === 'result');
  const out: Record<string, number> = {};
  for (let id = 0; id < r.engine.size(); id++) {
    if (!r.engine.allDone(id)) continue;
    const k = showValue(r.engine.decode(id).globals[g]);
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

function pvar(r: Run, stateIndex: number, instance: string, name: string): Value {
  const inst = r.program.instances.findIndex((i) => i.display === instance);
  const v = r.program.processVars.findIndex((p) => p.name === name && p.owner.kind === 'process' && p.owner.index === r.program.instances[inst].template);
  return r.result.trace![stateIndex].state.pvars[inst][v]!;
}

describe('racy_norefs (A, v5.0-v5.2 buffer_migrate_page_norefs)', () => {
  const r = run('racy_norefs');

  test('breaks NoLostUpdate', () => {
    expect(r.result.verdict).toBe('violation');
    expect(['NoLostUpdate', 'NoUseAfterFree']).toContain(r.result.failure!.property);
    expect(r.result.failure!.property).toBe('NoLostUpdate');
  });

  test('the shortest trace is the seed interleaving', () => {
    const s = steps(r);
    expect(s).toHaveLength(17);
    const at = (step: string): number => {
      const i = s.indexOf(step);
      if (i < 0) throw new Error(`no step ${step} in\n${s.join('\n')}`);
      return i;
    };
    // The Lookup that races: the one that takes a reference under private_lock.
    const user = s.find((x) => x.endsWith(' get_bh_pl'))!.split(' ')[0];
    const order = [
      at('Migrate check_refs'),     // busy check under private_lock: b_count = 0
      at('Migrate unlock_pl'),      // spin_unlock(private_lock)
      at(`${user} get_bh_pl`),      // __find_get_block: get_bh() under private_lock
      at(`${user} use_bh`),         // the user reads bh->b_page: still the old page
      at('Migrate switch'),         // slot := new page
      at('Migrate move_bufs'),      // b_page := new page
      at('Migrate copy'),           // old page copied to the new one
      at(`${user} write`),          // the user writes the old page: lost
    ];
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(s[s.length - 1]).toBe(`${user} write`);
    // The user worked on the old page, after the slot had moved to the new one.
    const last = r.result.trace!.length - 1;
    expect(showValue(pvar(r, last, user, 'pg'))).toBe('OLD');
    const globals = r.result.trace![last].state.globals;
    const slot = r.program.globals.findIndex((g) => g.name === 'slot');
    expect(showValue(globals[slot])).toBe('NEW');
  });

  test('with two buffers per page it breaks too', () => {
    const r2 = run('racy_norefs', [['NBUF', '2']], 'compiled');
    expect(r2.result.verdict).toBe('violation');
    expect(r2.result.failure!.property).toBe('NoLostUpdate');
  });
});

describe('hold_private_lock (B, ebdf4de5642f)', () => {
  const r = run('hold_private_lock');
  test('holds every property', () => {
    expect(r.result.verdict).toBe('ok');
    expect(deadLabels(r)).toEqual([]);
  });
  test('migration both succeeds and fails (-EAGAIN) in some runs', () => {
    const ends = endResults(r);
    expect(ends['"ok"']).toBeGreaterThan(0);
    expect(ends['"fail"']).toBeGreaterThan(0);
  });
});

describe('evict_buffers (C, try_to_free_buffers then migrate)', () => {
  const r = run('evict_buffers');
  test('holds every property', () => {
    expect(r.result.verdict).toBe('ok');
    expect(deadLabels(r)).toEqual([]);
  });
  test('a failed migration is a reachable end state', () => {
    const ends = endResults(r);
    expect(ends['"fail"']).toBeGreaterThan(0);
    expect(ends['"ok"']).toBeGreaterThan(0);
  });
});

describe('page_lock_lookup (D, Linux 6.15 BH_Migrate and __find_get_block_nonatomic)', () => {
  const r = run('page_lock_lookup');
  test('holds every property', () => {
    expect(r.result.verdict).toBe('ok');
    expect(deadLabels(r)).toEqual([]);
  });
});

// The larger variants on the compiled engine, to keep the suite fast.
// (docs/kernel-case.md has the figures for three CPUs, measured with `lockspec compare`.)
describe('the fixes hold with two buffers per page, and with repeated lookups (LRU hits)', () => {
  test.each([
    ['hold_private_lock', 'NBUF'], ['evict_buffers', 'NBUF'], ['page_lock_lookup', 'NBUF'],
    ['hold_private_lock', 'NLOOKUP'], ['evict_buffers', 'NLOOKUP'],
  ])('%s, %s=2', (design, name) => {
    const r = run(design, [[name, '2']], 'compiled');
    expect(r.result.verdict).toBe('ok');
    expect(deadLabels(r)).toEqual([]);
  });
});

describe('the compiled engine agrees', () => {
  test.each(['racy_norefs', 'hold_private_lock', 'evict_buffers', 'page_lock_lookup'])('%s', (design) => {
    const ref = run(design).result;
    const compiled = run(design, [], 'compiled').result;
    expect(compiled.verdict).toBe(ref.verdict);
    expect(compiled.failure?.property).toBe(ref.failure?.property);
    expect(compiled.distinct).toBe(ref.distinct);
    expect(compiled.trace?.length).toBe(ref.trace?.length);
  });
});

// The cover properties: a design that holds every invariant because migration never happens (or
// never fails where it should be able to) would be vacuously safe. Checked as `compare` does
// (continuing past the racy design's violations), on both engines.
describe('reachable: migration succeeds in every design, and the evict design can fail', () => {
  test.each([
    ['racy_norefs', ['MigrationSucceeds']],
    ['hold_private_lock', ['MigrationSucceeds']],
    ['evict_buffers', ['MigrationSucceeds', 'MigrationFails']],
    ['page_lock_lookup', ['MigrationSucceeds']],
  ])('%s', (design, names) => {
    for (const engine of ['reference', 'compiled'] as const) {
      const o = checkModel(SPEC, { design, engine, continue: true });
      expect(o.progressChecked).toBe(true);
      expect(coverResults(o)).toEqual(names.map((name) => ({ name, holds: true })));
      expect(o.violations.filter((v) => v.failure.kind === 'cover')).toEqual([]);
    }
  });
});
