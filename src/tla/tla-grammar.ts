// The grammars of a TLA+ module holding a PlusCal algorithm and of its TLC config, as ohm grammars
// that extend lockspec.ohm: expressions, declarations and C-syntax statements are lockspec's own
// rules (lockspec's language is PlusCal's C syntax), so a .tla file builds the same AST as a
// .lspec file, with spans in the .tla. What these grammars add: the module's units (EXTENDS,
// CONSTANTS, ASSUME, definitions, the algorithm), PlusCal's P-syntax statements, definitions whose
// body is a temporal formula, and the config's statements. They are compiled when a .tla file is
// first read (a few milliseconds), not bundled: the ohm bundler compiles one file at a time.
import type * as ohm from 'ohm-js';
import type * as A from '../parser/ast.js';
import { list, markRecursive, nameUniprocess, opt, span, uniprocessBody, type OpParam, type RecursiveDecl } from '../parser/build-ast.js';
import { grammars as ohmGrammars } from '../parser/ohm.js';
import { lockspecGrammar, lockspecSemantics } from '../parser/parse.js';

const SOURCE = String.raw`
TlaModule <: Lockspec {
  Module = dashes kw<"MODULE"> ident dashes Unit* equals
  dashes (a line of dashes) = "----" "-"*
  equals (the module's end "====") = "====" "="*
  Unit = Extends | ModuleConstants | ModuleVariables | Assume | RecursiveDecl | Local | Instance
       | Algorithm | dashes | TopDef
  // A definition read whole (the next unit or the module's end follows it), else set aside up to
  // the next line that starts at column 0: action-level TLA+ such as "FairSpec == Spec /\\ WF_vars(Next)"
  // is kept from the checks (an error if the config names it), not a reason to refuse the module.
  TopDef = OpDef &(Unit | equals)  -- read
         | ident ("(" ListOf<ident, ","> ")")? "==" unreadBody  -- unread
  unreadBody = (~("\n" ~(" " | "\t" | "\r" | "\n")) any)*
  Extends = kw<"EXTENDS"> NonemptyListOf<ident, ",">
  ModuleConstants = (kw<"CONSTANTS"> | kw<"CONSTANT">) NonemptyListOf<OpParam, ",">
  ModuleVariables = (kw<"VARIABLES"> | kw<"VARIABLE">) NonemptyListOf<ident, ",">
  Assume = (kw<"ASSUME"> | kw<"ASSUMPTION">) Expr
  Local = kw<"LOCAL"> (Instance | TopDef)
  Instance = InstanceName? kw<"INSTANCE"> ident (kw<"WITH"> NonemptyListOf<Substitution, ",">)?
  InstanceName = ident "(" NonemptyListOf<ident, ","> ")" "=="  -- parameterised
               | ident "=="                                    -- plain
  Substitution = ident "<-" Expr

  // A definition of a named instance: N!Op, N!Op(args).
  Primary := ident "!" ident "(" NonemptyListOf<Expr, ","> ")"  -- instanceCall
           | ident "!" ident                                    -- instanceName
           | ...

  // A definition whose body is a temporal formula (a PROPERTY), tried before the others.
  OpDef := ident "==" Temporal  -- temporal
         | ...

  Algorithm = algorithmKw ident "{" Decl* "}"                               -- c
            | algorithmKw ident PDecl* PMain? kw<"end"> kw<"algorithm"> ";"? -- p
  algorithmKw (--algorithm or --fair algorithm) = "--algorithm" ~identPart   -- plain
                                                | "--fair" space+ "algorithm" ~identPart  -- fair
  PMain = kw<"begin"> PStmt*

  // PlusCal's P-syntax: the same declarations and statements, closed by "end ..." words.
  PDecl = VariablesDecl | PDefine | PMacro | PProcedure | PProcess
  PDefine = kw<"define"> DefineItem* kw<"end"> kw<"define"> ";"?
  PMacro = kw<"macro"> ident "(" ListOf<ident, ","> ")" kw<"begin"> PStmt* kw<"end"> kw<"macro"> ";"?
  PProcedure = kw<"procedure"> ident "(" ListOf<ident, ","> ")" Locals? kw<"begin"> PStmt* kw<"end"> kw<"procedure"> ";"?
  PProcess = Fair? kw<"process"> ProcessHead Locals? kw<"begin"> PStmt* kw<"end"> kw<"process"> ";"?
  PStmt = Label? PBody ";"?
  PBody = PIf | PWhile | PEither | PWith | Simple
  PIf = kw<"if"> Expr kw<"then"> PStmt* PElse? kw<"end"> kw<"if">
  PElse = kw<"elsif"> Expr kw<"then"> PStmt* PElse?  -- elsif
        | kw<"else"> PStmt*                          -- else
  PWhile = kw<"while"> Expr kw<"do"> PStmt* kw<"end"> kw<"while">
  PEither = kw<"either"> PStmt* POr* kw<"end"> kw<"either">
  POr = kw<"or"> PStmt*
  PWith = kw<"with"> NonemptyListOf<WithBind, varSep> kw<"do"> PStmt* kw<"end"> kw<"with">

  reserved += ("begin" | "end" | "then" | "elsif" | "do") ~identPart
}

TlaConfig <: Lockspec {
  Config = CfgItem*
  CfgItem = kw<"SPECIFICATION"> cfgName                                   -- specification
          | kw<"INIT"> cfgName                                            -- init
          | kw<"NEXT"> cfgName                                            -- next
          | (kw<"INVARIANTS"> | kw<"INVARIANT">) cfgName*                 -- invariants
          | (kw<"PROPERTIES"> | kw<"PROPERTY">) cfgName*                  -- properties
          | (kw<"CONSTRAINTS"> | kw<"CONSTRAINT">) cfgName*               -- constraints
          | (kw<"CONSTANTS"> | kw<"CONSTANT">) CfgConstant*               -- constants
          | kw<"SYMMETRY"> cfgName                                        -- symmetry
          | kw<"CHECK_DEADLOCK"> (kw<"TRUE"> | kw<"FALSE">)               -- deadlock
          | refusedKeyword cfgName*                                       -- refused
  refusedKeyword (a config keyword) = kw<"ACTION_CONSTRAINTS">
                 | kw<"ACTION_CONSTRAINT"> | kw<"VIEW"> | kw<"ALIAS"> | kw<"POSTCONDITION">
  CfgConstant = cfgName "<-" "[" cfgName "]" cfgName  -- moduleSubstitution
              | cfgName "<-" cfgName                  -- substitution
              | cfgName "=" Expr                      -- value
  cfgName (a name) = ~cfgKeyword ident
  cfgKeyword = ("SPECIFICATION" | "INIT" | "NEXT" | "INVARIANTS" | "INVARIANT" | "PROPERTIES" | "PROPERTY"
             | "CONSTANTS" | "CONSTANT" | "SYMMETRY" | "CHECK_DEADLOCK" | "CONSTRAINTS" | "CONSTRAINT"
             | "ACTION_CONSTRAINTS" | "ACTION_CONSTRAINT" | "VIEW" | "ALIAS" | "POSTCONDITION") ~identPart
}
`;

/** A definition whose body is a temporal formula: usable only as a PROPERTY. */
export interface TemporalDef {
  temporal: true;
  name: A.Ident;
  formula: A.TemporalFormula;
  span: A.Span;
}

/** A definition of the module or of the algorithm's define block. */
export type ModuleDef = A.OperatorDef | TemporalDef;

/** A PlusCal algorithm as written: its declarations (a define block's defs may be TemporalDefs). */
export interface AlgorithmUnit {
  kind: 'algorithm';
  fair: boolean;
  name: A.Ident;
  decls: A.Decl[];
  span: A.Span;
}

/** `[LOCAL] [N ==] INSTANCE M [WITH p <- e, ...]`. */
export interface InstanceUnit {
  kind: 'instance';
  /** N, or null for an instance whose definitions join the module under their own names. */
  name: A.Ident | null;
  /** Set when the instance has parameters, `N(x) == INSTANCE M`: not read yet. */
  parameterised: A.Span | null;
  module: A.Ident;
  substitutions: { name: A.Ident; value: A.Expr; span: A.Span }[];
  span: A.Span;
}

/** One unit of a module, in order. */
export type ModuleUnit =
  | { kind: 'extends'; names: A.Ident[]; span: A.Span }
  /** `CONSTANTS`: plain constants, and constant operators (`F(_)`) with how many arguments each takes. */
  | { kind: 'constants'; names: A.Ident[]; operators: OpParam[]; span: A.Span }
  /** `RECURSIVE F(_)`: the definitions it names may call themselves. */
  | RecursiveDecl
  | { kind: 'assume'; body: A.Expr; span: A.Span }
  /** VARIABLES: read as the parameters of an instantiated module, refused elsewhere. */
  | { kind: 'variables'; names: A.Ident[]; span: A.Span }
  | InstanceUnit
  | { kind: 'def'; def: ModuleDef; span: A.Span }
  | { kind: 'unsupported'; what: string; span: A.Span }
  /** A definition lockspec does not read (action-level TLA+, or text it cannot parse). */
  | { kind: 'unread'; name: A.Ident; span: A.Span }
  | AlgorithmUnit;

export interface TlaModuleAst {
  name: A.Ident;
  units: ModuleUnit[];
  span: A.Span;
}

/** A constant's assignment in a config: a value, or a definition of the module put in its place. */
export type CfgConstant =
  | { kind: 'value'; name: A.Ident; value: A.Expr; span: A.Span }
  | { kind: 'substitution'; name: A.Ident; by: A.Ident; span: A.Span }
  | { kind: 'unsupported'; what: string; span: A.Span };

export type CfgItem =
  | { kind: 'specification' | 'init' | 'next' | 'symmetry'; name: A.Ident; span: A.Span }
  | { kind: 'invariants' | 'properties' | 'constraints'; names: A.Ident[]; span: A.Span }
  | { kind: 'constants'; items: CfgConstant[]; span: A.Span }
  | { kind: 'deadlock'; check: boolean; span: A.Span }
  | { kind: 'refused'; keyword: string; span: A.Span };

type Node = ohm.Node;

const stmts = (node: Node): A.Stmt[] => node.ast();
const ifStmt = (self: Node, cond: Node, then: Node, rest: Node): A.IfStmt => ({
  kind: 'if', label: null, cond: cond.ast(), then: stmts(then), else: opt<A.Stmt[]>(rest), span: span(self),
});
/** The name a named instance's definition has in the module: `N!Op`. */
const instanceMember = (instance: Node, name: Node): string => `${instance.sourceString}!${name.sourceString}`;
/** The `ast` of a config name list. */
const names = (node: Node): A.Ident[] => node.ast();

/** The two grammars and their `ast` semantics. */
export interface TlaGrammars {
  module: ohm.Grammar;
  moduleSemantics: ohm.Semantics;
  config: ohm.Grammar;
  configSemantics: ohm.Semantics;
}

let compiled: TlaGrammars | null = null;

/** The grammars, compiled on first use: commands on .lspec files never pay for them. */
export function tlaGrammars(): TlaGrammars {
  if (compiled === null) compiled = compile();
  return compiled;
}

function compile(): TlaGrammars {
const grammars = ohmGrammars(SOURCE, { Lockspec: lockspecGrammar() } as unknown as ohm.Namespace);
const tlaModuleGrammar = grammars.TlaModule;
const tlaConfigGrammar = grammars.TlaConfig;


const tlaModuleSemantics = tlaModuleGrammar.extendSemantics(lockspecSemantics() as unknown as ohm.Semantics);
tlaModuleSemantics.extendOperation('ast', {
  Module(_open, _kw, name, _dashes, units, _close): TlaModuleAst {
    return { name: name.ast(), units: (units.ast() as (ModuleUnit | null)[]).filter((u) => u !== null), span: span(this) };
  },
  dashes(_first, _rest) {
    return null;
  },
  Extends(_kw, names): ModuleUnit {
    return { kind: 'extends', names: list(names), span: span(this) };
  },
  ModuleConstants(_kw, names): ModuleUnit {
    const items = list<OpParam>(names);
    return { kind: 'constants', names: items.filter((c) => c.arity === 0).map((c) => c.name), operators: items.filter((c) => c.arity > 0), span: span(this) };
  },
  ModuleVariables(_kw, names): ModuleUnit {
    return { kind: 'variables', names: list(names), span: span(this) };
  },
  Assume(_kw, body): ModuleUnit {
    return { kind: 'assume', body: body.ast(), span: span(this) };
  },
  Local(_kw, unit) {
    return unit.ast();
  },
  Instance(head, _kw, module, _with, subs): InstanceUnit {
    const named = opt<{ name: A.Ident; parameterised: A.Span | null }>(head);
    const substitutions = subs.numChildren > 0 ? list<InstanceUnit['substitutions'][number]>(subs.child(0)) : [];
    return { kind: 'instance', name: named?.name ?? null, parameterised: named?.parameterised ?? null, module: module.ast(), substitutions, span: span(this) };
  },
  InstanceName_parameterised(name, _open, _params, _close, _eq) {
    return { name: name.ast(), parameterised: span(this) };
  },
  InstanceName_plain(name, _eq) {
    return { name: name.ast(), parameterised: null };
  },
  Substitution(name, _arrow, value) {
    return { name: name.ast(), value: value.ast(), span: span(this) };
  },
  Primary_instanceCall(instance, _bang, name, _open, args, _close): A.OpCallExpr {
    return { kind: 'opcall', name: { name: instanceMember(instance, name), span: span(this) }, args: list(args), span: span(this) };
  },
  Primary_instanceName(instance, _bang, name): A.NameExpr {
    return { kind: 'name', name: instanceMember(instance, name), span: span(this) };
  },
  TopDef_read(def, _next): ModuleUnit {
    return { kind: 'def', def: def.ast(), span: span(def) };
  },
  TopDef_unread(name, _open, _params, _close, _eq, _body): ModuleUnit {
    return { kind: 'unread', name: name.ast(), span: span(this) };
  },
  OpDef_temporal(name, _eq, formula): TemporalDef {
    return { temporal: true, name: name.ast(), formula: formula.ast(), span: span(this) };
  },
  Algorithm_c(kw, name, _open, decls, _close): AlgorithmUnit {
    const algorithm: A.Ident = name.ast();
    return { kind: 'algorithm', fair: kw.child(0).ctorName === 'algorithmKw_fair', name: algorithm, decls: nameUniprocess(decls.ast(), algorithm), span: span(this) };
  },
  Algorithm_p(kw, name, decls, main, _end, _algorithm, _semi): AlgorithmUnit {
    const algorithm: A.Ident = name.ast();
    const body: A.Decl[] = main.numChildren > 0 ? [main.child(0).ast()] : [];
    return { kind: 'algorithm', fair: kw.child(0).ctorName === 'algorithmKw_fair', name: algorithm, decls: nameUniprocess([...decls.ast(), ...body], algorithm), span: span(this) };
  },
  PMain(_begin, body): A.ProcessDecl {
    return uniprocessBody(this, stmts(body));
  },
  PDefine(_kw, items, _end, _define, _semi): A.DefineDecl {
    return { kind: 'define', defs: markRecursive(items.ast()), span: span(this) };
  },
  PMacro(_kw, name, _open, params, _close, _begin, body, _end, _macro, _semi): A.MacroDecl {
    return { kind: 'macro', name: name.ast(), params: list(params), body: stmts(body), span: span(this) };
  },
  PProcedure(_kw, name, _open, params, _close, locals, _begin, body, _end, _procedure, _semi): A.ProcedureDecl {
    return { kind: 'procedure', name: name.ast(), params: list(params), locals: opt(locals) ?? [], body: stmts(body), span: span(this) };
  },
  PProcess(fair, _kw, head, locals, _begin, body, _end, _process, _semi): A.ProcessDecl {
    const { name, setKind, id } = head.ast();
    const fairness = fair.numChildren === 0 ? 'none' : fair.sourceString.endsWith('+') ? 'strong' : 'weak';
    return { kind: 'process', fairness, name, setKind, id, locals: opt(locals) ?? [], body: stmts(body), span: span(this) };
  },
  PStmt(label, body, _semi): A.Stmt {
    return { ...body.ast(), label: opt(label) };
  },
  PIf(_if, cond, _then, then, rest, _end, _kw): A.IfStmt {
    return ifStmt(this, cond, then, rest);
  },
  PElse_elsif(_kw, cond, _then, then, rest): A.Stmt[] {
    return [ifStmt(this, cond, then, rest)];
  },
  PElse_else(_kw, body): A.Stmt[] {
    return stmts(body);
  },
  PWhile(_kw, cond, _do, body, _end, _while): A.WhileStmt {
    return { kind: 'while', label: null, cond: cond.ast(), body: stmts(body), span: span(this) };
  },
  PEither(_kw, first, rest, _end, _either): A.EitherStmt {
    return { kind: 'either', label: null, branches: [stmts(first), ...(rest.ast() as A.Stmt[][])], span: span(this) };
  },
  POr(_kw, body): A.Stmt[] {
    return stmts(body);
  },
  PWith(_kw, bindings, _do, body, _end, _with): A.WithStmt {
    return { kind: 'with', label: null, bindings: list(bindings), body: stmts(body), span: span(this) };
  },
});


const tlaConfigSemantics = tlaConfigGrammar.extendSemantics(lockspecSemantics() as unknown as ohm.Semantics);
tlaConfigSemantics.extendOperation('ast', {
  Config(items): CfgItem[] {
    return items.ast();
  },
  CfgItem_specification(_kw, name): CfgItem {
    return { kind: 'specification', name: name.ast(), span: span(this) };
  },
  CfgItem_init(_kw, name): CfgItem {
    return { kind: 'init', name: name.ast(), span: span(this) };
  },
  CfgItem_next(_kw, name): CfgItem {
    return { kind: 'next', name: name.ast(), span: span(this) };
  },
  CfgItem_invariants(_kw, items): CfgItem {
    return { kind: 'invariants', names: names(items), span: span(this) };
  },
  CfgItem_properties(_kw, items): CfgItem {
    return { kind: 'properties', names: names(items), span: span(this) };
  },
  CfgItem_constraints(_kw, items): CfgItem {
    return { kind: 'constraints', names: names(items), span: span(this) };
  },
  CfgItem_constants(_kw, items): CfgItem {
    return { kind: 'constants', items: items.ast(), span: span(this) };
  },
  CfgItem_symmetry(_kw, name): CfgItem {
    return { kind: 'symmetry', name: name.ast(), span: span(this) };
  },
  CfgItem_deadlock(_kw, value): CfgItem {
    return { kind: 'deadlock', check: value.sourceString === 'TRUE', span: span(this) };
  },
  CfgItem_refused(keyword, _names): CfgItem {
    return { kind: 'refused', keyword: keyword.sourceString, span: span(keyword) };
  },
  CfgConstant_moduleSubstitution(_name, _arrow, _open, _module, _close, _by): CfgConstant {
    return { kind: 'unsupported', what: 'a substitution in another module ("<- [M]")', span: span(this) };
  },
  CfgConstant_substitution(name, _arrow, by): CfgConstant {
    return { kind: 'substitution', name: name.ast(), by: by.ast(), span: span(this) };
  },
  CfgConstant_value(name, _eq, value): CfgConstant {
    return { kind: 'value', name: name.ast(), value: value.ast(), span: span(this) };
  },
  cfgName(name) {
    return name.ast();
  },
});
return { module: tlaModuleGrammar, moduleSemantics: tlaModuleSemantics, config: tlaConfigGrammar, configSemantics: tlaConfigSemantics };
}
