---- MODULE UniUnfair ----
EXTENDS Integers, Sequences, TLC
(* --algorithm UniUnfair
variables x = 0, y = 0;
define Bound == 5
AtB == pc = "b" => x > 0
end define;
procedure inc(n) variables t = 0; begin i1: t := n; i2: x := x + t; return; end procedure;
begin
a: while x < Bound do
  either call inc(1) or call inc(2) end either;
  b: y := y + 1;
end while;
end algorithm; *)
====
