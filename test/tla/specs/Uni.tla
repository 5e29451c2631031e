---- MODULE Uni ----
EXTENDS Naturals
CONSTANTS N
(* --algorithm Uni {
variables x = 0, y;
{ a: while (x < N) { x := x + 1; b: y := x; };
  c: x := 0;
}
} *)
\* BEGIN TRANSLATION
\* END TRANSLATION
Low == x <= N
====
