---- MODULE InstSpec ----
\* Two processes add to their own account up to a ceiling, through the definitions of InstLedger
\* (a named instance with WITH), InstBounds (an unnamed instance) and InstTotal (a refinement
\* mapping after the translation, used in the invariants).
EXTENDS Naturals, TLC
CONSTANTS Cap, Step
Procs == {1, 2}
L == INSTANCE InstLedger WITH Limit <- Cap, Owners <- Procs
LOCAL INSTANCE InstBounds

(* --algorithm InstSpec
variables acct = [p \in Procs |-> 0];
define
  LedgerOk == L!Safe(acct)
end define;
process w \in Procs
begin
  add: while ~Full(acct[self]) do
    await L!CanAdd(acct, self, Step) \/ L!Headroom(acct) <= Step;
    if L!CanAdd(acct, self, Step) then
      acct[self] := acct[self] + Step;
    else
      acct[self] := Cap;
    end if;
  end while;
end process;
end algorithm *)
\* BEGIN TRANSLATION
\* END TRANSLATION

T == INSTANCE InstTotal WITH Max <- 2 * Cap, total <- acct[1] + acct[2]
TotalOk == T!TypeOK /\ LedgerOk
TotalSmall == T!Below(Cap + 1)
====
