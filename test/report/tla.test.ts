// The TLA+ export: the shape of the module and config for the examples and for small models that
// use every statement and expression kind, the export-tla command, and (where a tla2tools.jar is at
// hand) TLC on the exports, whose distinct and generated states must equal lockspec's.
import { readFileSync } from 'node:fs';
import { checkModel } from '../../src/pipeline/check-file.js';
import { runExportTla } from '../../src/cli/commands.js';
import { loadModel } from '../../src/pipeline/load-model.js';
import { exportTla, type TlaExport } from '../../src/report/tla.js';
import { memoryIo, programOf, writeModel } from '../helpers.js';
import { runTlc, withTlc } from '../tlc.js';

function exportFile(file: string, opts: { design?: string; consts?: [string, string][] } = {}): TlaExport {
  const m = loadModel(file, { design: opts.design ?? null, consts: opts.consts ?? [] });
  if (!m.program) throw new Error(`${file} does not load`);
  return exportTla(m.program, { source: file });
}

const POWERS = `algorithm Powers {
  variables n = 0;
  invariant Bounds == n^2 <= 25 /\\ -2^28 < n /\\ (-2)^2 = 4;
  process (P = 1) { a: while (n < 5) { b: n := n + 2^0; } }
}`;

/** The lines of a definition `name == ...` up to the next blank line. */
function definition(module: string, head: string): string {
  const start = module.indexOf(`\n${head} == `);
  if (start < 0) throw new Error(`no definition ${head}`);
  const end = module.indexOf('\n\n', start + 1);
  return module.slice(start + 1, end);
}

const PROCS = `
algorithm Procs {
  constants N = 2;
  variables total = 0, log = <<>>, pick \\in {0, 1};
  define { Sum[k \\in 0..3] == IF k = 0 THEN 0 ELSE k + Sum[k - 1] }
  invariant Bounded == total <= 20 /\\ Len(log) <= 6;
  final AllLogged == Len(log) = 2 * N /\\ \\A p \\in 1..N : acc[p] >= 0;
  procedure add(amount, tag)
    variables before = 0;
  {
  a1: total := total + amount;
      total := total + 0;
      log := Append(log, tag);
      before := total;
      if (amount <= 1) goto a2;
  a3: call twice(amount);
  a2: assert total >= before;
      return;
  }
  procedure twice(k)
  {
  t1: with (d \\in {0, 1}) { total := total + d; };
      return;
  }
  process (W \\in 1..N)
    variables acc = 0, mine \\in {self, self + 10};
  {
  w0: either { acc := 1; } or { acc := Sum[2] - 1; };
  w1: call add(acc, self + 100);
  w2: acc := acc + 1 || mine := acc;
      with (q = acc + 1) { acc := q; acc := acc - 1; };
  w3: call add(0, 0 - self);
  w4: skip;
  }
}
`;

const KERNEL = `
algorithm Kern {
  values NONE;
  type Obj = {A, B};
  spinlock L;
  sleeplock S[o \\in Obj];
  object obj[o \\in Obj] = [v |-> 0];
  refcount r[o \\in Obj] = 1 of obj;
  mapping cur -> obj = A;
  variables seen = NONE;
  process (P \\in 1..2)
    variables ok = FALSE;
  {
  p1: lock(L);
  p2: seen := obj[cur].v;
      ok := trylock(S[A]);
  p3: if (ok) unlock(S[A]);
  p4: unlock(L);
  }
  process (Q = "q")
  {
  q1: lock(S[B]);
      obj[B].v := 1;
  q2: unlock(S[B]);
  }
}
`;

const EXPRS = `
algorithm Exprs {
  constants K = 3;
  variables s = <<1, 2>>, r = [a |-> 1, b |-> {1}], n \\in {-1, 2}, st = {};
  define {
    Fact[k \\in 0..K] == IF k = 0 THEN 1 ELSE k * Fact[k - 1]
    Sq(x) == x * x
  }
  invariant Shapes == /\\ Len(s) >= 2 /\\ Head(s) = 1 /\\ Tail(<<1, 2>>) = <<2>> /\\ SubSeq(s, 1, 2) = <<1, 2>>
                      /\\ (<<1, 2>> \\o <<3>>)[3] = 3 /\\ Cardinality({1, 2} \\X {3}) = 2
                      /\\ {x \\in 1..5 : x % 2 = 1} = {1, 3, 5} /\\ {Sq(x) : x \\in 1..3} = {1, 4, 9}
                      /\\ (CHOOSE x \\in 1..5 : x > 3) = 4 /\\ (CASE n < 0 -> n < 0 [] OTHER -> n >= 0)
                      /\\ r \\in [a : 0..9, b : SUBSET (1..9)] /\\ UNION {{1}, {2}} = {1, 2}
                      /\\ [x \\in {1, 2} |-> x] \\in [{1, 2} -> 1..2] /\\ DOMAIN r = {"a", "b"}
                      /\\ (7 \\div 2 = 3) /\\ (-7 % 3 = 2) /\\ ((n > 0) <=> (n >= 1)) /\\ Fact[3] = 6
                      /\\ (LET y == n + 1 IN y # 100) /\\ \\A x, y \\in 1..2 : x + y >= 2
                      /\\ [f \\in {1, 2}, g \\in {3} |-> f + g][<<1, 3>>] = 4;
  process (P \\in 1..2)
  {
  a: s := Append(s, self) || r := [r EXCEPT !.a = @ + self, !.b = @ \\cup {self}];
     st := st \\cup {Fact[self]};
     st := {y + 1 : y \\in st};
  b: with (x \\in st) { n := -n + x; };
  }
}
`;

const MIXED_IDS = `
algorithm Mixed {
  values Nobody;
  variables owner = Nobody;
  invariant Known == owner = Nobody \\/ owner \\in ProcSet;
  process (U \\in 1..2) { u: owner := self; }
  process (M = "M") { m: await owner # Nobody; owner := "M"; }
}
`;

// PlusCal's `call q(); return;`: a tail call of another procedure and of the procedure itself.
const TAIL_CALLS = `algorithm TailVars {
  variables x = 0;
  procedure q(a) variables qa = 0; { q1: qa := a + 1; q2: x := x + qa; return; }
  procedure p(n) variables l = 0; {
  p1: either { l := 1 } or { l := 2 };
  p2: if (n > 2) { call q(1); return; } else { call p(n + 2); return; }
  }
  process (P \\in 1..2) { a: either { call p(1) } or { call p(2) }; b: x := x + 10; }
}`;

describe('export of the examples', () => {
  test('Peterson: variables, Init, one action per label, Next, the invariant, the config', () => {
    const { name, module, cfg } = exportFile('examples/peterson.lspec');
    expect(name).toBe('Peterson');
    expect(module).toMatch(/^---- MODULE Peterson ----\n/);
    expect(module).toMatch(/\n====\n$/);
    expect(module).toContain('EXTENDS Integers, Sequences, FiniteSets, TLC');
    expect(module).toContain('VARIABLES flag, turn, pc\n');
    expect(module).toContain('vars == << flag, turn, pc >>');
    expect(module).toContain('ProcSet == {0, 1}');
    expect(definition(module, 'Init')).toBe(
      ['Init == /\\ flag = (0 :> FALSE @@ 1 :> FALSE)', '        /\\ turn = 0', '        /\\ pc = [self \\in ProcSet |-> "ncs"]'].join('\n'),
    );
    for (const label of ['ncs', 'set', 'give', 'wait', 'cs', 'exit']) {
      expect(definition(module, `${label}(self)`)).toContain(`/\\ pc[self] = "${label}"`);
    }
    expect(definition(module, 'set(self)')).toContain("flag' = flag_1");
    expect(definition(module, 'set(self)')).toContain('flag_1 == [flag EXCEPT ![self] = TRUE]');
    expect(definition(module, 'set(self)')).toContain('UNCHANGED turn');
    expect(definition(module, 'wait(self)')).toContain('/\\ ((~flag[(1 - self)]) \\/ (turn = self))');
    expect(definition(module, 'P(self)')).toBe(
      ['P(self) == \\/ ncs(self)', '           \\/ set(self)', '           \\/ give(self)', '           \\/ wait(self)', '           \\/ cs(self)', '           \\/ exit(self)'].join('\n'),
    );
    expect(module).toContain('Next == \\/ (\\E self \\in {0, 1}: P(self))');
    expect(module).toContain('Spec == /\\ Init /\\ [][Next]_vars\n        /\\ \\A self');
    expect(module).toContain('Mutex == (~((pc[0] = "cs") /\\ (pc[1] = "cs")))');
    expect(cfg).toBe('SPECIFICATION Spec\nINVARIANTS\n  Mutex\n');
  });

  test('TicketLock: the stack, procedure actions over ProcSet, call and return frames', () => {
    const { module, cfg } = exportFile('examples/ticketlock.lspec');
    expect(module).toContain('\\* Constants, folded into the translation: PROCS = {1, 2, 3}, MAXT = 3');
    expect(module).toContain('VARIABLES owner, next, got, pc, stack, mine\n');
    expect(definition(module, 'Init')).toContain('/\\ mine = [self \\in ProcSet |-> 0]');
    expect(definition(module, 'Init')).toContain('/\\ stack = [self \\in ProcSet |-> << >>]');
    const start = definition(module, 'start(self)');
    expect(start).toContain("stack' = [stack EXCEPT ![self] = <<[procedure |-> \"lock_\", pc |-> \"cs\", mine |-> mine[self]]>> \\o stack[self]]");
    expect(start).toContain('mine_1 == [mine EXCEPT ![self] = 0]');
    expect(start).toContain("pc' = [pc EXCEPT ![self] = \"take\"]");
    const spin = definition(module, 'spin(self)');
    expect(spin).toContain("pc' = [pc EXCEPT ![self] = Head(stack[self]).pc]");
    expect(spin).toContain("mine' = [mine EXCEPT ![self] = Head(stack[self]).mine]");
    expect(spin).toContain("stack' = [stack EXCEPT ![self] = Tail(stack[self])]");
    // Sequential writes in one step: the second assignment reads the first's result.
    const take = definition(module, 'take(self)');
    expect(take).toContain('LET mine_1 == [mine EXCEPT ![self] = next]');
    expect(take).toContain('next_1 == (IF (next = 3) THEN 0 ELSE (next + 1))');
    expect(module).toContain('Next == \\/ (\\E self \\in {1, 2, 3}: proc(self) \\/ lock_(self) \\/ trylock_(self) \\/ unlock_(self))');
    expect(cfg).not.toContain('CONSTANTS');
  });

  test('RefPool: model values as constants, a single process, Deadlock disabled', () => {
    const { module, cfg } = exportFile('examples/refpool.lspec');
    expect(module).toContain('CONSTANTS o1, o2, u1, u2\n');
    expect(module).toContain('ProcSet == {"owner"} \\cup {u1, u2}');
    expect(definition(module, 'Init')).toContain('/\\ mine = [self \\in {u1, u2} |-> "none"]');
    expect(definition(module, 'Init')).toContain('pc = [self \\in ProcSet |-> CASE self \\in {"owner"} -> "alloc" [] self \\in {u1, u2} -> "look"]');
    expect(definition(module, 'alloc(self)')).toContain('\\E o_');
    expect(definition(module, 'look(self)')).toContain('IF (slot # "none")');
    expect(module).toContain('Terminating == /\\ \\A self \\in ProcSet: pc[self] = "Done"');
    expect(module).toContain('Next == \\/ (\\E self \\in {"owner"}: owner(self))\n        \\/ (\\E self \\in {u1, u2}: user(self))\n        \\/ Terminating');
    expect(cfg).toContain('CONSTANTS\n  o1 = o1\n  o2 = o2\n  u1 = u1\n  u2 = u2\n');
    expect(cfg).toContain('INVARIANTS\n  NoUseAfterFree\n  RefsSane\n  FreeMeansDead\n');
    expect(cfg).toContain('CHECK_DEADLOCK FALSE');
    expect(exportFile('examples/refpool.lspec', { consts: [['ATOMIC_PUT', 'FALSE']] }).module).toContain('seen_1 == [seen EXCEPT ![self] = obj[mine[self]].refs]');
  });

  test('LockInc: process locals over the process set, a recursive function as a LET', () => {
    const { module } = exportFile('examples/lockinc.lspec');
    expect(definition(module, 'Init')).toContain('/\\ i = [self \\in {1, 2, 3} |-> 0]');
    expect(module).toContain('LET S[k_');
    expect(module).toMatch(/CounterOK == \(counter = \(LET S\[k_\d+ \\in \(0 \.\. 3\)\] == .*S\[\(k_\d+ - 1\)\].* IN S\[3\]\)\)/);
    expect(module).toContain('TypeOK == ((lock \\in (0 .. 3)) /\\ (counter \\in (0 .. (3 * 3))) /\\ (i \\in [(1 .. 3) -> (0 .. 3)]))');
  });
});

describe('export of every statement and expression kind', () => {
  test('procedures: parameters start as defaultInitValue, a model value of the config', () => {
    const { module, cfg } = exportTla(programOf(PROCS));
    expect(module).toContain('CONSTANTS defaultInitValue\n');
    expect(cfg).toContain('defaultInitValue = defaultInitValue');
    const init = definition(module, 'Init');
    expect(init).toContain('/\\ pick \\in {0, 1}');
    expect(init).toContain('/\\ amount = [self \\in ProcSet |-> defaultInitValue]');
    expect(init).toContain('/\\ mine \\in {f \\in [{1, 2} -> UNION {{self, (self + 10)} : self \\in {1, 2}}] : \\A self \\in {1, 2} : f[self] \\in {self, (self + 10)}}');
    // A call sets the parameters, then the locals from their initial values.
    const w1 = definition(module, 'w1(self)');
    expect(w1).toContain('amount_1 == [amount EXCEPT ![self] = acc[self]]');
    expect(w1).toContain('tag_1 == [tag EXCEPT ![self] = (self + 100)]');
    expect(w1).toContain('before_1 == [before EXCEPT ![self] = 0]');
    expect(w1).toContain('pc |-> "w2", amount |-> amount[self], tag |-> tag[self], before |-> before[self]');
    // Several writes to one variable thread through LETs; a simultaneous assignment reads the old values.
    const a1 = definition(module, 'a1(self)');
    expect(a1).toContain('total_1 == (total + amount[self])');
    expect(a1).toContain('total_2 == (total_1 + 0)');
    expect(a1).toContain('before_1 == [before EXCEPT ![self] = total_2]');
    expect(a1).toContain('IF (amount[self] <= 1)');
    const w2 = definition(module, 'w2(self)');
    expect(w2).toContain('acc_1 == [acc EXCEPT ![self] = (acc[self] + 1)]');
    expect(w2).toContain('mine_1 == [mine EXCEPT ![self] = acc[self]]');
    expect(w2).toMatch(/q_\d+ == \(acc_1\[self\] \+ 1\)/);
    expect(definition(module, 'w0(self)')).toMatch(/\\\/ LET acc_1 == [^\n]*\n\s+IN .*\n(.*\n)*\s+\\\/ LET acc_2 ==/);
    expect(definition(module, 't1(self)')).toMatch(/\\E d_\d+ \\in \{0, 1\}:/);
    expect(definition(module, 'a2(self)')).toContain('/\\ Assert((total >= before[self]), "Assertion: ');
    expect(module).toContain('AllLogged == (\\A self \\in ProcSet : pc[self] = "Done") => ((Len(log) = (2 * 2)) /\\ (\\A p_');
    expect(cfg).toContain('INVARIANTS\n  Bounded\n  AllLogged\n');
  });

  test('a tail call replaces the top frame and restores the caller\'s locals; a call of itself leaves the stack', () => {
    const p2 = definition(exportTla(programOf(TAIL_CALLS)).module, 'p2(self)');
    expect(p2).toContain('l_1 == [l EXCEPT ![self] = Head(stack[self]).l]');
    expect(p2).toContain('stack\' = [stack EXCEPT ![self] = <<[procedure |-> "q", pc |-> Head(stack[self]).pc, a |-> a[self], qa |-> qa[self]]>> \\o Tail(stack[self])]');
    expect(p2).toContain('UNCHANGED << x, a, qa, stack >>');
  });

  test('kernel primitives: built-in checks as Assert, checked reads as IF ... Assert(FALSE, ...)', () => {
    const { module, cfg } = exportTla(programOf(KERNEL));
    expect(module).toContain('CONSTANTS A, B, NONE, nobody, q\n');
    expect(definition(module, 'p1(self)')).toContain('Assert((~(L = self)), "SelfDeadlock: lock(L) by its holder")');
    expect(definition(module, 'p1(self)')).toContain('/\\ (L = nobody)');
    expect(definition(module, 'p2(self)')).toContain('seen_1 == (IF (obj_live[cur] = TRUE) THEN obj[cur] ELSE Assert(FALSE, "NoUseAfterFree: read of freed obj")).v');
    expect(definition(module, 'p4(self)')).toContain('"LockHeldAtExit: the process finishes holding spinlock L"');
    expect(module).toContain('VARIABLES L, S, obj, obj_live, r, cur, seen, pc, ok\n');
    expect(module).toContain('Next == \\/ (\\E self \\in {1, 2}: P(self))\n        \\/ (\\E self \\in {q}: Q(self))');
    expect(cfg).toContain('INVARIANTS\n  MappingToFreed\n');
    expect(cfg).not.toContain('CHECK_DEADLOCK');
    expect(exportTla(programOf(KERNEL), { deadlock: false }).cfg).toContain('CHECK_DEADLOCK FALSE');
  });

  test('expressions: every kind in TLA+ notation', () => {
    const { module } = exportTla(programOf(EXPRS));
    const shapes = definition(module, 'Shapes');
    for (const piece of [
      'Len(s)', 'Head(s)', 'Tail(<<1, 2>>)', 'SubSeq(s, 1, 2)', '(<<1, 2>> \\o <<3>>)[3]', 'Cardinality(({1, 2} \\X {3}))',
      '(x_', ' % 2)', '(CHOOSE x_', '(CASE (n < 0) -> (n < 0) [] OTHER -> (n >= 0))', '[a : (0 .. 9), b : (SUBSET (1 .. 9))]',
      '(UNION {{1}, {2}})', '[{1, 2} -> (1 .. 2)]', '(DOMAIN r)', '(7 \\div 2)', '((-7) % 3)', '<=>', 'LET Fact',
      '|-> (f_', '[<<1, 3>>]',
    ]) {
      expect(shapes).toContain(piece);
    }
    const a = definition(module, 'a(self)');
    expect(a).toContain('r_1 == [r EXCEPT !.a = (LET old_');
    expect(a).toMatch(/st_2 == \{\(y_\d+ \+ 1\) : y_\d+ \\in st_1\}/);
    expect(definition(module, 'b(self)')).toMatch(/n_1 == \(\(-n\) \+ x_\d+\)/);
  });

  test('powers: ^ as in TLA+, and -a^b as the negation of the power', () => {
    const { module } = exportTla(programOf(POWERS));
    expect(definition(module, 'Bounds')).toContain('((n ^ 2) <= 25)');
    expect(definition(module, 'Bounds')).toContain('(-(2 ^ 28))');
    expect(definition(module, 'Bounds')).toContain('((-2) ^ 2)');
  });

  test('string process ids beside integer ids are model values (TLC cannot compare 1 with "M")', () => {
    const { module, cfg } = exportTla(programOf(MIXED_IDS));
    expect(module).toContain('ProcSet == {1, 2} \\cup {M}');
    expect(module).toContain('owner_1 == M');
    expect(module).toContain('Known == ((owner = Nobody) \\/ (owner \\in {1, 2, M}))');
    expect(cfg).toContain('  M = M\n');
  });

  test('names that clash with TLA+ keywords or the translation are renamed', () => {
    const { module } = exportTla(programOf('algorithm Clash { variables stack = 0, Next = 1; process (P = 1) { Init: stack := Next; } }'));
    expect(module).toContain('VARIABLES stack_1, Next_1, pc\n');
    expect(module).toContain('Init_1(self) == /\\ pc[self] = "Init"');
  });
});

describe('lockspec export-tla', () => {
  const io = memoryIo;

  test('prints the module, writes the config, applies --const and --no-deadlock', () => {
    const o = io();
    expect(runExportTla({ file: 'examples/ticketlock.lspec', const: ['MAXT=1'], deadlock: false, 'cfg-out': 'x.cfg' }, o)).toBe(0);
    expect(o.outs.join('')).toContain('MAXT = 1');
    expect(o.outs.join('')).toContain('(IF (next = 1) THEN 0 ELSE (next + 1))');
    expect(o.files.get('x.cfg')).toContain('CHECK_DEADLOCK FALSE');
  });

  test('--invariant and --property export only those, as check checks only them (\'\': none)', () => {
    const ticket = { file: 'examples/ticketlock-progress.lspec', const: ['PROCS={1, 2}'], deadlock: true, 'cfg-out': 'x.cfg' };
    const cfgOf = (args: Partial<Parameters<typeof runExportTla>[0]>): string => {
      const o = io();
      expect(runExportTla({ ...ticket, ...args }, o)).toBe(0);
      return o.files.get('x.cfg')!;
    };
    const all = cfgOf({});
    expect(all).toMatch(/INVARIANTS\n {2}TypeInv\n {2}ExclInv\n/);
    expect(all).toMatch(/PROPERTIES\n {2}LockAny\n {2}LockAll\n {2}LockAll_1\n/);
    const chosen = cfgOf({ invariant: 'ExclInv', property: 'LockAny' });
    expect(chosen).toMatch(/INVARIANTS\n {2}ExclInv\nPROPERTIES\n {2}LockAny\n/);
    expect(chosen).not.toMatch(/TypeInv|LockAll/);
    expect(cfgOf({ property: '' })).not.toMatch(/PROPERTIES|LockA/);
    const o = io();
    expect(runExportTla({ ...ticket, property: 'LockNone' }, o)).toBe(2);
    expect(o.errs.join('\n')).toMatch(/LockNone/);
  });

  test('a design is exported by name', () => {
    const file = writeModel(readFileSync('examples/peterson.lspec', 'utf8').replace(/}\s*$/, 'design slow "d" { invariant Extra == turn \\in {0, 1}; }\n}\n'));
    const o = io();
    expect(runExportTla({ file, design: 'slow', deadlock: true }, o)).toBe(0);
    expect(o.outs.join('')).toContain('---- MODULE Peterson_slow ----');
  });

  test.each([
    ['a missing file', { file: 'examples/none.lspec', deadlock: true }, /cannot read/],
    ['an unknown design', { file: 'examples/peterson.lspec', design: 'zz', deadlock: true }, /unknown design "zz"/],
    ['a bad --const', { file: 'examples/peterson.lspec', const: ['X'], deadlock: true }, /bad --const "X"/],
  ])('%s: located diagnostics, exit 2', (_name, args, message) => {
    const o = io();
    expect(runExportTla(args, o)).toBe(2);
    expect(o.outs).toEqual([]);
    expect(o.errs.join('\n')).toMatch(message);
  });
});

// A labeled statement in an if without else, and a call as a process's last statement (it returns to Done).
const IF_NO_ELSE = `algorithm IfNoElse {
  variables x = 0;
  process P \\in 1..2 { a3: if (x = 0) { a4: x := 1; }; a5: x := 0; }
}`;
const CALL_LAST = `algorithm CallLast {
  variables y = 0;
  procedure q() { r: y := y + 1; return; }
  process P \\in 1..2 { t: y := y + 2; call q(); }
}`;

// Two fair process groups: each fairness conjunct is its own bullet (found by the random models).
const TWO_FAIR = `algorithm TwoFair {
  variables x = 0;
  fair process (P = 5) { a: x := (x + 1) % 2; }
  fair process (Q \\in {11, 12}) { b: x := 0; }
}`;

// Locks held from the start: the allocating process holds the new page's lock and the spinlock.
const HELD = `algorithm Held {
  type Page = {OldPage, NewPage};
  spinlock L held by "alloc";
  sleeplock page_lock[p \\in Page] held by IF p = NewPage THEN "alloc" ELSE nobody;
  process (A = "alloc") { a1: unlock(L); a2: unlock(page_lock[NewPage]); }
  process (U \\in 1..2) { u1: lock(page_lock[NewPage]); u2: lock(L); u3: unlock(L); unlock(page_lock[NewPage]); }
}`;

test('a lock held from the start: Init gives it its holder', () => {
  const { module, cfg } = exportTla(programOf(HELD));
  expect(definition(module, 'Init')).toContain('/\\ L = alloc\n');
  expect(definition(module, 'Init')).toContain('/\\ page_lock = (NewPage :> alloc @@ OldPage :> nobody)\n');
  expect(cfg).toContain('alloc = alloc');
});

withTlc('TLC on the exports (TLA2TOOLS is set)', () => {
  // The examples/ models are held to TLC by scripts/crosscheck-tlc, every design: here, the shapes they lack.
  const cases: [string, string][] = [
    ['procedures', PROCS],
    ['kernel primitives', KERNEL],
    ['expressions', EXPRS],
    ['mixed process ids', MIXED_IDS],
    ['powers', POWERS],
    ['if without else', IF_NO_ELSE],
    ['call as the last statement', CALL_LAST],
    ['two fair process groups', TWO_FAIR],
    ['tail calls', TAIL_CALLS],
    ['locks held from the start', HELD],
    ['test/checker/hand-written/bounded.lspec', ''],
    ['test/checker/hand-written/sym.lspec', ''],
    ['test/checker/hand-written/ip.lspec', ''],
    ['test/checker/hand-written/irq.lspec', ''],
    ['test/checker/hand-written/symact.lspec', ''],
    ['test/checker/hand-written/not-a-process.lspec', ''],
  ];
  test.each(cases)('%s: TLC finds as many distinct and generated states as lockspec', (name, text) => {
    const file = text ? writeModel(text) : name;
    const ours = checkModel(file, { engine: 'reference' });
    expect(ours.verdict).toBe('ok');
    const tlc = runTlc(exportFile(file));
    expect(tlc.out).toContain('Model checking completed. No error has been found.');
    expect({ distinct: tlc.distinct, generated: tlc.generated }).toEqual({ distinct: ours.distinct, generated: ours.generated });
  }, 300_000);
});
