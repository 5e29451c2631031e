------------------------- MODULE TASProgress_weak -------------------------
(* The PlusCal twin of examples/tas-progress.lspec --design weak, line for line, for TLC. *)
EXTENDS Naturals, TLC

CONSTANTS PROCS

(* --algorithm TASProgress_weak {
variables locked = FALSE;

define {
  ExclInv == \A p1, p2 \in PROCS : p1 # p2 => ~(pc[p1] = "cs" /\ pc[p2] = "cs")
  LockAny == \E p \in PROCS : pc[p] # "cs" ~> pc[p] = "cs"
  LockAll == \A p \in PROCS : pc[p] # "cs" ~> pc[p] = "cs"
}

macro spin_lock(l) {
  await ~l;
  l := TRUE;
}

macro spin_unlock(l) {
  l := FALSE;
}

fair process (proc \in PROCS)
{
lock_:  while (TRUE) {
          spin_lock(locked);
cs:       skip;
unlock:   spin_unlock(locked);
        }
}
} *)
=============================================================================
