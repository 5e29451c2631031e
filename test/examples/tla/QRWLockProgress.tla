--------------------------- MODULE QRWLockProgress --------------------------
(* The PlusCal twin of examples/qrwlock-progress.lspec, line for line, for TLC: the kernel's      *)
(* queued read-write lock after the kernel's TLA+ specs (kernel-tla, qrwlock.tla), with LockAny  *)
(* as the kernel spec writes it (\E over ~>).                                                    *)
EXTENDS Naturals, Sequences, FiniteSets, TLC

CONSTANTS READERS, WRITERS, INTERRUPTS, TRYLOCK

(* --algorithm QRWLockProgress {
variables
  lock = [cnts |-> [readers |-> 0, wwaiting |-> FALSE, wlocked |-> FALSE],
          wait_lock |-> FALSE];
  ret_read_tl = [r \in READERS |-> FALSE];
  ret_write_tl = [w \in WRITERS |-> FALSE];

define {
  ZERO(c) == c.readers = 0 /\ ~c.wwaiting /\ ~c.wlocked
  WLOCKED(c) == c.wlocked
  WMASK(c) == c.wwaiting \/ c.wlocked
  InCS(p) == pc[p] \in {"rcs", "wcs"}
  TypeInv == lock \in [cnts : [readers : 0..Cardinality(READERS), wwaiting : BOOLEAN, wlocked : BOOLEAN],
                       wait_lock : BOOLEAN]
  RWExcl == \A r \in READERS, w \in WRITERS : ~(pc[r] = "rcs" /\ pc[w] = "wcs")
  WWExcl == \A w1, w2 \in WRITERS : w1 # w2 => ~(pc[w1] = "wcs" /\ pc[w2] = "wcs")
  LockAny == \E p \in READERS \cup WRITERS : ~InCS(p) ~> InCS(p)
  LockAll == \A p \in READERS \cup WRITERS : ~InCS(p) ~> InCS(p)
}

macro spin_lock(l) {
  await ~l;
  l := TRUE;
}

macro spin_unlock(l) {
  l := FALSE;
}

procedure queued_read_trylock()
{
rtl1: if (~WMASK(lock.cnts)) {
rtl2:   lock.cnts.readers := lock.cnts.readers + 1;
        if (~WMASK(lock.cnts)) {
          ret_read_tl[self] := TRUE;
          return;
        };
rtl4:   lock.cnts.readers := lock.cnts.readers - 1;
      };
rtl5: ret_read_tl[self] := FALSE;
      return;
}

procedure queued_read_lock()
{
rl1:  lock.cnts.readers := lock.cnts.readers + 1;
      if (~WMASK(lock.cnts)) return;
      \* slow path
rl2:  either {
        \* in interrupt
        await INTERRUPTS;
        await ~WLOCKED(lock.cnts);
        return;
      } or {
        skip;
      };
rl3:  lock.cnts.readers := lock.cnts.readers - 1;
      \* strongly fair: spin_lock() is expected to make progress
rl4:+ spin_lock(lock.wait_lock);
rl5:  lock.cnts.readers := lock.cnts.readers + 1;
rl6:  await ~WLOCKED(lock.cnts);
rl7:  spin_unlock(lock.wait_lock);
      return;
}

procedure queued_read_unlock()
{
ru1:  lock.cnts.readers := lock.cnts.readers - 1;
      return;
}

procedure queued_write_trylock()
{
wtl1: if (~ZERO(lock.cnts)) {
        ret_write_tl[self] := FALSE;
      } else {
        lock.cnts.wlocked := TRUE;
        ret_write_tl[self] := TRUE;
      };
      return;
}

procedure queued_write_lock()
{
wl1:  if (ZERO(lock.cnts)) {
        lock.cnts.wlocked := TRUE;
        return;
      };
      \* slow path; strongly fair: spin_lock() is expected to make progress
wl2:+ spin_lock(lock.wait_lock);
wl3:  if (ZERO(lock.cnts)) {
        lock.cnts.wlocked := TRUE;
        goto wunlock_;
      };
wl4:  lock.cnts.wwaiting := TRUE;
wl5:  await lock.cnts.readers = 0 /\ lock.cnts.wlocked = FALSE;
      lock.cnts.wwaiting := FALSE || lock.cnts.wlocked := TRUE;
wunlock_:
      spin_unlock(lock.wait_lock);
      return;
}

procedure queued_write_unlock()
{
wu1:  lock.cnts.wlocked := FALSE;
      return;
}

fair process (reader \in READERS)
{
rlock:   while (TRUE) {
           either {
             call queued_read_lock();
           } or {
             await TRYLOCK;
rtl:         call queued_read_trylock();
rtlret:      if (~ret_read_tl[self]) goto rtl;
           };
rcs:       skip;
runlock:   call queued_read_unlock();
         }
}

fair process (writer \in WRITERS)
{
wlock:   while (TRUE) {
           either {
             call queued_write_lock();
           } or {
             await TRYLOCK;
wtl:         call queued_write_trylock();
wtlret:      if (~ret_write_tl[self]) goto wtl;
           };
wcs:       skip;
wunlock:   call queued_write_unlock();
         }
}
} *)
=============================================================================
