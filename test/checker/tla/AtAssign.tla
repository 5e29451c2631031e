---- MODULE AtAssign ----
EXTENDS Integers, Sequences, TLC
(* --algorithm AtAssign
variables msgs = [i \in 1..2 |-> {}], r = [count |-> 0, seen |-> {}];
process P \in 1..2 begin
  a: with m \in {"x", "y"} do msgs[3 - self] := @ \cup {m}; r.seen := @ \cup {m} || r.count := @ + 1; end with;
  b: await msgs[self] # {}; msgs[self] := @ \ {CHOOSE m \in msgs[self] : TRUE};
end process;
end algorithm; *)
====
