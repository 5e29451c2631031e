// Immutable.js, the values of the reference evaluator and of constants, loaded with require: the
// package has no ES module entry for node (its `main` is a UMD file), and node's ESM import of
// that file costs about 60 ms of CPU at every start (the worker's included) against about 15 ms
// for require. Every source file takes Immutable.js from here (test/architecture/layout.test.ts).
import { createRequire } from 'node:module';
import type * as Immutable from 'immutable';

const immutable = createRequire(import.meta.url)('immutable') as typeof Immutable;

export const { List, Map, Record, Set, hash, is } = immutable;
// The types under the same names. A type that contains itself (values.ts's Value) names
// Immutable's own interfaces, which TypeScript resolves lazily, rather than these aliases.
export type List<T> = Immutable.List<T>;
export type Map<K, V> = Immutable.Map<K, V>;
export type Set<T> = Immutable.Set<T>;
export type RecordOf<T extends object> = Immutable.RecordOf<T>;
