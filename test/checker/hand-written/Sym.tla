---- MODULE Sym ----
EXTENDS Naturals, TLC
CONSTANTS a, b
(* --algorithm Sym {
  variables cnt = [p \in {a, b} |-> 0], total = 0;
  process (P \in {a, b}) {
    s: while (TRUE) {
      cnt[self] := cnt[self] + 1;
      total := total + 1;
    }
  }
} *)
\* BEGIN TRANSLATION
\* END TRANSLATION
Small == \A p \in {a, b} : cnt[p] < 3
Inv == total < 10
Perms == Permutations({a, b})
====
