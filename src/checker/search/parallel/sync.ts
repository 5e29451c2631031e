// A lock word in shared memory for the parallel search's rare critical sections (adding a value to
// a dictionary, codes.ts and packing.ts): 0 free, 1 held, 2 held with waiters, which sleep with
// Atomics.wait rather than spin.

export function lock(words: Int32Array, at: number): void {
  let c = Atomics.compareExchange(words, at, 0, 1);
  if (c === 0) return;
  do {
    if (c === 2 || Atomics.compareExchange(words, at, 1, 2) !== 0) Atomics.wait(words, at, 2);
    c = Atomics.compareExchange(words, at, 0, 2);
  } while (c !== 0);
}

export function unlock(words: Int32Array, at: number): void {
  if (Atomics.sub(words, at, 1) !== 1) {
    Atomics.store(words, at, 0);
    Atomics.notify(words, at, 1);
  }
}
