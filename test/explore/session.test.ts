// The explorer's session, without a server: the steps it offers are the engine's, invariants are
// judged as `check` judges them, and a `check` run's trace (JSON or ITF) replays onto its states.
import { checkProgram } from '../../src/checker/check.js';
import { ExploreSession } from '../../src/explore/session.js';
import { loadModel } from '../../src/pipeline/load-model.js';
import { checkToJson, traceToItf } from '../../src/report/json.js';
import { programOf } from '../helpers.js';

const RACY = 'spec/bh-migration/bh_migration.lspec';

function racy() {
  const loaded = loadModel(RACY, { design: 'racy_norefs' });
  const program = loaded.program!;
  const outcome = checkProgram(program, { spec: RACY, sources: loaded.sources, design: 'racy_norefs', warnings: [] }, {});
  return { program, outcome };
}

describe('explore session', () => {
  test('offers each process its enabled steps, with what they change, until every process has finished', () => {
    const session = new ExploreSession(
      programOf(`algorithm Two {
        variables x = 0;
        invariant Small == x < 2;
        process (P \\in {1, 2}) { a: x := x + 1; }
      }`),
    );
    const [init] = session.initial();
    const first = session.report(init);
    expect(first.text.x).toBe('0');
    expect(first.steps.map((s) => `${s.process}:${s.label} ${s.changesText}`)).toEqual(['P(1):a x=1 pc="Done"', 'P(2):a x=1 pc="Done"']);
    expect(first.properties).toEqual([{ name: 'Small', kind: 'invariant', builtin: false, holds: true, message: null }]);
    const second = session.report(first.steps[0].to!);
    expect(second.steps.map((s) => `${s.process}:${s.label}`)).toEqual(['P(2):a']);
    const last = session.report(second.steps[0].to!);
    expect(last.finished).toBe(true);
    expect(last.deadlock).toBe(false);
    expect(last.steps).toEqual([]);
    expect(last.properties[0]).toMatchObject({ name: 'Small', holds: false, message: 'invariant Small is violated' });
  });

  test('a step that fails a check is offered with the failure, and a stuck state is a deadlock', () => {
    const session = new ExploreSession(
      programOf(`algorithm Stuck {
        variables x = 0;
        process (P = 1) { a: assert x = 1; }
        process (Q = 2) { b: await x = 1; }
      }`),
    );
    const report = session.report(session.initial()[0]);
    const step = report.steps.find((s) => s.label === 'a')!;
    expect(step.to).toBeNull();
    expect(step.failure?.property).toBe('Assertion');
    expect(report.deadlock).toBe(false);
  });

  test("replays the racy design's shortest trace from check's JSON and from ITF, ending where the invariant fails", () => {
    const { program, outcome } = racy();
    expect(outcome.verdict).toBe('violation');
    const json = checkToJson(outcome);
    const session = new ExploreSession(program);
    const replay = session.replay(json);
    expect(replay.stoppedAt).toBeNull();
    expect(replay.ids).toHaveLength(outcome.trace!.length);
    expect(replay.steps.slice(1).map((s) => `${s!.process}:${s!.label}`)).toEqual(
      outcome.trace!.slice(1).map((t) => `${program.instances[t.instance].display}:${program.labels[t.label].name}`),
    );
    const violatedAt = replay.ids.map((id) => session.report(id).properties.filter((p) => !p.holds).map((p) => p.name));
    expect(violatedAt.slice(0, -1).every((v) => v.length === 0)).toBe(true);
    expect(violatedAt[violatedAt.length - 1]).toContain(outcome.failure!.property);
    expect(session.replay(traceToItf(outcome)).ids).toEqual(replay.ids);
  });

  test('a trace of another model stops where it cannot be followed, with the reason', () => {
    const session = new ExploreSession(programOf(`algorithm One { variables x = 5; process (P = 1) { a: x := 0; } }`));
    expect(session.replay({ nothing: true }).stoppedAt?.reason).toMatch(/no trace in this file/);
    const { outcome } = racy();
    expect(session.replay(checkToJson(outcome))).toMatchObject({ ids: [], stoppedAt: { index: 0 } });
  });
});
