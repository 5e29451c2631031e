----------------------------- MODULE TicketLock -----------------------------
(* A ticket spinlock with procedures for lock and unlock, and a trylock   *)
(* that may fail.  Ticket numbers wrap at MAXT.  Written as a reference  *)
(* for lockspec ports: it exercises call/return, procedure locals and     *)
(* the call stack, which are part of the state.                           *)
EXTENDS Naturals, Sequences

CONSTANTS PROCS, MAXT

(* --algorithm TicketLock {
variables owner = 0, next = 0, got = [p \in PROCS |-> FALSE];

define {
  Inc(v) == IF v = MAXT THEN 0 ELSE v + 1
  Mutex == \A p, q \in PROCS : p # q => ~(pc[p] = "cs" /\ pc[q] = "cs")
}

procedure lock_()
  variable mine = 0;
{
take:  mine := next;
       next := Inc(next);
spin:  await owner = mine;
       return;
}

procedure trylock_()
{
try:   if (owner = next) {
         next := Inc(next);
         got[self] := TRUE;
       } else {
         got[self] := FALSE;
       };
       return;
}

procedure unlock_()
{
rel:   owner := Inc(owner);
       return;
}

process (proc \in PROCS)
{
start: while (TRUE) {
         either {
           call lock_();
         } or {
retry:     call trylock_();
check:     if (~got[self]) goto retry;
         };
cs:      skip;
leave:   call unlock_();
       }
}
} *)
\* BEGIN TRANSLATION
VARIABLES pc, owner, next, got, stack

(* define statement *)
Inc(v) == IF v = MAXT THEN 0 ELSE v + 1
Mutex == \A p, q \in PROCS : p # q => ~(pc[p] = "cs" /\ pc[q] = "cs")

VARIABLE mine

vars == << pc, owner, next, got, stack, mine >>

ProcSet == (PROCS)

Init == (* Global variables *)
        /\ owner = 0
        /\ next = 0
        /\ got = [p \in PROCS |-> FALSE]
        (* Procedure lock_ *)
        /\ mine = [ self \in ProcSet |-> 0]
        /\ stack = [self \in ProcSet |-> << >>]
        /\ pc = [self \in ProcSet |-> "start"]

take(self) == /\ pc[self] = "take"
              /\ mine' = [mine EXCEPT ![self] = next]
              /\ next' = Inc(next)
              /\ pc' = [pc EXCEPT ![self] = "spin"]
              /\ UNCHANGED << owner, got, stack >>

spin(self) == /\ pc[self] = "spin"
              /\ owner = mine[self]
              /\ pc' = [pc EXCEPT ![self] = Head(stack[self]).pc]
              /\ mine' = [mine EXCEPT ![self] = Head(stack[self]).mine]
              /\ stack' = [stack EXCEPT ![self] = Tail(stack[self])]
              /\ UNCHANGED << owner, next, got >>

lock_(self) == take(self) \/ spin(self)

try(self) == /\ pc[self] = "try"
             /\ IF owner = next
                   THEN /\ next' = Inc(next)
                        /\ got' = [got EXCEPT ![self] = TRUE]
                   ELSE /\ got' = [got EXCEPT ![self] = FALSE]
                        /\ next' = next
             /\ pc' = [pc EXCEPT ![self] = Head(stack[self]).pc]
             /\ stack' = [stack EXCEPT ![self] = Tail(stack[self])]
             /\ UNCHANGED << owner, mine >>

trylock_(self) == try(self)

rel(self) == /\ pc[self] = "rel"
             /\ owner' = Inc(owner)
             /\ pc' = [pc EXCEPT ![self] = Head(stack[self]).pc]
             /\ stack' = [stack EXCEPT ![self] = Tail(stack[self])]
             /\ UNCHANGED << next, got, mine >>

unlock_(self) == rel(self)

start(self) == /\ pc[self] = "start"
               /\ \/ /\ stack' = [stack EXCEPT ![self] = << [ procedure |->  "lock_",
                                                              pc        |->  "cs",
                                                              mine      |->  mine[self] ] >>
                                                          \o stack[self]]
                     /\ mine' = [mine EXCEPT ![self] = 0]
                     /\ pc' = [pc EXCEPT ![self] = "take"]
                  \/ /\ pc' = [pc EXCEPT ![self] = "retry"]
                     /\ UNCHANGED <<stack, mine>>
               /\ UNCHANGED << owner, next, got >>

cs(self) == /\ pc[self] = "cs"
            /\ TRUE
            /\ pc' = [pc EXCEPT ![self] = "leave"]
            /\ UNCHANGED << owner, next, got, stack, mine >>

leave(self) == /\ pc[self] = "leave"
               /\ stack' = [stack EXCEPT ![self] = << [ procedure |->  "unlock_",
                                                        pc        |->  "start" ] >>
                                                    \o stack[self]]
               /\ pc' = [pc EXCEPT ![self] = "rel"]
               /\ UNCHANGED << owner, next, got, mine >>

retry(self) == /\ pc[self] = "retry"
               /\ stack' = [stack EXCEPT ![self] = << [ procedure |->  "trylock_",
                                                        pc        |->  "check" ] >>
                                                    \o stack[self]]
               /\ pc' = [pc EXCEPT ![self] = "try"]
               /\ UNCHANGED << owner, next, got, mine >>

check(self) == /\ pc[self] = "check"
               /\ IF ~got[self]
                     THEN /\ pc' = [pc EXCEPT ![self] = "retry"]
                     ELSE /\ pc' = [pc EXCEPT ![self] = "cs"]
               /\ UNCHANGED << owner, next, got, stack, mine >>

proc(self) == start(self) \/ cs(self) \/ leave(self) \/ retry(self)
                 \/ check(self)

Next == (\E self \in ProcSet:  \/ lock_(self) \/ trylock_(self)
                               \/ unlock_(self))
           \/ (\E self \in PROCS: proc(self))

Spec == Init /\ [][Next]_vars

\* END TRANSLATION
=============================================================================
