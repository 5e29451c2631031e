------------------------------- MODULE Ledger -------------------------------
(***************************************************************************)
(* Tellers move money between accounts and charge a fee of one from an     *)
(* account that has any.  A move takes what is there, at most the amount   *)
(* asked: the saturating difference a \ominus b.  The money in the system  *)
(* is a recursive sum over the accounts; the fee is charged while more     *)
(* than one account holds money, counted with a predicate passed as a      *)
(* LAMBDA.                                                                  *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets

CONSTANTS Accounts, Start, Rounds, MaxFees

\* a minus b, but never below zero
a \ominus b == IF a > b THEN a - b ELSE 0

RECURSIVE SumOver(_, _)
SumOver(f, S) == IF S = {} THEN 0
                 ELSE LET a == CHOOSE a \in S : TRUE
                      IN  f[a] + SumOver(f, S \ {a})

\* How many entries of f satisfy P.
Count(P(_), f) == Cardinality({k \in DOMAIN f : P(f[k])})

(* --algorithm Ledger
variables balance = [a \in Accounts |-> Start], fees = 0;

define
  Money == SumOver(balance, Accounts)
  Conserved == Money + fees = Start * Cardinality(Accounts)
  NoOverdraft == Count(LAMBDA v : v < 0, balance) = 0
  FeesBounded == fees \ominus MaxFees = 0
end define;

process teller \in 1..2
variables done = 0;
begin
  Move:
    while done < Rounds do
      with from \in Accounts, to \in Accounts \ {from}, d \in 1..2 do
        balance := [balance EXCEPT ![from] = @ \ominus d,
                                   ![to]   = @ + (balance[from] - (balance[from] \ominus d))];
      end with;
      done := done + 1;
  Fee:
      if Count(LAMBDA v : v > 0, balance) > 1 /\ Money > fees /\ fees < MaxFees then
        with a \in {x \in Accounts : balance[x] > 0} do
          balance[a] := balance[a] \ominus 1;
          fees := fees + 1;
        end with;
      end if;
    end while;
end process;
end algorithm; *)
\* BEGIN TRANSLATION
\* END TRANSLATION
=============================================================================
