---- MODULE MCMsgQueue ----
(* The model module of MsgQueue, as the Toolbox writes one: model values for the senders, a    *)
(* definition substituted for the constant, an ASSUME over the constants, and the symmetry set. *)
EXTENDS MsgQueue, TLC
CONSTANTS a, b, c
MCSenders == {a, b, c}
ASSUME Rounds \in Nat /\ Rounds > 0
SendersSym == Permutations(MCSenders)
====
