---- MODULE TlcOps ----
EXTENDS Integers, Sequences, FiniteSets, TLC
(* --algorithm TlcOps
variables box = [type |-> "none", val |-> 0], f = (1 :> "a") @@ (2 :> "b");
define Typed == box.type \in {"none", "tok"} /\ DOMAIN f = {1, 2, 3} \cap DOMAIN f /\ (1 :> 5 @@ 1 :> 6)[1] = 5 /\ IsFiniteSet(DOMAIN f)
end define;
process P \in 1..2 begin
  a: with v \in {"x", "y"} do box := [type |-> "tok", val |-> self]; f := f @@ (self + 1 :> v); end with;
  b: box.type := "none"; f := (self :> "z") @@ f;
end process;
end algorithm; *)
====
