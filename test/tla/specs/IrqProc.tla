---- MODULE IrqProc ----
\* A process that calls a procedure, preempted at a label of its own body: the interrupt keeps its
\* call stack (UNCHANGED stack).
EXTENDS Naturals, Sequences
CONSTANTS CPUS
(* --algorithm IrqProc {
variables hits = 0;
procedure work() { w1: hits := hits + 1; w2: return; }
process (Cpu \in CPUS) {
a: call work();
b: skip;
irq: goto b;
}
} *)
\* BEGIN TRANSLATION
\* END TRANSLATION
Interrupt(self) == /\ pc[self] = "b"
                   /\ hits < 4
                   /\ hits' = hits + 1
                   /\ pc' = [pc EXCEPT ![self] = "irq"]
                   /\ UNCHANGED stack
IrqNext == Next \/ \E self \in CPUS : Interrupt(self)
IrqSpec == Init /\ [][IrqNext]_vars
====
