// Fuzzing the whole pipeline: random bytes, token soup from the language's own words and operators,
// and mutated examples and generated models go through parseSource and, when they parse, through
// loadModel and checkModel with small limits. Every input must end with diagnostics that point at a
// valid place (file, line and column inside the text) or with a result: never an exception, never
// a hang. A failing input is shrunk by fast-check and printed.
//
// LOCKSPEC_FUZZ_RUNS=N runs N inputs instead of 10,000 (spread over the same kinds of input).
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parseSource } from '../../src/parser/parse.js';
import { formatDiagnostic, lineCol, type Diagnostic, type SourceMap } from '../../src/diagnostics/diagnostics.js';
import { checkModel } from '../../src/pipeline/check-file.js';
import type { EngineName } from '../../src/checker/engine/create-engine.js';
import { modelTextArb } from '../gen/models.js';
import { writeModel } from '../helpers.js';

const RUNS = Number(process.env.LOCKSPEC_FUZZ_RUNS ?? 10_000);
const TIMEOUT = 600_000 + RUNS * 100;
const seed = process.env.LOCKSPEC_FUZZ_SEED ? { seed: Number(process.env.LOCKSPEC_FUZZ_SEED) } : {};
/** An input that takes longer than this is a hang (the limits below must stop any search sooner). */
const SLOW_MS = 15_000;

const examplesDir = new URL('../../examples/', import.meta.url);
const examples = readdirSync(examplesDir)
  .filter((f) => f.endsWith('.lspec'))
  .map((f) => readFileSync(new URL(f, examplesDir), 'utf8'));

// ------------------------------------------------------------------ checking one input

/** Every diagnostic has a span inside a known source, and it formats. */
function badDiagnostics(diags: Diagnostic[], sources: SourceMap): string | null {
  if (diags.length === 0) return 'no diagnostics and no result';
  for (const d of diags) {
    if (!d.span) return `diagnostic without a place: ${d.message}`;
    const src = sources.get(d.span.file);
    if (src === undefined) return `diagnostic in an unknown file ${d.span.file}: ${d.message}`;
    const { start, end } = d.span;
    if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= src.length)) {
      return `diagnostic span ${start}..${end} outside the text (length ${src.length}): ${d.message}`;
    }
    const { line, column } = lineCol(src, start);
    const lines = src.split('\n').length;
    if (line < 1 || line > lines || column < 1) return `diagnostic at line ${line}, column ${column}: ${d.message}`;
    const text = formatDiagnostic(d, sources);
    if (!text.includes(`:${line}:${column}:`)) return `diagnostic formats without its place: ${text}`;
  }
  return null;
}

const stats = { inputs: 0, parsed: 0, loaded: 0, verdicts: {} as Record<string, number>, slowest: 0 };

function fuzzOne(text: string, engine: EngineName): void {
  const started = Date.now();
  stats.inputs++;
  const [diags, ast] = parseSource(text, 'fuzz.lspec');
  if (ast === null) {
    const bad = badDiagnostics(diags, new Map([['fuzz.lspec', text]]));
    if (bad) throw new Error(`parseSource: ${bad}`);
    return;
  }
  if (diags.length > 0) throw new Error('parseSource returned an AST and diagnostics');
  stats.parsed++;
  const outcome = checkModel(writeModel(text), { engine, maxStates: 500, timeLimitMs: 200 });
  if (outcome.verdict === 'error') {
    const bad = badDiagnostics(outcome.diagnostics, outcome.sources);
    if (bad) throw new Error(`checkModel: ${bad}`);
  } else {
    stats.loaded++;
    if (!['ok', 'violation', 'deadlock', 'incomplete'].includes(outcome.verdict)) throw new Error(`unknown verdict ${outcome.verdict}`);
    if (outcome.verdict !== 'ok' && outcome.verdict !== 'incomplete' && !outcome.failure) throw new Error(`verdict ${outcome.verdict} without a failure`);
  }
  stats.verdicts[outcome.verdict] = (stats.verdicts[outcome.verdict] ?? 0) + 1;
  const took = Date.now() - started;
  stats.slowest = Math.max(stats.slowest, took);
  if (took > SLOW_MS) throw new Error(`took ${took} ms (limits: 500 states, 200 ms)`);
}

// ------------------------------------------------------------------ inputs

const KEYWORDS = [
  'algorithm', 'module', 'import', 'constants', 'constant', 'values', 'type', 'variables', 'variable', 'spinlock',
  'sleeplock', 'refcount', 'of', 'object', 'mapping', 'define', 'invariant', 'final', 'disable', 'macro',
  'procedure', 'process', 'fair', 'design', 'if', 'else', 'while', 'either', 'or', 'with', 'await', 'when',
  'goto', 'assert', 'skip', 'print', 'call', 'return', 'lock', 'unlock', 'trylock', 'get', 'put', 'free',
  'alloc', 'might_sleep', 'TRUE', 'FALSE', 'IF', 'THEN', 'ELSE', 'CASE', 'OTHER', 'LET', 'IN', 'CHOOSE',
  'DOMAIN', 'SUBSET', 'UNION', 'EXCEPT', 'not', 'and', 'forall', 'exists', 'self', 'pc', 'Done', 'Len',
  'Append', 'Head', 'Tail', 'SubSeq', 'Cardinality', 'Deadlock', 'symmetry',
];
const OPERATORS = [
  '{', '}', '(', ')', '[', ']', '<<', '>>', ';', ',', ':', '::', ':=', '=', '==', '#', '/=', '!=', '<', '<=', '=<',
  '>', '>=', '+', '-', '*', '%', '\\div', '..', '.', '\\in', '\\notin', '\\cup', '\\cap', '\\', '\\union',
  '\\subseteq', '\\X', '\\o', '/\\', '\\/', '~', '!', '&&', '||', '=>', '<=>', '\\equiv', '|->', '->', '@', '[]',
  '\\A', '\\E', '"s"', '"', '\\*', '//', '(*', '*)', '\n', '0', '1', '2', '3', '268435455', '268435456',
  '99999999999999999999', 'x', 'y', 'P', 'S', 'l', 'f', 'a', 'b',
];
const TOKENS = [...KEYWORDS, ...OPERATORS];

const tokenSoup = (max: number) => fc.array(fc.constantFrom(...TOKENS), { maxLength: max }).map((ts) => ts.join(' '));

const HEAD = 'algorithm A {\n  variables x = 0, y = [i \\in 0..1 |-> 0];\n';
const PROC = `${HEAD}  process (P \\in 1..2) {\n  l: `;

/** A valid frame around token soup, so the soup reaches declarations, statements and expressions. */
const framedSoup = fc.oneof(
  tokenSoup(20).map((s) => `algorithm A { ${s} }`),
  tokenSoup(20).map((s) => `${HEAD}${s}\n}`),
  tokenSoup(20).map((s) => `${PROC}${s}\n  }\n}`),
  tokenSoup(12).map((s) => `${PROC}x := ${s};\n  }\n}`),
  tokenSoup(12).map((s) => `${HEAD}  invariant I == ${s};\n  process (P = 1) { l: skip; }\n}`),
);

type Edit = [op: number, at: number, other: number, token: string];
const editArb: fc.Arbitrary<Edit> = fc.tuple(fc.nat(7), fc.nat(), fc.nat(), fc.constantFrom(...TOKENS));

/** Deletes, duplicates, swaps and inserts lines and characters. */
function mutate(text: string, edits: Edit[]): string {
  for (const [op, at, other, token] of edits) {
    const lines = text.split('\n');
    const i = at % lines.length;
    const j = other % lines.length;
    const c = at % (text.length + 1);
    const d = other % (text.length + 1);
    switch (op) {
      case 0:
        lines.splice(i, 1);
        text = lines.join('\n');
        break;
      case 1:
        lines.splice(i, 0, lines[i]);
        text = lines.join('\n');
        break;
      case 2:
        [lines[i], lines[j]] = [lines[j], lines[i]];
        text = lines.join('\n');
        break;
      case 3:
        text = text.slice(0, c) + text.slice(c + 1);
        break;
      case 4:
        text = text.slice(0, c) + text.slice(c, c + 1) + text.slice(c);
        break;
      case 5: {
        const [lo, hi] = c < d ? [c, d] : [d, c];
        if (hi < text.length) text = text.slice(0, lo) + text[hi] + text.slice(lo + 1, hi) + text[lo] + text.slice(hi + 1);
        break;
      }
      case 6:
        text = text.slice(0, c) + ` ${token} ` + text.slice(c);
        break;
      default: {
        // Delete a run of characters: cuts through tokens, strings and comments.
        text = text.slice(0, c) + text.slice(c + 1 + (other % 12));
        break;
      }
    }
  }
  return text;
}

const edits = fc.array(editArb, { minLength: 1, maxLength: 4 });
/** Examples are long and the parser is slow on long texts: most mutations keep a window of lines. */
const exampleWindow = fc.tuple(fc.constantFrom(...examples), fc.nat(), fc.integer({ min: 3, max: 14 })).map(([src, at, n]) => {
  const lines = src.split('\n');
  const from = at % lines.length;
  return lines.slice(from, from + n).join('\n');
});

/** Generated models cut to a window of lines: mostly syntax errors deep inside real statements. */
const modelWindow = fc.tuple(modelTextArb, fc.nat(), fc.integer({ min: 3, max: 12 })).map(([src, at, n]) => {
  const lines = src.split('\n');
  const from = at % lines.length;
  return lines.slice(from, from + n).join('\n');
});

/**
 * The kinds of input, with weights that keep the default run near 20 s: the parser takes tens of
 * milliseconds on a whole model, so whole (mutated) models are a small share of the inputs.
 */
const kinds: [string, number, fc.Arbitrary<string>][] = [
  ['bytes', 280, fc.uint8Array({ maxLength: 80 }).map((bytes) => String.fromCharCode(...bytes))],
  ['unicode', 120, fc.string({ unit: 'binary', maxLength: 60 })],
  ['soup', 280, tokenSoup(30)],
  ['framed soup', 80, framedSoup],
  ['example lines', 120, fc.tuple(exampleWindow, edits).map(([t, e]) => mutate(t, e))],
  ['model lines', 60, fc.tuple(modelWindow, edits).map(([t, e]) => mutate(t, e))],
  ['model', 30, fc.tuple(modelTextArb, edits).map(([t, e]) => mutate(t, e))],
  ['example', 3, fc.tuple(fc.constantFrom(...examples), edits).map(([t, e]) => mutate(t, e))],
  ['model unmutated', 2, modelTextArb],
];
const inputArb = fc.oneof(...kinds.map(([kind, weight, arb]) => ({ weight, arbitrary: arb.map((text) => ({ kind, text })) })));
const timeByKind: Record<string, [number, number]> = {};

test(
  `${RUNS} random and mutated inputs end in diagnostics or a result`,
  () => {
    const started = Date.now();
    fc.assert(
      fc.property(inputArb, fc.constantFrom<EngineName>('compiled', 'reference'), ({ kind, text }, engine) => {
        const t0 = Date.now();
        try {
          fuzzOne(text, engine);
          const [n, ms] = timeByKind[kind] ?? [0, 0];
          timeByKind[kind] = [n + 1, ms + Date.now() - t0];
        } catch (e) {
          const what = e instanceof Error ? (e.stack ?? e.message).split('\n').slice(0, 8).join('\n') : String(e);
          throw new Error(`${what}\n--- input (${engine} engine) ${JSON.stringify(text)}\n--- as text\n${text}`);
        }
      }),
      { numRuns: RUNS, ...seed },
    );
    if (process.env.LOCKSPEC_FUZZ_VERBOSE) console.log({ ...stats, ms: Date.now() - started, timeByKind });
    // The inputs must reach the checker, not only the parser.
    expect(stats.loaded).toBeGreaterThan(RUNS / 500);
  },
  TIMEOUT,
);
