// Entries of the on-disk caches (parsed files, parse-cache.ts; the worker's compiled code,
// src/cli/code-cache.ts): each file holds a SHA-256 digest of its body, then the body, so that a
// damaged or half-written entry reads as a miss; it is written aside and renamed, so a reader sees
// a whole entry or none; a read marks it used, and past a cache's limit the least recently used
// go. Nothing here throws: a cache that cannot be read or written misses. Only node's modules are
// imported (the worker's start loads this before the checker).
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';

/** The bytes of the digest heading each entry. */
const DIGEST_BYTES = 32;

/** The body of the entry at `path`, marked used; null when there is none or its digest does not match. */
export function readEntry(path: string): Buffer | null {
  try {
    const bytes = readFileSync(path);
    const body = bytes.subarray(DIGEST_BYTES);
    if (!createHash('sha256').update(body).digest().equals(bytes.subarray(0, DIGEST_BYTES))) return null;
    // Its use is what the least recently used are told apart by.
    const now = new Date();
    utimesSync(path, now, now);
    return body;
  } catch {
    return null;
  }
}

/** Writes `body` as entry `name` of `dir`; past `limit` entries (names ending in `suffix`), removes the least recently used down to three quarters of it. */
export function writeEntry(dir: string, name: string, body: Uint8Array, suffix: string, limit: number): void {
  try {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, name);
    const aside = `${path}.${process.pid}.${threadId}.tmp`;
    writeFileSync(aside, Buffer.concat([createHash('sha256').update(body).digest(), body]));
    renameSync(aside, path);
    prune(dir, suffix, limit);
  } catch {
    // A cache that cannot be written is a cache that misses.
  }
}

function prune(dir: string, suffix: string, limit: number): void {
  const entries = readdirSync(dir).filter((n) => n.endsWith(suffix));
  if (entries.length <= limit) return;
  const used = entries.map((n) => {
    try {
      return { path: join(dir, n), at: statSync(join(dir, n)).mtimeMs };
    } catch {
      return { path: join(dir, n), at: 0 };
    }
  });
  used.sort((a, b) => a.at - b.at);
  for (const { path } of used.slice(0, entries.length - Math.floor((limit * 3) / 4))) {
    try {
      unlinkSync(path);
    } catch {
      // Removed by another run meanwhile.
    }
  }
}
