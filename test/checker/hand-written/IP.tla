---- MODULE IP ----
EXTENDS Naturals
(* --algorithm IP {
  variables x = 0, y = FALSE, z = 0;
  process (P \in {1, 2}) {
    a: if (x < 3) { x := x + 1 } else { y := ~y };
    b: z := z + x;
  }
} *)
\* BEGIN TRANSLATION
\* END TRANSLATION
Inv == x \in 0..3 /\ y \in BOOLEAN /\ z \in 0..x /\ x < 3 /\ pc = [p \in ProcSet |-> "a"]
ISpec == Inv /\ [][Next]_vars
====
