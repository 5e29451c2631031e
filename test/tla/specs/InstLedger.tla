---- MODULE InstLedger ----
\* Accounts over a set of owners with a ceiling: definitions over the constants Limit and Owners,
\* instantiated by InstSpec with its own constants put in their place.
EXTENDS Naturals
CONSTANTS Limit, Owners

InRange(x) == x \in 0..Limit
Safe(b) == \A o \in Owners : InRange(b[o])
CanAdd(b, o, k) == b[o] + k <= Limit
Sum(b) == LET pair == <<b[1], b[2]>> IN pair[1] + pair[2]
Headroom(b) == Limit * 2 - Sum(b)
====
