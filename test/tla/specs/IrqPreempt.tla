---- MODULE IrqPreempt ----
\* A per-CPU interrupt preempts a CPU's process at certain labels, as kernel specs add one to the
\* PlusCal translation: Interrupt(self) sets the CPU's flag, saves where the process was and moves
\* its pc to the handler; Nmi(self) may also hit inside the critical section (when NmiOn); Ack, a
\* global action, gives back an interrupt credit.
EXTENDS Naturals
CONSTANTS CPUS, MaxIrq, NmiOn
(* --algorithm IrqPreempt {
variables owner = 0, credits = MaxIrq, inIrq = [c \in CPUS |-> FALSE];
process (Cpu \in CPUS)
variables rounds = 0, saved = "lock"; {
lock:   await owner = 0;
        owner := self;
crit:   rounds := rounds + 1;
unlock: owner := 0;
check:  if (rounds < 2) goto lock; else goto fin;
irq:    inIrq[self] := FALSE;
        if (saved = "lock") goto lock; else goto check;
fin:    skip;
}
} *)
\* BEGIN TRANSLATION
\* END TRANSLATION

Interrupt(self) == /\ pc[self] \in {"lock", "check"}
                   /\ credits > 0
                   /\ ~inIrq[self]
                   /\ inIrq' = [inIrq EXCEPT ![self] = TRUE]
                   /\ credits' = credits - 1
                   /\ saved' = [saved EXCEPT ![self] = pc[self]]
                   /\ pc' = [pc EXCEPT ![self] = "irq"]
                   /\ UNCHANGED <<owner, rounds>>

Nmi(self) == /\ NmiOn
             /\ pc[self] = "crit"
             /\ credits > 0
             /\ inIrq' = [inIrq EXCEPT ![self] = TRUE]
             /\ credits' = credits - 1
             /\ pc' = [pc EXCEPT ![self] = "irq"]
             /\ UNCHANGED <<owner, rounds, saved>>

Ack == /\ credits < MaxIrq
       /\ \A c \in CPUS : ~inIrq[c]
       /\ credits' = credits + 1
       /\ UNCHANGED <<owner, inIrq, pc, rounds, saved>>

IrqNext == \/ Next
           \/ \E self \in CPUS : Interrupt(self) \/ Nmi(self)
           \/ Ack

IrqSpec == Init /\ [][IrqNext]_vars

Mutex == \A c, d \in CPUS : (pc[c] = "crit" /\ pc[d] = "crit") => c = d
NoIrqHolding == \A c \in CPUS : pc[c] = "irq" => owner # c
====
