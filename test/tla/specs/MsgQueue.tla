---- MODULE MsgQueue ----
(* A message queue of string-tagged records, in P syntax: senders append requests and no-ops,  *)
(* a server takes the head, or drops the no-ops with SelectSeq, and records whom it served.     *)
(* Sequences (Append, Head, Tail, SubSeq, Len, \o, SelectSeq), Seq(S) in the type invariant,   *)
(* strings in sets, records and sequences. TLC's figures are in test/tla/read-spec.test.ts.   *)
EXTENDS Naturals, Sequences, FiniteSets, TLC
CONSTANTS Senders, Rounds
Kinds == {"req", "nop"}
Msg == [kind : Kinds, from : Senders, n : 0..Rounds]
IsReq(m) == m.kind = "req"
(* --algorithm MsgQueue
variables queue = <<>>, served = <<>>, seen = {}, handled = 0;
define
  TypeOK == /\ queue \in Seq(Msg)
            /\ served \in Seq(Senders)
            /\ seen \subseteq Kinds
  Pending == Len(SelectSeq(queue, IsReq))
  NoLostRequest == Pending + Len(served) <= Cardinality(Senders) * Rounds
  OnlyRequests == SelectSeq(queue, IsReq) = queue
  FirstServed == Len(served) > 0 => SubSeq(served, 1, 1) \in Seq(Senders)
end define;
process sender \in Senders
variables k = 0;
begin
s1: while k < Rounds do
      either
        queue := Append(queue, [kind |-> "req", from |-> self, n |-> k]);
      or
        queue := queue \o <<[kind |-> "nop", from |-> self, n |-> k]>>;
      end either;
      k := k + 1;
    end while;
end process;
process server = "server"
variables m = [kind |-> "none", from |-> "none", n |-> 0];
begin
r1: while handled < Cardinality(Senders) * Rounds do
      await queue /= <<>>;
      either
        m := Head(queue);
        queue := Tail(queue);
        seen := seen \cup {m.kind};
        handled := handled + 1;
        if m.kind = "req" then
          served := Append(served, m.from);
        end if;
      or
        await SelectSeq(queue, IsReq) # queue;
        handled := handled + Len(queue) - Len(SelectSeq(queue, IsReq));
        queue := SelectSeq(queue, IsReq);
        seen := seen \cup {"nop"};
      end either;
    end while;
end process;
end algorithm; *)
\* BEGIN TRANSLATION
\* END TRANSLATION
====
