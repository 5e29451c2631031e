--------------------------- MODULE TicketProgress ---------------------------
(* The PlusCal twin of examples/ticketlock-progress.lspec, line for line, for TLC: the arm64     *)
(* ticket spinlock of the kernel's TLA+ specs (kernel-tla, ticketlock.tla) with its progress     *)
(* properties as the kernel spec writes them (LockAny with \E over ~>).                         *)
(* Run: /work/shared/tools/tlc TicketProgress.tla TicketProgress_trylock.cfg                     *)
EXTENDS Naturals, Sequences, TLC

CONSTANTS PROCS, MAXVAL, TRYLOCK

(* --algorithm TicketProgress {
variables
  lock = [owner |-> 0, next |-> 0];
  ret_trylock = [p \in PROCS |-> FALSE];

define {
  WrapInc(val) == IF val = MAXVAL THEN 0 ELSE val + 1
  TypeInv == lock \in [owner : 0..MAXVAL, next : 0..MAXVAL]
  ExclInv == \A p1, p2 \in PROCS : p1 # p2 => ~(pc[p1] = "cs" /\ pc[p2] = "cs")
  LockAny == \E p \in PROCS : pc[p] # "cs" ~> pc[p] = "cs"
  LockAll == \A p \in PROCS : pc[p] # "cs" ~> pc[p] = "cs"
}

procedure spin_lock()
  variable ticket;
{
l1:  ticket := lock.next;
     lock.next := WrapInc(lock.next);
l2:  await lock.owner = ticket;
     return;
}

procedure spin_unlock()
{
u1:  lock.owner := WrapInc(lock.owner);
u2:  return;
}

procedure spin_trylock()
{
tl1: if (lock.owner # lock.next) {
       ret_trylock[self] := FALSE;
     } else {
       lock.next := WrapInc(lock.next);
       ret_trylock[self] := TRUE;
     };
tl2: return;
}

fair process (proc \in PROCS)
{
lock_: while (TRUE) {
         either {
           call spin_lock();
         } or {
           await TRYLOCK;
tl:        call spin_trylock();
tlret:     if (~ret_trylock[self]) goto tl;
         };
cs:      skip;
unlock:  call spin_unlock();
       }
}
} *)
=============================================================================
