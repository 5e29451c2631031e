// Progress under PlusCal's fairness, on both engines, against the verdicts TLC gives for the same
// PlusCal (each model below was also run through TLC: /work/shared/tools/tlc, the PlusCal spec
// written beside the .lspec one line for line; the TLC verdict is in each case's name).
import { checkModel } from '../../../src/pipeline/check-file.js';
import { exportTla } from '../../../src/report/tla.js';
import { formatCheck } from '../../../src/report/text.js';
import { checkToJson } from '../../../src/report/json.js';
import { errorsOf, programOf, writeModel } from '../../helpers.js';
import { runTlc, withTlc } from '../../tlc.js';
import { createEngine } from '../../../src/checker/engine/create-engine.js';
import { explore } from '../../../src/checker/search/breadth-first.js';
import { checkProgress } from '../../../src/checker/search/progress.js';
import { GraphRecorder } from '../../../src/checker/search/state-graph.js';

const ENGINES = ['compiled', 'reference'] as const;

/** A test-and-set spinlock of two CPUs, its acquiring step's fairness as given. */
const tas = (fair: string, acq = 'acq:'): string => `algorithm TAS {
  variables lock = 0;
  ${fair} process P \\in 1..2 {
  ncs: while (TRUE) {
  ${acq}   await lock = 0; lock := self;
  cs:    skip;
  rel:   lock := 0;
       }
  }
  property LockAll == \\A p \\in 1..2 : pc[p] = "acq" ~> pc[p] = "cs";
}
`;

const ticket = `algorithm Ticket {
  variables next = 0, serving = 0;
  fair process P \\in 1..2 variables my = 0; {
  ncs: while (TRUE) {
  take:  my := next; next := (next + 1) % 3;
  wait:  await serving = my;
  cs:    skip;
  rel:   serving := (serving + 1) % 3;
       }
  }
  property LockAll == \\A p \\in 1..2 : pc[p] = "take" ~> pc[p] = "cs";
  property Inf == \\A p \\in 1..2 : []<>(pc[p] = "cs");
}
`;

const term = (fair: string, a = 'a:'): string => `algorithm Term {
  variables x = 0;
  ${fair} process P = 1 { ${a} x := 1; b: x := 2; }
  property Ev == <>(x = 2);
  property EvA == <>[](x = 2);
}
`;

function verdicts(text: string): string[] {
  const file = writeModel(text);
  return ENGINES.map((engine) => {
    const o = checkModel(file, { engine, continue: true });
    const failed = o.violations.map((v) => `${v.failure.property}${v.failure.message.match(/\(([^)]*)\)/)?.[0] ?? ''}`);
    return `${engine}: ${o.verdict} ${o.distinct}/${o.generated} ${failed.join(' ')}`.trim();
  });
}

describe('weak and strong fairness (TLC: 12 distinct, 21 generated)', () => {
  test('a test-and-set lock starves a CPU under weak fairness (TLC: LockAll violated)', () => {
    expect(verdicts(tas('fair'))).toEqual(ENGINES.map((e) => `${e}: violation 12/21 LockAll(p = 1) LockAll(p = 2)`));
  });
  test('under strong fairness it does not (fair+; TLC: no error)', () => {
    expect(verdicts(tas('fair+'))).toEqual(ENGINES.map((e) => `${e}: ok 12/21`));
  });
  test('a strongly fair acquiring step is enough (acq:+; TLC: no error)', () => {
    expect(verdicts(tas('fair', 'acq:+'))).toEqual(ENGINES.map((e) => `${e}: ok 12/21`));
  });
  test('without fairness a CPU may stop for ever', () => {
    expect(verdicts(tas(''))[0]).toMatch(/violation 12\/21 LockAll/);
  });
});

test('a ticket lock serves every CPU under weak fairness (TLC: 190 distinct, 363 generated, no error)', () => {
  expect(verdicts(ticket)).toEqual(ENGINES.map((e) => `${e}: ok 190/363`));
});

describe('<> and <>[]: a process may stop without fairness', () => {
  test('unfair: the behaviour may stutter in the initial state (TLC: Ev violated)', () => {
    expect(verdicts(term(''))[0]).toMatch(/^compiled: violation \d+\/\d+ Ev EvA$/);
  });
  test('fair: it runs to the end (TLC: Ev, EvA hold)', () => {
    expect(verdicts(term('fair'))).toEqual(ENGINES.map((e) => `${e}: ok 3/4`));
  });
  test('a:- takes the first step out of the fairness (TLC: Ev violated)', () => {
    expect(verdicts(term('fair', 'a:-'))[1]).toMatch(/^reference: violation \d+\/\d+ Ev EvA$/);
  });
  test('fair algorithm makes every process weakly fair', () => {
    expect(verdicts(`fair ${term('')}`)).toEqual(ENGINES.map((e) => `${e}: ok 3/4`));
  });
});

describe('the lasso', () => {
  test('stem from an initial state, then a cycle back to a state of it, in text and JSON', () => {
    const o = checkModel(writeModel(tas('fair')), { continue: true });
    const v = o.violations[0];
    expect(v.loop).not.toBeNull();
    expect(v.loop!).toBeLessThan(v.trace!.length - 1);
    // The last step returns to the state at `loop`.
    expect(v.trace![v.trace!.length - 1].state).toEqual(v.trace![v.loop!].state);
  });
  test('a behaviour that stutters ends its trace with the state it stays in', () => {
    const o = checkModel(writeModel(term('')), { continue: true });
    expect(o.violations[0].loop).toBe(o.violations[0].trace!.length - 1);
  });
  test('each process on the cycle: whether it steps, and which fairness its behaviour there satisfies', () => {
    const file = writeModel(tas('fair'));
    for (const engine of ENGINES) {
      const o = checkModel(file, { engine, continue: true });
      const v = o.violations[0];
      const text = formatCheck(o);
      const m = text.match(/repeats for ever; P\(1\) waits at acq throughout\.\n {2}P\(1\): weakly fair, disabled in state (\d+) on the cycle\n {2}P\(2\): weakly fair, takes steps\n/);
      expect(m).not.toBeNull();
      // The state named is on the cycle, and there P(2) holds the lock: P(1) cannot take it.
      const k = Number(m![1]) - 1;
      expect(k).toBeGreaterThanOrEqual(v.loop!);
      expect(v.trace![k].state.globals[0]).toBe(2);
      const js = checkToJson(o).violations as { cycle: unknown }[];
      expect(js[0].cycle).toEqual([
        { process: 'P(1)', fairness: 'weak', conduct: 'disabled', disabledIn: k, at: 'acq' },
        { process: 'P(2)', fairness: 'weak', conduct: 'steps', disabledIn: null, at: null },
      ]);
    }
  });
  test('a stuttering end: an unfair process stops, a fair one is never enabled there', () => {
    const unfair = checkModel(writeModel(term('')), { continue: true });
    expect(formatCheck(unfair)).toMatch(/stutters for ever: no process that fairness obliges to move can move there; P waits at a throughout\.\n {2}P: not fair, takes no step\n/);
    const out = checkModel(writeModel(term('fair', 'a:-')), { engine: 'reference', continue: true });
    expect(formatCheck(out)).toMatch(/\n {2}P: weakly fair, never enabled on the cycle\n/);
    expect((checkToJson(out).violations as { cycle: unknown }[])[0].cycle).toEqual([
      { process: 'P', fairness: 'weak', conduct: 'never-enabled', disabledIn: null, at: 'a' },
    ]);
  });
});

describe('reachable', () => {
  const model = (cond: string): string => `algorithm R {
  variables x = 0;
  process P = 1 { a: x := 1; b: x := 2; }
  reachable Two == ${cond};
}
`;
  test('holds when some reachable state satisfies it', () => {
    expect(checkModel(writeModel(model('x = 2'))).verdict).toBe('ok');
  });
  test('fails when none does, on both engines', () => {
    for (const engine of ENGINES) {
      const o = checkModel(writeModel(model('x = 3')), { engine });
      expect([o.verdict, o.failure?.kind, o.failure?.property]).toEqual(['violation', 'cover', 'Two']);
    }
  });
});

describe('what is not checked is said', () => {
  test('\\E over a temporal formula is a located error', () => {
    expect(errorsOf('algorithm E { variables x = 0; process P = 1 { a: x := 1; } property Q == \\E v \\in {1} : <>(x = v); }').join('\n')).toMatch(
      /error LS3020: \\E over a temporal formula is not a temporal formula lockspec checks/,
    );
  });
  test('a shape outside the supported ones is a syntax error that names them', () => {
    expect(errorsOf('algorithm E { variables x = 0; process P = 1 { a: x := 1; } property Q == ~<>(x = 1); }').join('\n')).toMatch(
      /expected a temporal formula: \[\]P, <>P, \[\]<>P, <>\[\]P, P ~> Q, or their conjunction/,
    );
  });
  test('symmetry is refused for temporal properties', () => {
    const o = checkModel(writeModel(`algorithm S { values u1, u2; symmetry U; constants U = {u1, u2};
  variables x = 0; process P \\in U { a: x := 1; } property Ev == <>(x = 1); }`));
    expect(o.verdict).toBe('error');
    expect(o.diagnostics.map((d) => d.message).join()).toMatch(/cannot be checked with symmetry/);
  });
});

// The export carries the fairness and the properties: TLC, where a jar is at hand, gives the same verdicts.
withTlc('export-tla with fairness and properties, checked by TLC', () => {
  test.each([
    ['fair', false],
    ['fair+', true],
  ])('%s process: TLC agrees (holds: %s)', (fair, holds) => {
    const exported = exportTla(programOf(tas(fair as string)));
    const { out } = runTlc(exported);
    expect(out).toMatch(holds ? /No error has been found/ : /Temporal properties were violated/);
    expect(out).toMatch(/12 distinct states found/);
  }, 120_000);

  test('two fair process templates: each fairness conjunct is its own \\A self (TLC parses it)', () => {
    const exported = exportTla(programOf(`algorithm Two {
  variables x = 0;
  fair process P = 1 { a: x := 1; }
  fair process Q = 2 { b: await x = 1; x := 2; }
  property Ends == <>(x = 2);
}`));
    const { out } = runTlc(exported);
    expect(out).toMatch(/No error has been found/);
  }, 120_000);
});

test('--workers gives the same progress verdicts and lassos as one thread', () => {
  for (const text of [tas('fair'), tas('fair+'), ticket]) {
    const file = writeModel(text);
    const one = checkModel(file, {});
    const two = checkModel(file, { workers: 2 });
    expect(two.violations.map((v) => [v.failure.message, v.loop, v.trace?.length])).toEqual(one.violations.map((v) => [v.failure.message, v.loop, v.trace?.length]));
    expect([two.verdict, two.distinct]).toEqual([one.verdict, one.distinct]);
  }
}, 120_000);

describe('what the properties read', () => {
  const covered = `algorithm Cover {
  variables x = 0;
  process P = 1 { a: x := 1; b: x := 2; }
  reachable Two == x = 2;
  reachable Three == x = 3;
}
`;

  test.each(ENGINES)('cover properties alone look at the states, and build no state graph (%s)', (engine) => {
    const e = createEngine(engine, programOf(covered));
    explore(e, { deadlock: false });
    const failed = checkProgress(e, e.size(), () => {
      throw new Error('the state graph was built');
    });
    expect(failed.map((v) => `${v.failure.property}: ${v.failure.message}`)).toEqual(['Three: no reachable state satisfies Three']);
  });

  test('a temporal property builds it', () => {
    const e = createEngine('compiled', programOf(term('fair')));
    explore(e, { deadlock: false });
    let built = 0;
    checkProgress(e, e.size(), () => {
      built++;
      const recorder = new GraphRecorder(e.program.labels.length);
      explore(createEngine('compiled', e.program), { deadlock: false, observer: recorder });
      return recorder.graph(e.size());
    });
    expect(built).toBe(1);
  });
});
