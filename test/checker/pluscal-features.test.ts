// PlusCal features that published specs use, each held to TLC: a uniprocess algorithm, an
// uninitialised variable, `@` in an assignment, a label name used in two processes, and the
// operators of the standard modules. Each model runs on both engines, which must give the figures
// TLC gives on its PlusCal twin in test/checker/tla/ (`tlc Uni.tla Uni.cfg`: distinct states,
// states generated, depth), and its TLA+ export must give TLC the same counts.
import { checkModel } from '../../src/pipeline/check-file.js';
import type { EngineName } from '../../src/checker/engine/create-engine.js';
import { formatDiagnostic } from '../../src/diagnostics/diagnostics.js';
import { exportTla } from '../../src/report/tla.js';
import { errorsOf, loadText, programOf, writeModel } from '../helpers.js';
import { runTlc, withTlc } from '../tlc.js';

interface Case {
  what: string;
  text: string;
  /** The verdict of both engines, and TLC's distinct states, states generated and depth on the twin. */
  expected: [string, number, number, number];
}

/** Checks `text` on both engines; they must agree, and give [verdict, distinct, generated, depth]. */
function both(text: string): [string, number, number, number] {
  const path = writeModel(text);
  const [ref, comp] = (['reference', 'compiled'] as EngineName[]).map((engine) => {
    const r = checkModel(path, { engine, continue: true });
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) throw new Error(errors.map((d) => formatDiagnostic(d, r.sources)).join('\n'));
    return [r.verdict, r.distinct, r.generated, r.depth] as [string, number, number, number];
  });
  expect(comp).toEqual(ref);
  return ref;
}

// Uni.tla: a `--fair algorithm` with a body and no process; `pc` is one label name, a procedure's
// variables are plain variables. Unfair, Termination fails (UniUnfair.tla, the same counts).
const UNI = `fair algorithm Uni {
  variables x = 0, y = 0;
  define { Bound == 5 }
  invariant AtB == pc = "b" => x > 0;
  property Ends == <>(pc = "Done");
  procedure inc(n) variables t = 0; { i1: t := n; i2: x := x + t; return; }
  {
    a: while (x < Bound) {
      either { call inc(1) } or { call inc(2) };
      b: y := y + 1;
    }
  }
}`;

// Uninit.tla: a global, a process local and a procedure local declared without a value start as
// the model value defaultInitValue (a constant of the config, as pcal.trans makes it).
const UNINIT = `algorithm Uninit {
  variables temp; x = 0;
  procedure swap(n) variable t; { s1: t := temp; s2: temp := n; x := x + 1; return; }
  process P \\in 1..2 variable loc; { a: loc := temp; call swap(self); b: temp := loc; }
}`;

// AtAssign.tla: \`@\` on the right of an assignment to x[...] or x.f is the old value there, also in
// simultaneous assignments.
const AT_ASSIGN = `algorithm AtAssign {
  variables msgs = [i \\in 1..2 |-> {}], r = [count |-> 0, seen |-> {}];
  process P \\in 1..2 {
    a: with (m \\in {"x", "y"}) { msgs[3 - self] := @ \\cup {m}; r.seen := @ \\cup {m} || r.count := @ + 1; };
    b: await msgs[self] # {}; msgs[self] := @ \\ {CHOOSE m \\in msgs[self] : TRUE};
  }
}`;

// SameLabels.tla: labels a and b in several processes. pcal.trans renames a clash (but the last
// one) with _, then the process's name, as its comments in the translation say: P's a is a_P (a_ is
// S's label), P's b is b_, Q's a_Q and b_Q; R's a and S's b keep their names. The invariant holds
// only with those names.
const SAME_LABELS = `algorithm SameLabels {
  variables x = 0;
  invariant Renamed == pc[1] \\in {"a_P", "b_", "Done"} /\\ pc[2] \\in {"a_Q", "b_Q", "Done"} /\\ pc[3] \\in {"a", "Done"} /\\ pc[4] \\in {"b", "a_", "Done"};
  process P = 1 { a: x := 1; b: x := 1; }
  process Q = 2 { a: x := 2; b: x := 1; }
  process R = 3 { a: x := 2; }
  process S = 4 { b: x := 2; a_: skip; }
}`;

// TlcOps.tla: FiniteSets' IsFiniteSet, the TLC module's \`:>\` and \`@@\` (binding looser than \\cup, tighter than =), and
// record fields named like lockspec keywords (\`type\`), built, read and assigned.
const TLC_OPS = `algorithm TlcOps {
  variables box = [type |-> "none", val |-> 0], f = (1 :> "a") @@ (2 :> "b");
  invariant Typed == box.type \\in {"none", "tok"} /\\ DOMAIN f = {1, 2, 3} \\cap DOMAIN f /\\ (1 :> 5 @@ 1 :> 6)[1] = 5 /\\ IsFiniteSet(DOMAIN f);
  process P \\in 1..2 {
    a: with (v \\in {"x", "y"}) { box := [type |-> "tok", val |-> self]; f := f @@ (self + 1 :> v); };
    b: box.type := "none"; f := (self :> "z") @@ f;
  }
}`;

const CASES: Case[] = [
  { what: 'a fair uniprocess algorithm with a procedure (Uni.tla)', text: UNI, expected: ['ok', 71, 81, 22] },
  { what: 'the same, not fair: Termination fails (UniUnfair.tla)', text: UNI.replace('fair algorithm', 'algorithm'), expected: ['violation', 71, 81, 22] },
  { what: 'variables declared without a value (Uninit.tla)', text: UNINIT, expected: ['ok', 54, 80, 9] },
  { what: '@ in assignments (AtAssign.tla)', text: AT_ASSIGN, expected: ['ok', 20, 32, 5] },
  { what: 'IsFiniteSet, :>, @@ and a field named type (TlcOps.tla)', text: TLC_OPS, expected: ['ok', 27, 44, 5] },
  { what: 'one label name in several processes, renamed as PlusCal does (SameLabels.tla)', text: SAME_LABELS, expected: ['ok', 91, 220, 8] },
];

test.each(CASES)('$what: both engines give TLC\'s figures', (c) => {
  expect(both(c.text)).toEqual(c.expected);
});

withTlc('TLC on the exports', () => {
  test.each(CASES)('$what: TLC finds as many distinct and generated states', (c) => {
    const tlc = runTlc(exportTla(programOf(c.text)));
    expect({ distinct: tlc.distinct, generated: tlc.generated }).toEqual({ distinct: c.expected[1], generated: c.expected[2] });
    expect(tlc.out).toContain(c.expected[0] === 'ok' ? 'No error has been found' : 'Error:');
  }, 300_000);
});

describe('a uniprocess algorithm', () => {
  test('the export writes PlusCal\'s uniprocess translation: pc, stack and procedure variables are single values', () => {
    const { module } = exportTla(programOf(UNI));
    expect(module).toContain('/\\ pc = "a"\n');
    expect(module).toContain('/\\ stack = << >>\n');
    expect(module).toContain('i2 == /\\ pc = "i2"\n');
    expect(module).toContain('/\\ stack\' = Tail(stack)\n');
    expect(module).not.toContain('ProcSet');
  });

  test.each([
    ['pc[...]', 'invariant I == pc["Uni"] = "a";', /:3:18: error LS2040: "pc\[...\]" is not defined in a uniprocess algorithm/],
    ['self', 'invariant I == x = 0; procedure q() { r: x := self; return; }', /:3:49: error LS2040: "self" is not defined in a uniprocess algorithm/],
    ['ProcSet', 'invariant I == ProcSet = {};', /:3:18: error LS2040: "ProcSet" is not defined in a uniprocess algorithm/],
    ['a process beside the body', 'process P = 1 { p: skip; }', /:4:3: error LS3080: a uniprocess algorithm has one body and no process: this body is one too many/],
    ['a process after the body', '', /:5:3: error LS3080: .* this process is one too many/],
    ['a second body', '{ c: skip; }', /:4:3: error LS3080: .* this body is one too many/],
  ])('%s: a located error', (_what, decl, message) => {
    const text = `algorithm U {\n  variables x = 0;\n  ${decl}\n  { a: x := 1; }\n${decl ? '' : '  process P = 1 { p: skip; }\n'}}`;
    const errors = errorsOf(text);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
  });
});

test('@ in an assignment to a whole variable is a located error (PlusCal\'s translation has no old value there)', () => {
  const text = `algorithm A {\n  variables x = 0;\n  process P = 1 { a: x := @ + 1; }\n}`;
  expect(errorsOf(text)).toEqual([expect.stringMatching(/:3:27: error LS2015: "@" can only be used on the right of an EXCEPT clause or of an assignment to x\[...\] or x.f/)]);
});

test('a renamed label is a warning that gives its new name; a label used twice in one process stays an error', () => {
  const warnings = loadText(SAME_LABELS).diagnostics.map((d) => `${d.severity} LS${d.code} ${d.message}`);
  expect(warnings).toEqual([
    'warning LS3081 label "a" of process P is "a_P" in pc: its name is also another label\'s or a variable\'s, and PlusCal renames it so',
    'warning LS3081 label "b" of process P is "b_" in pc: its name is also another label\'s or a variable\'s, and PlusCal renames it so',
    'warning LS3081 label "a" of process Q is "a_Q" in pc: its name is also another label\'s or a variable\'s, and PlusCal renames it so',
    'warning LS3081 label "b" of process Q is "b_Q" in pc: its name is also another label\'s or a variable\'s, and PlusCal renames it so',
  ]);
  const twice = `algorithm T {\n  variables x = 0;\n  process P = 1 { a: x := 1; a: x := 2; }\n}`;
  expect(errorsOf(twice)).toEqual([expect.stringMatching(/:3:30: error LS2003: label "a" is already used at/)]);
});

test('IsFiniteSet of Nat is refused at load time, as anything that would enumerate it', () => {
  const text = `algorithm F {\n  variables x = 0;\n  invariant I == IsFiniteSet(Nat);\n  process P = 1 { a: x := 1; }\n}`;
  expect(errorsOf(text).join('\n')).toMatch(/:3:30: error LS7050/);
});
