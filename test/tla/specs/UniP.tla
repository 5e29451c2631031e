---- MODULE UniP ----
(* A uniprocess algorithm in P syntax: the body after the declarations, no process; a procedure *)
(* with a local, a while loop, either. TLC's figures are in test/tla/read-spec.test.ts.         *)
EXTENDS Naturals, Sequences, TLC
CONSTANTS N
(* --algorithm UniP
variables x = 0, trail = <<>>;
procedure note(v)
variables seen = 0;
begin
n1: seen := v;
n2: trail := Append(trail, seen);
    return;
end procedure;
begin
a: while x < N do
     either
       x := x + 1;
     or
       x := x + 2;
     end either;
b:   call note(x);
   end while;
c: assert x >= N;
end algorithm; *)
\* BEGIN TRANSLATION
\* END TRANSLATION
Short == Len(trail) <= N
====
