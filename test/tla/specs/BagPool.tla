---- MODULE BagPool ----
(* A pool of items as a bag, in P syntax: producers add items (several copies of one item may   *)
(* be in the pool), a consumer takes any item present; the Bags module's operators in the      *)
(* algorithm and in its invariants. TLC's figures are in test/tla/read-spec.test.ts.           *)
EXTENDS Naturals, Bags, TLC
CONSTANTS Items, Cap
Two == SetToBag({"x"}) (+) SetToBag({"x"})
ASSUME /\ IsABag(EmptyBag) /\ ~IsABag([i \in Items |-> 0]) /\ SetToBag({}) = EmptyBag
       /\ CopiesIn("x", Two) = 2 /\ BagCardinality(Two (-) SetToBag(Items)) = 1
       /\ Two (-) Two = EmptyBag /\ BagToSet(Two (+) SetToBag({"y"})) = {"x", "y"}
(* --algorithm BagPool
variables pool = EmptyBag, taken = EmptyBag, made = 0;
define
  TypeOK == IsABag(pool) /\ IsABag(taken) /\ BagToSet(pool) \subseteq Items
  Conserved == BagCardinality(pool (+) taken) = made
  UnionOfTwo == BagUnion({pool, taken}) = IF pool = taken THEN pool ELSE pool (+) taken
  Counted == \A i \in Items : BagIn(i, pool) <=> CopiesIn(i, pool) > 0
  Bounded == BagCardinality(pool) <= Cap
  AtMostOne == BagCardinality(pool) <= 1
end define;
process producer \in {"p1", "p2"}
variables n = 0;
begin
p1: while n < 2 do
      with i \in Items do
        await BagCardinality(pool) < Cap;
        pool := pool (+) SetToBag({i});
        made := made + 1;
      end with;
      n := n + 1;
    end while;
end process;
process consumer = "c"
begin
c1: while BagCardinality(taken) < 4 do
      with i \in BagToSet(pool) do
        pool := pool (-) SetToBag({i});
        taken := taken (+) SetToBag({i});
      end with;
    end while;
end process;
end algorithm; *)
\* BEGIN TRANSLATION
\* END TRANSLATION
====
