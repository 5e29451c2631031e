---- MODULE Irq ----
EXTENDS Naturals
(* --algorithm Irq {
  variables count = 0, irq = FALSE, log = 0;
  process (P \in {1, 2}) {
    a: while (count < 3) {
      await ~irq;
      count := count + 1;
    }
  }
} *)
\* BEGIN TRANSLATION
\* END TRANSLATION
Raise(c) == ~irq /\ irq' = TRUE /\ log' = (log + c) % 4
Interrupt == /\ \E c \in {1, 2} : pc[c] = "a" /\ Raise(c)
             /\ UNCHANGED <<count, pc>>
Ack == /\ irq
       /\ IF log = 3 THEN log' = 0 ELSE log' \in {log, (log + 1) % 4}
       /\ irq' = FALSE
       /\ UNCHANGED <<count, pc>>
INext == Next \/ Interrupt \/ Ack
ISpec == Init /\ [][INext]_vars
Inv == count <= 3
====
