---- MODULE SameLabels ----
EXTENDS Naturals
(* --algorithm SameLabels
variables x = 0;
process P = 1 begin a: x := 1; b: x := 1; end process;
process Q = 2 begin a: x := 2; b: x := 1; end process;
process R = 3 begin a: x := 2; end process;
process S = 4 begin b: x := 2; a_: skip; end process;
end algorithm; *)
====
