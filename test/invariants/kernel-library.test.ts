// The kernel library's built-ins (RCU, refcount_inc, write_seqcount_begin/end) and the one form of a
// value-returning macro, `x := m(args)`: each check trips on a model that breaks it and stays quiet
// on one that does not; a grace period waits exactly for the readers inside when it starts.
import { check, verdictOf } from './builtin.js';
import { fileURLToPath } from 'node:url';
import { errorsOf } from '../helpers.js';

const model = (body: string, decls = ''): string => `algorithm T {\n  values NONE, A;\n  variables head = A;\n  object obj[o \\in {A}] = [v |-> 1];\n  ${decls}\n${body}\n}\n`;

describe('RCU', () => {
  // The reader reads the object only if it is still published in head; the updater unpublishes it first.
  const reader = '  process R = "r" variables p = NONE, x = 0; { r1: rcu_read_lock(); p := head; r2: if (p # NONE) x := obj[p].v; r3: rcu_read_unlock(); }';
  test('synchronize_rcu() waits for a reader inside when it starts: freeing after it is safe, freeing without it is a use-after-free', () => {
    expect(verdictOf(check(model(`${reader}\n  process U = "u" { u1: head := NONE; synchronize_rcu(); u2: free(obj[A]); }`)))).toBe('ok');
    expect(verdictOf(check(model(`${reader}\n  process U = "u" { u1: head := NONE; u2: free(obj[A]); }`)))).toBe('NoUseAfterFree at r2');
  });
  test('synchronize_rcu() does not wait for a reader that enters after it starts', () => {
    // The grace period has ended (u2 ran) while the reader is inside: it entered after u1.
    expect(verdictOf(check(model(`${reader}\n  process U = "u" { u1: synchronize_rcu(); u2: skip; u3: skip; }\n  reachable LateReaderInside == pc["u"] = "u3" /\\ pc["r"] = "r2";`)))).toBe('ok');
  });
  test('kfree_rcu() frees once the readers inside have left, and not before', () => {
    expect(verdictOf(check(model(`${reader}\n  process U = "u" { u1: head := NONE; kfree_rcu(obj[A]); }`)))).toBe('ok');
    expect(verdictOf(check(model(`${reader}\n  process U = "u" { u1: head := NONE; free(obj[A]); }`)))).toBe('NoUseAfterFree at r2');
    // Freed by the reader's unlock (or at once without a reader): a second free is a double free.
    expect(verdictOf(check(model(`${reader}\n  process U = "u" { u1: head := NONE; kfree_rcu(obj[A]); u2: await pc["r"] = "Done"; free(obj[A]); }`)))).toBe('DoubleFree at u2');
    expect(verdictOf(check(model(`${reader}\n  process U = "u" { u1: head := NONE; kfree_rcu(obj[A]); u2: kfree_rcu(obj[A]); }`)))).toBe('DoubleFree at u2');
  });
  test('sleeping, or waiting for a grace period, inside a read-side section', () => {
    expect(verdictOf(check(model('  process P = 1 { a: rcu_read_lock(); b: might_sleep(); c: rcu_read_unlock(); }')))).toBe('RcuReaderSleeps at b');
    expect(verdictOf(check(model('  process P = 1 { a: rcu_read_lock(); b: lock(m); c: unlock(m); rcu_read_unlock(); }', 'sleeplock m;')))).toBe('RcuReaderSleeps at b');
    expect(verdictOf(check(model('  process P = 1 { a: rcu_read_lock(); b: lock(s); c: unlock(s); rcu_read_unlock(); }', 'spinlock s;')))).toBe('ok');
    expect(verdictOf(check(model('  process P = 1 { a: rcu_read_lock(); b: synchronize_rcu(); c: rcu_read_unlock(); }')))).toBe('RcuSyncInReader at b');
    expect(verdictOf(check(model('  process P = 1 { a: rcu_read_lock(); rcu_read_unlock(); b: synchronize_rcu(); c: might_sleep(); }')))).toBe('ok');
  });
  test('unbalanced read-side sections: an unlock outside one, a process that ends inside one (nesting counts)', () => {
    expect(verdictOf(check(model('  process P = 1 { a: rcu_read_unlock(); }')))).toBe('RcuUnbalanced at a');
    expect(verdictOf(check(model('  process P = 1 { a: rcu_read_lock(); rcu_read_lock(); rcu_read_unlock(); }')))).toBe('RcuUnbalanced at a');
    expect(verdictOf(check(model('  process P = 1 { a: rcu_read_lock(); rcu_read_lock(); b: rcu_read_unlock(); rcu_read_unlock(); }')))).toBe('ok');
  });
  test('synchronize_rcu() must end its step', () => {
    expect(errorsOf(model('  variables y = 0;\n  process P = 1 { a: synchronize_rcu(); y := 1; }'))).toEqual([expect.stringMatching(/:7:22: error LS3101: synchronize_rcu\(\) must end its step/)]);
    expect(verdictOf(check(model('  variables y = 0;\n  process P = 1 { a: if (y = 0) synchronize_rcu(); b: y := 1; }')))).toBe('ok');
  });
});

describe('refcount_t and sequence counts', () => {
  test('refcount_inc() on zero', () => {
    expect(verdictOf(check(model('  refcount c = 0;\n  process P = 1 { a: refcount_inc(c); b: put(c); }'.replace('  refcount c = 0;\n', ''), 'refcount c = 0;')))).toBe('RefcountIncOnZero at a');
    expect(verdictOf(check(model('  process P = 1 { a: refcount_inc(c); b: put(c); put(c); }', 'refcount c = 1;')))).toBe('ok');
  });
  test('refcount_inc() on zero saturates the count: it stays saturated, a put of it underflows, and it leaks', () => {
    const decls = 'refcount c = 0;\n  disable RefcountIncOnZero "saturation tested";';
    expect(verdictOf(check(model('  process P = 1 { a: refcount_inc(c); b: refcount_inc(c); assert c = -1; c := 0; }', decls)))).toBe('ok');
    expect(verdictOf(check(model('  process P = 1 { a: refcount_inc(c); b: put(c); }', decls)))).toBe('RefcountNonNegative at b');
    expect(verdictOf(check(model('  process P = 1 { a: refcount_inc(c); }', decls)))).toBe('NoLeak');
  });
  test('a writer section without its lock, nested, or ended outside one', () => {
    const decls = 'spinlock l; variables s = 0;';
    expect(verdictOf(check(model('  process P = 1 { a: write_seqcount_begin(s, l); b: write_seqcount_end(s); }', decls)))).toBe('SeqcountWriterUnlocked at a');
    expect(verdictOf(check(model('  process P = 1 { a: lock(l); write_seqcount_begin(s, l); write_seqcount_begin(s, l); }', decls)))).toBe('SeqcountNestedWriter at a');
    expect(verdictOf(check(model('  process P = 1 { a: write_seqcount_end(s); }', decls)))).toBe('SeqcountNestedWriter at a');
    expect(verdictOf(check(model('  process P = 1 { a: lock(l); write_seqcount_begin(s, l); b: write_seqcount_end(s); unlock(l); }', decls)))).toBe('ok');
    expect(errorsOf(model('  process P = 1 { a: lock(l); write_seqcount_begin(s + 1, l); }', decls))).toEqual([expect.stringMatching(/error LS3100: write_seqcount_begin of an expression/)]);
  });
});

describe('x := m(args)', () => {
  const decls = 'variables v = 5, r = 0, t = [k |-> 0];\n  macro cmpxchg(x, old, new, ret) { ret := x; if (x = old) x := new; }\n  define { Twice(a) == 2 * a }';
  test('expands macro m with the target as its last argument; an operator call stays an expression', () => {
    expect(verdictOf(check(model('  process P = 1 { a: r := cmpxchg(v, 5, 7); t.k := cmpxchg(v, 5, 9); b: assert r = 5 /\\ t.k = 7 /\\ v = 7; r := Twice(r); assert r = 10; }', decls)))).toBe('ok');
  });
  test('the macro must take the result as one more parameter', () => {
    expect(errorsOf(model('  process P = 1 { a: r := cmpxchg(v, 5, 7, r); }', decls))).toEqual([expect.stringMatching(/error LS2008: "cmpxchg" takes 4 argument\(s\), but 5 were given/)]);
  });
});

describe('the library modules name nothing of their importer', () => {
  test('a model with names of its own imports the buffer-head layer of spec/bh-migration', () => {
    const layer = fileURLToPath(new URL('../../spec/bh-migration/kernel.lspec', import.meta.url));
    const text = `algorithm Other {
  import "${layer}";
  values X, Y;
  variables cache = [c \\in 1..2 |-> {}], slot0 = X, ghost = {}, where = [b \\in 1..2 |-> X];
  refcount refs[p \\in {X, Y}] = 1 of pg;
  object pg[p \\in {X, Y}] = [v |-> 0];
  refcount counts[b \\in 1..2] = 0;
  process (U \\in 1..2) variables p = X, pinned = FALSE, hit = FALSE; {
    a: p := find_get_page(slot0, refs, pinned);
       hit := lookup_bh_lru(cache[self], counts, self);
       bh_lru_install(cache[self], counts, self);
    b: put_page(refs[p]);
       invalidate_bh_lrus(cache, counts);
  }
}
`;
    expect(verdictOf(check(text))).toBe('ok');
  });
});
