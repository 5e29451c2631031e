---- MODULE InstTotal ----
\* An abstract view of InstSpec: one variable, total, which InstSpec maps to the sum of its accounts.
EXTENDS Naturals
CONSTANT Max
VARIABLE total
TypeOK == total \in 0..Max
Below(k) == total < k
====
