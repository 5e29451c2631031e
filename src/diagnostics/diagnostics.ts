// Every message lockspec gives about a model, in one table with codes (like the TypeScript
// compiler's), and the one formatter that prints them as file:line:column, the line, and a caret.
import type { Span } from './span.js';

/** The diagnostics table. Messages are templates: {0}, {1}... are filled in by `diag`. */
export const Diagnostics = {
  // syntax (LS1xxx)
  SyntaxError: { code: 1001, text: 'expected {0}' },
  UnterminatedComment: { code: 1002, text: 'comment is never closed: expected "*)"' },
  BadNumber: { code: 1003, text: 'integer {0} is too large: expected at most 2^28-1' },
  NotAFile: { code: 1004, text: 'cannot read {0}: {1}' },
  ParserLimit: { code: 1005, text: 'cannot parse this text: {0}' },
  // a TLA+ module with a PlusCal algorithm and its TLC config (src/tla, docs/tla-input.md)
  TranslationUnclosed: { code: 1020, text: '"\\* BEGIN TRANSLATION" is never closed: expected "\\* END TRANSLATION"' },
  NoModuleHeader: { code: 1021, text: 'expected a module: "---- MODULE Name ----" ... "===="' },
  // names (LS2xxx)
  UnknownName: { code: 2001, text: 'unknown name "{0}": expected a constant, variable, definition or bound name' },
  DuplicateName: { code: 2002, text: '"{0}" is already declared at {1}' },
  DuplicateLabel: { code: 2003, text: 'label "{0}" is already used at {1}' },
  UnknownLabel: { code: 2004, text: 'goto to unknown label "{0}": expected a label of this process or procedure' },
  UnknownProcedure: { code: 2005, text: 'unknown procedure "{0}"' },
  UnknownMacro: { code: 2006, text: 'unknown macro or operation "{0}": expected a macro or one of lock, unlock, get, put, free, alloc, might_sleep, rcu_read_lock, rcu_read_unlock, synchronize_rcu, kfree_rcu, refcount_inc, write_seqcount_begin, write_seqcount_end (or an import of lib/linux.lspec for the kernel library)' },
  AssignToConstant: { code: 2007, text: 'cannot assign to {0} "{1}": expected a variable' },
  SelectSeqTest: { code: 2080, text: '{0} as the test of SelectSeq: expected the name of an operator of one parameter' },
  Arity: { code: 2008, text: '"{0}" takes {1} argument(s), but {2} were given' },
  UnknownDesign: { code: 2009, text: 'unknown design "{0}": expected one of {1}' },
  RecursiveUndefined: { code: 2070, text: 'RECURSIVE declares "{0}", which is not defined here: expected its definition after the declaration' },
  OperatorArgument: { code: 2071, text: 'parameter {0} of "{1}" is an operator of {2} argument(s): expected the name of such an operator or a LAMBDA of {2} parameter(s)' },
  ImportCycle: { code: 2010, text: 'import cycle through "{0}"' },
  NotAModule: { code: 2011, text: 'imported file "{0}" holds an algorithm: expected a module' },
  UnknownConstant: { code: 2012, text: 'no constant "{0}" to override: expected one of {1}' },
  BadConstOption: { code: 2013, text: 'bad --const "{0}": expected NAME=EXPRESSION' },
  UnknownCheck: { code: 2014, text: 'no built-in check or invariant "{0}" to disable: expected one of {1}' },
  AtOutsideExcept: { code: 2015, text: '"@" can only be used on the right of an EXCEPT clause or of an assignment to x[...] or x.f' },
  UnknownInvariant: { code: 2017, text: 'no invariant "{0}" to check: expected one of {1}' },
  UnknownProperty: { code: 2018, text: 'no property "{0}" to check: expected one of {1}' },
  MultipleAssignment: { code: 2019, text: '"{0}" is assigned twice in one simultaneous assignment: expected each variable once, or parts of it (x[1] := a || x[2] := b), as PlusCal requires' },
  UnknownTlaModule: { code: 2030, text: 'no module "{0}": expected a standard module (Naturals, Integers, Sequences, FiniteSets, TLC) or {0}.tla beside this file' },
  CfgUnknownConstant: { code: 2031, text: 'the config gives a value to "{0}", which is not a CONSTANT of the module: expected one of {1}' },
  CfgMissingConstant: { code: 2032, text: 'constant "{0}" has no value in the config {1}: expected "{0} = value" or "{0} <- Definition" under CONSTANTS' },
  CfgUnknownDefinition: { code: 2033, text: 'no definition "{0}" in the module for the config\'s {1}' },
  InstanceUnknownParameter: { code: 2075, text: 'WITH substitutes "{0}", which is not a CONSTANT or VARIABLE of module {1}: expected one of {2}' },
  InstanceSubstitutionMissing: { code: 2076, text: 'substitution missing for "{0}", a CONSTANT or VARIABLE of module {1}: expected "WITH {0} <- e", or a constant, variable or definition "{0}" in this module (as TLC requires)' },
  ModuleCycle: { code: 2034, text: 'module "{0}" extends itself' },
  DesignNamedBase: { code: 2016, text: '"base" names the base model: expected another name for a design that replaces something' },
  PrimeOutsideAction: { code: 2050, text: '{0} can only be used in an action: expected it inside "action Name == ..."' },
  PrimeReadBeforeSet: { code: 2051, text: '"{0}\'" is read before the action gives it a value: expected "{0}\' = e" or "{0}\' \\in S" before it (TLC fails the same way)' },
  PrimeNotVariable: { code: 2052, text: 'cannot prime {0}: an action gives new values to globals only (it reads pc and process variables, as functions of the process id, but cannot write them yet)' },
  ProcessActionLabel: { code: 2060, text: 'no label "{0}" of a process: a process\'s action moves its pc to one of its process\'s labels or "Done"' },
  // structure (LS3xxx)
  LabelInMacro: { code: 3001, text: 'label "{0}" inside a macro: macros are expanded inside a step and cannot hold labels' },
  MissingLabel: { code: 3002, text: '{0} must be labeled: expected "name:" before it' },
  ReturnOutsideProcedure: { code: 3003, text: 'return outside a procedure' },
  NotALock: { code: 3004, text: '{0} of "{1}", which is not a lock: expected a spinlock or sleeplock' },
  NotARefcount: { code: 3005, text: '{0} of "{1}", which is not a refcount' },
  NotAnObject: { code: 3006, text: '{0} of "{1}", which is not an object' },
  NoProcess: { code: 3007, text: 'the algorithm has no process: expected at least one "process", or a body (a uniprocess algorithm)' },
  MacroRecursion: { code: 3008, text: 'macro "{0}" expands itself' },
  DefinitionRecursion: { code: 3150, text: 'definition "{0}" uses itself: expected a RECURSIVE declaration of it before its definition, as TLA+ asks ("RECURSIVE {0}(_)"), or a recursive function "f[x \\in S] == ..."' },
  LambdaOutsideArgument: { code: 3151, text: 'LAMBDA is read only as the argument of an operator parameter (F in "Op(F(_), x) == F(x)")' },
  ConstantOperatorValue: { code: 3153, text: 'constant operator "{0}" takes {1} argument(s): expected "{0} <- Definition" in the config, naming a definition of the module with as many parameters' },
  RecursiveOperatorParameter: { code: 3152, text: 'recursive operator "{0}" takes an operator parameter: not supported yet' },
  CallInMacro: { code: 3009, text: '{0} inside a macro: expected it in a process or procedure' },
  ModuleHasProcess: { code: 3010, text: 'a module cannot declare {0}: expected macros, procedures, definitions and declarations' },
  NotAFunctionTarget: { code: 3011, text: 'cannot assign to "{0}" by index or field: expected a variable' },
  LabelInWith: { code: 3013, text: 'label "{0}" inside a with: its bound names hold within one step, so a with cannot hold labels (as in PlusCal)' },
  ProcedureRunsOff: { code: 3014, severity: 'warning', text: 'procedure "{0}" runs off its end here: lockspec returns, where PlusCal stops with pc = "Error"; expected "return;" to say so' },
  // the kernel library's primitives (RCU, sequence counts)
  SeqcountNotVariable: { code: 3100, text: '{0} of an expression: expected the variable (or element) that holds the sequence count' },
  SynchronizeRcuMidStep: { code: 3101, text: 'synchronize_rcu() must end its step (it waits for a grace period): expected a label, goto, call or return right after it' },
  // interrupt handlers (src/invariants/interrupts.ts)
  PreemptsNotProcesses: { code: 3170, text: 'interrupt handler {0} preempts {1}: expected a set of the ids of ordinary processes (those on the handler\'s CPU)' },
  InterruptEntryTakesLock: { code: 3171, text: 'the first step of interrupt handler {0} takes a lock: the interrupt arrives with that step, so it could not arrive while the lock is held; expected the arrival as a step of its own (a label before the lock)' },
  SymmetricInterruptIds: { code: 3173, text: 'symmetry {0} holds {1}, an interrupt handler or a process it preempts: the interleaving rule names them, so they are not interchangeable' },
  IrqFlagsNotVariable: { code: 3172, text: '{0} of an expression: expected the variable (or element) that holds the saved interrupt state' },
  AssignToWaitQueue: { code: 3130, text: 'cannot assign to "{0}": a wait queue changes only by prepare_to_wait(), finish_wait() and wake_up(), a completion by complete() and wait_for_completion()' },
  NotAWaitQueue: { code: 3131, text: '{0} of "{1}", which is not a wait queue: expected a name declared with waitqueue' },
  RwsemTakenAsLock: { code: 3180, text: '{0}() of rw-semaphore "{1}": take it with down_read() or down_write()' },
  WaitEventMidStep: { code: 3182, text: 'wait_event() must begin its step (its loop comes back to the label before it): expected a label right before it' },
  NotAnRwsem: { code: 3181, text: '{0}() needs an rw-semaphore (declared with rwsem); "{1}" is not one' },
  NotACompletion: { code: 3132, text: '{0} of "{1}", which is not a completion: expected a name declared with completion' },
  AssignToLock: { code: 3050, text: 'cannot assign to the lock "{0}": a lock changes only by lock(), unlock() and trylock(), which check its holder' },
  InvariantNamedLikeCheck: { code: 3082, severity: 'warning', text: '{0} "{1}" has the name of a built-in check: a report naming {1} may mean either; expected another name' },
  LabelRenamed: { code: 3081, severity: 'warning', text: 'label "{0}" of {1} is "{2}" in pc: its name is also another label\'s or a variable\'s, and PlusCal renames it so' },
  UniprocessWithProcesses: { code: 3080, text: 'a uniprocess algorithm has one body and no process: this {0} is one too many (PlusCal: either a body or processes)' },
  NotInUniprocess: { code: 2040, text: '{0} is not defined in a uniprocess algorithm (PlusCal\'s translation has no processes): {1}' },
  TemporalShape: { code: 3020, text: '{0} is not a temporal formula lockspec checks: expected []P, <>P, []<>P, <>[]P, P ~> Q, their conjunction, or \\A over constant sets' },
  TlaNotSupportedYet: { code: 3070, text: '{0} is not supported yet in a .tla spec (docs/tla-input.md lists what is read)' },
  CfgRefused: { code: 3071, text: '{0} in a TLC config is not supported: lockspec reads SPECIFICATION, INIT/NEXT, CONSTANTS, INVARIANTS, PROPERTIES, SYMMETRY and CHECK_DEADLOCK (docs/tla-input.md)' },
  NoAlgorithm: { code: 3072, text: 'no PlusCal algorithm in module "{0}": expected "(* --algorithm Name { ... } *)" in it or in a module it extends' },
  SecondAlgorithm: { code: 3073, text: 'a second PlusCal algorithm: the first is at {0}' },
  StaleTranslation: { code: 3074, severity: 'warning', text: 'the translation does not match the algorithm ({0}): lockspec checks the algorithm; run the PlusCal translator again' },
  CfgShape: { code: 3075, text: '{0}: expected {1}' },
  AssumptionFalse: { code: 3076, text: 'this assumption is {0}: expected TRUE (TLC evaluates ASSUME before the search)' },
  SecondInit: { code: 3091, text: 'a second "init ==" predicate: the first is at {0}' },
  InitReadsUnset: { code: 3093, text: '"{0}" is read here before it has a value: expected "{0} = e" or "{0} \\in S" in its declaration, or earlier in "init ==" (TLC fails the same way)' },
  InitMissesVariable: { code: 3094, text: 'the "init ==" predicate gives no value to "{0}": expected a conjunct "{0} = e" or "{0} \\in S"' },
  ConstraintUnsupported: { code: 3095, text: 'constraint "{0}" cannot be checked with {1}: expected a check without it' },
  ActionLeavesUnset: { code: 3096, text: 'this way through action "{0}" does not say what {1} becomes: expected "{1}\' = e" or "UNCHANGED {1}" (TLC fails the same way)' },
  TlaBehaviourShape: { code: 3140, text: '{0} cannot be read as the spec\'s behaviour: expected {1}' },
  TlaNextOmitsProcess: { code: 3141, text: 'this Next leaves out the translation\'s actions of {0}: expected the translation\'s Next, or each process\'s action and Terminating, among its disjuncts' },
  ProcessActionWrite: { code: 3142, text: 'an action of process "{0}" {1}: expected {2}' },
  ProcessActionWhere: { code: 3143, text: 'action "{0}" moves a process\'s pc, but {1}: expected a conjunct pc[{2}] = "label" or pc[{2}] \\in {"l1", "l2"} among its top-level conjuncts, naming labels of process bodies' },
  ProcessActionUnchecked: { code: 3144, text: '{0} cannot be checked yet: {1}' },
  ActionForm: { code: 3097, text: 'cannot read {0} as part of an action: expected a guard, x\' = e, x\' \\in S, UNCHANGED, \\E, /\\, \\/, IF or CASE' },
  // values (LS4xxx): constants and initial values evaluated before checking
  ConstEval: { code: 4001, text: 'cannot evaluate {0}: {1}' },
  NotFinite: { code: 4002, text: '{0} must be a finite set, got {1}' },
  BadSymmetry: { code: 4003, text: 'symmetry set "{0}" must be a constant set of model values, got {1}' },
  LockHolderNotProcess: { code: 4050, text: 'the initial holder of {0} is {1}: expected the id of a process or nobody' },
  InitReadsChoice: { code: 4004, text: 'this initial value reads "{0}", which has {1} initial values: lockspec evaluates initial values once, so it may read only variables with one initial value' },
  // types (LS7xxx): what the type pass finds certainly wrong before any search
  TypeMismatch: { code: 7001, text: '{0} must be {1}, but it is {2}' },
  AssignTypeConflict: { code: 7002, text: '{0} holds {1} (from {2}), but this assigns {3}: a variable keeps one kind of value' },
  InfiniteSetEnumerated: { code: 7050, text: '{0} is infinite, and here it would be enumerated (TLC cannot either): expected it only where membership in it is tested (the right of \\in, \\notin or \\subseteq)' },
  NeverInDomain: { code: 7003, text: '{0} is never in the domain of {1}, which holds {2}' },
  // command line (LS5xxx)
  Usage: { code: 5001, text: '{0}' },
  NoConfig: { code: 5020, text: 'cannot read the config {0}: {1}: expected a TLC config beside the .tla file (Name.cfg) or --config FILE' },
  ConfigWithoutTla: { code: 5021, text: '--config is for a .tla spec: a .lspec file holds its own constants and checks' },
  FingerprintEngine: { code: 5002, text: '--fingerprint needs the compiled engine: expected --engine compiled' },
  ExplorePortInUse: { code: 5070, text: 'port {0} on 127.0.0.1 is in use: expected a free port (--port 0 picks one)' },
  ExploreListen: { code: 5071, text: 'cannot serve on 127.0.0.1:{0}: {1}' },
  LockOrderUnsupported: { code: 5030, text: 'the lock-order check (LockOrder) needs the state graph with each process as it is, which {0} does not keep: expected a check without it, `disable LockOrder "reason";` in the model, or --no-lock-order' },
  ProgressUnsupported: { code: 5010, text: 'temporal and reachable properties cannot be checked with {0} yet: expected a check without it' },
  TraceOutMissing: { code: 5003, text: '--trace-format {0} needs a file to write: expected --trace-out FILE' },
  ContinueWorkers: { code: 5004, text: '--continue needs the search of one thread: expected no --workers (or --workers 1)' },
  DumpGraphFingerprint: { code: 5040, text: '--dump-graph needs every edge of the state graph, which --fingerprint does not keep: expected a check without --fingerprint' },
  DumpGraphDesigns: { code: 5041, text: '--dump-graph writes the graph of one design: expected --design with one of {0}' },
  PositiveInteger: { code: 5050, text: '{0} must be a positive integer, got {1}' },
  PositiveNumber: { code: 5051, text: '{0} must be a positive number, got {1}' },
  SeedRange: { code: 5052, text: '--seed must be an integer from 0 to 2147483647, got {0}' },
  UnknownCommand: { code: 5053, text: 'unknown command "{0}": {1}' },
  UnknownOption: { code: 5054, text: 'unknown option {0}: {1}' },
  // runtime errors in a model (LS6xxx), found while checking it, as TLC's error classes
  WrongType: { code: 6001, text: '{0} must be {1}, got {2}' },
  NotInDomain: { code: 6002, text: '{0} is not in the domain of {1}' },
  IntegerOutOfRange: { code: 6003, text: 'integer {0} is outside -2^28..2^28-1' },
  DivisionByZero: { code: 6004, text: 'division by zero' },
  NonPositiveDivisor: { code: 6005, text: '{0} % {1}: the divisor must be positive' },
  PowersetTooLarge: { code: 6006, text: 'SUBSET of a set of {0} elements is too large' },
  FunctionSetTooLarge: { code: 6007, text: '[S -> T] has {0}^{1} elements: too many' },
  NotASequence: { code: 6008, text: '{0} must be a sequence, got {1}' },
  EmptySequence: { code: 6009, text: '{0} of the empty sequence' },
  SubSeqOutOfRange: { code: 6010, text: 'SubSeq(s, {0}, {1}) is outside 1..{2}' },
  ChooseNoElement: { code: 6011, text: 'CHOOSE found no element satisfying its condition' },
  NoCaseArm: { code: 6012, text: 'no CASE arm is true and there is no OTHER' },
  SelfOutsideProcess: { code: 6013, text: 'self is used outside a process' },
  NotAProcess: { code: 6014, text: '{0} is not a process' },
  NoSuchProcessVariable: { code: 6015, text: 'process {0} has no variable {1}' },
  DomainChanged: { code: 6016, text: 'assignment changes the domain of {0}' },
  BadReturnPoint: { code: 6017, text: 'the return point {0} is no label' },
  LocalNotInitialised: { code: 6018, text: 'procedure local {0} must be initialised with =' },
  UndefinedPower: { code: 6019, text: '{0}^{1} is undefined: the exponent must be at least 0, and 1 when the base is 0' },
  Incomparable: { code: 6020, text: 'cannot compare {0} with {1}: TLC compares only values of the same kind (a model value with anything)' },
  NotEnumerable: { code: 6050, text: 'cannot enumerate {0}: it is infinite (TLC cannot either); expected it only where membership in it is tested (the right of \\in, \\notin or \\subseteq)' },
  RecursionTooDeep: { code: 6021, text: 'recursive {0} recurses too deeply (no base case, or recursion deeper than the stack)' },
  SetTooLarge: { code: 6022, text: '{0} has more than {1} elements: lockspec builds no larger set or function (quantifiers, with, CHOOSE, Cardinality and \\in go over a range without building it)' },
} as const;

export type DiagnosticKind = keyof typeof Diagnostics;

/** An error stops the model from being checked; a warning is reported beside the result. */
export type Severity = 'error' | 'warning';

export interface Diagnostic {
  kind: DiagnosticKind;
  code: number;
  severity: Severity;
  message: string;
  span: Span | null;
}

export function diag(kind: DiagnosticKind, span: Span | null, ...args: (string | number)[]): Diagnostic {
  const entry: { code: number; text: string; severity?: Severity } = Diagnostics[kind];
  const message = entry.text.replace(/\{(\d+)\}/g, (_, i) => String(args[Number(i)] ?? ''));
  return { kind, code: entry.code, severity: entry.severity ?? 'error', message, span };
}

/** The diagnostic with code `code`, its message already worded (a runtime error found while checking). */
export function codedDiagnostic(code: number, span: Span | null, message: string): Diagnostic {
  const kind = (Object.keys(Diagnostics) as DiagnosticKind[]).find((k) => Diagnostics[k].code === code);
  if (!kind) throw new Error(`no diagnostic has code ${code}`);
  return { kind, code, severity: 'error', message, span };
}

/** A thrown diagnostic, for phases that stop at the first error. */
export class DiagnosticError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map((d) => d.message).join('\n'));
  }
}

export interface LineCol {
  line: number;
  column: number;
  lineText: string;
}

/** 1-based line and column of a character offset, and the text of that line. */
export function lineCol(source: string, offset: number): LineCol {
  const at = Math.max(0, Math.min(offset, source.length));
  const lineStart = source.lastIndexOf('\n', at - 1) + 1;
  let lineEnd = source.indexOf('\n', at);
  if (lineEnd < 0) lineEnd = source.length;
  let line = 1;
  for (let i = 0; i < lineStart; i++) if (source.charCodeAt(i) === 10) line++;
  return { line, column: at - lineStart + 1, lineText: source.slice(lineStart, lineEnd).replace(/\r$/, '') };
}

/** Where a span starts, as `file:line:column`. */
export function spanLocation(span: Span, sources: SourceMap): string {
  const src = sources.get(span.file);
  if (src === undefined) return span.file;
  const { line, column } = lineCol(src, span.start);
  return `${span.file}:${line}:${column}`;
}

export type SourceMap = Map<string, string>;

/**
 * `file:line:col: error LS2001: message`, then the line and a caret under the place
 * (underlining the span when it lies on one line).
 */
export function formatDiagnostic(d: Diagnostic, sources: SourceMap): string {
  const head = `${d.severity} LS${d.code}: ${d.message}`;
  if (!d.span) return head;
  const src = sources.get(d.span.file);
  if (src === undefined) return `${d.span.file}: ${head}`;
  const { line, column, lineText } = lineCol(src, d.span.start);
  const width = Math.max(1, Math.min(d.span.end - d.span.start, lineText.length - column + 1));
  const pad = lineText.slice(0, column - 1).replace(/[^\t]/g, ' ');
  const gutter = String(line).length;
  return [
    `${d.span.file}:${line}:${column}: ${head}`,
    `${' '.repeat(gutter)} |`,
    `${line} | ${lineText}`,
    `${' '.repeat(gutter)} | ${pad}${'^'.repeat(width)}`,
  ].join('\n');
}
