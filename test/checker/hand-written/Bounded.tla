---- MODULE Bounded ----
EXTENDS Naturals
(* --algorithm Bounded {
  variables x \in 0..2, y = 0;
  process (P \in {1, 2}) {
    a: while (TRUE) {
      either { x := x + 1 } or { y := (y + 1) % 3 }
    }
  }
} *)
\* BEGIN TRANSLATION
\* END TRANSLATION
Small == x < 2
Inv == x < 4
====
