---- MODULE Uninit ----
EXTENDS Integers, Sequences, TLC
(* --algorithm Uninit
variables temp; x = 0;
procedure swap(n) variable t; begin s1: t := temp; s2: temp := n; x := x + 1; return; end procedure;
process P \in 1..2 variable loc; begin a: loc := temp; call swap(self); b: temp := loc; end process;
end algorithm; *)
====
