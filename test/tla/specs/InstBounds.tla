---- MODULE InstBounds ----
\* A definitions module instantiated without a name: Cap is the instantiating module's Cap.
EXTENDS Naturals
CONSTANT Cap
Full(x) == x >= Cap
====
