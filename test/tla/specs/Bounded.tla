---- MODULE Bounded ----
\* A counter with no bound of its own, made finite by the config's CONSTRAINT, as TLC users do.
EXTENDS Naturals
CONSTANTS N, LIMIT
(* --algorithm Bounded {
variables x = 0, last = 0;
process (P \in 1..N) {
inc: while (TRUE) {
       x := x + 1;
pub:   last := self;
     }
}
} *)
\* BEGIN TRANSLATION
\* END TRANSLATION
Small == x <= LIMIT
TypeOK == x \in Nat /\ last \in 0..N
====
