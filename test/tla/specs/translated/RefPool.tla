------------------------------ MODULE RefPool ------------------------------
(* Reference-counted objects from a free pool.  An owner publishes an     *)
(* object in a slot; users look it up and take references; the last put  *)
(* frees it.  ATOMIC_PUT = FALSE splits the put into read-then-write,     *)
(* which loses decrements and frees an object that is still in use.       *)
(* Written as a reference for lockspec ports: records, sets, with,        *)
(* macros and end-of-run checks.                                          *)
EXTENDS Naturals, FiniteSets

CONSTANTS USERS, OBJS, ATOMIC_PUT

(* --algorithm RefPool {
variables
  obj = [o \in OBJS |-> [refs |-> 0, live |-> FALSE]],
  free = OBJS,
  slot = "none",
  uaf = FALSE;

define {
  NoUseAfterFree == ~uaf
  RefsSane == \A o \in OBJS : obj[o].refs >= 0 /\ (obj[o].live \/ obj[o].refs = 0)
  FreeMeansDead == \A o \in free : ~obj[o].live
}

macro put(o) {
  if (obj[o].refs = 1) {
    obj[o] := [refs |-> 0, live |-> FALSE];
    free := free \cup {o};
  } else {
    obj[o].refs := obj[o].refs - 1;
  }
}

process (owner = "owner")
{
alloc:  with (o \in free) {
          free := free \ {o};
          obj[o] := [refs |-> 1, live |-> TRUE];
          slot := o;
        };
unpub:  with (o = slot) {
          slot := "none";
          put(o);
        };
}

process (user \in USERS)
  variables mine = "none", seen = 0;
{
look:   if (slot # "none") {
          mine := slot;
          obj[slot].refs := obj[slot].refs + 1;
        } else {
          goto look_done;
        };
use:    if (~obj[mine].live) uaf := TRUE;
drop:   if (ATOMIC_PUT) {
          put(mine);
        } else {
          seen := obj[mine].refs;
dec:      if (seen = 1) {
            obj[mine] := [refs |-> 0, live |-> FALSE];
            free := free \cup {mine};
          } else {
            obj[mine].refs := seen - 1;
          };
        };
look_done: skip;
}
} *)
\* BEGIN TRANSLATION
VARIABLES pc, obj, free, slot, uaf

(* define statement *)
NoUseAfterFree == ~uaf
RefsSane == \A o \in OBJS : obj[o].refs >= 0 /\ (obj[o].live \/ obj[o].refs = 0)
FreeMeansDead == \A o \in free : ~obj[o].live

VARIABLES mine, seen

vars == << pc, obj, free, slot, uaf, mine, seen >>

ProcSet == {"owner"} \cup (USERS)

Init == (* Global variables *)
        /\ obj = [o \in OBJS |-> [refs |-> 0, live |-> FALSE]]
        /\ free = OBJS
        /\ slot = "none"
        /\ uaf = FALSE
        (* Process user *)
        /\ mine = [self \in USERS |-> "none"]
        /\ seen = [self \in USERS |-> 0]
        /\ pc = [self \in ProcSet |-> CASE self = "owner" -> "alloc"
                                        [] self \in USERS -> "look"]

alloc == /\ pc["owner"] = "alloc"
         /\ \E o \in free:
              /\ free' = free \ {o}
              /\ obj' = [obj EXCEPT ![o] = [refs |-> 1, live |-> TRUE]]
              /\ slot' = o
         /\ pc' = [pc EXCEPT !["owner"] = "unpub"]
         /\ UNCHANGED << uaf, mine, seen >>

unpub == /\ pc["owner"] = "unpub"
         /\ LET o == slot IN
              /\ slot' = "none"
              /\ IF obj[o].refs = 1
                    THEN /\ obj' = [obj EXCEPT ![o] = [refs |-> 0, live |-> FALSE]]
                         /\ free' = (free \cup {o})
                    ELSE /\ obj' = [obj EXCEPT ![o].refs = obj[o].refs - 1]
                         /\ free' = free
         /\ pc' = [pc EXCEPT !["owner"] = "Done"]
         /\ UNCHANGED << uaf, mine, seen >>

owner == alloc \/ unpub

look(self) == /\ pc[self] = "look"
              /\ IF slot # "none"
                    THEN /\ mine' = [mine EXCEPT ![self] = slot]
                         /\ obj' = [obj EXCEPT ![slot].refs = obj[slot].refs + 1]
                         /\ pc' = [pc EXCEPT ![self] = "use"]
                    ELSE /\ pc' = [pc EXCEPT ![self] = "look_done"]
                         /\ UNCHANGED << obj, mine >>
              /\ UNCHANGED << free, slot, uaf, seen >>

use(self) == /\ pc[self] = "use"
             /\ IF ~obj[mine[self]].live
                   THEN /\ uaf' = TRUE
                   ELSE /\ TRUE
                        /\ uaf' = uaf
             /\ pc' = [pc EXCEPT ![self] = "drop"]
             /\ UNCHANGED << obj, free, slot, mine, seen >>

drop(self) == /\ pc[self] = "drop"
              /\ IF ATOMIC_PUT
                    THEN /\ IF obj[mine[self]].refs = 1
                               THEN /\ obj' = [obj EXCEPT ![mine[self]] = [refs |-> 0, live |-> FALSE]]
                                    /\ free' = (free \cup {mine[self]})
                               ELSE /\ obj' = [obj EXCEPT ![mine[self]].refs = obj[mine[self]].refs - 1]
                                    /\ free' = free
                         /\ pc' = [pc EXCEPT ![self] = "look_done"]
                         /\ seen' = seen
                    ELSE /\ seen' = [seen EXCEPT ![self] = obj[mine[self]].refs]
                         /\ pc' = [pc EXCEPT ![self] = "dec"]
                         /\ UNCHANGED << obj, free >>
              /\ UNCHANGED << slot, uaf, mine >>

dec(self) == /\ pc[self] = "dec"
             /\ IF seen[self] = 1
                   THEN /\ obj' = [obj EXCEPT ![mine[self]] = [refs |-> 0, live |-> FALSE]]
                        /\ free' = (free \cup {mine[self]})
                   ELSE /\ obj' = [obj EXCEPT ![mine[self]].refs = seen[self] - 1]
                        /\ free' = free
             /\ pc' = [pc EXCEPT ![self] = "look_done"]
             /\ UNCHANGED << slot, uaf, mine, seen >>

look_done(self) == /\ pc[self] = "look_done"
                   /\ TRUE
                   /\ pc' = [pc EXCEPT ![self] = "Done"]
                   /\ UNCHANGED << obj, free, slot, uaf, mine, seen >>

user(self) == look(self) \/ use(self) \/ drop(self) \/ dec(self)
                 \/ look_done(self)

(* Allow infinite stuttering to prevent deadlock on termination. *)
Terminating == /\ \A self \in ProcSet: pc[self] = "Done"
               /\ UNCHANGED vars

Next == owner
           \/ (\E self \in USERS: user(self))
           \/ Terminating

Spec == Init /\ [][Next]_vars

Termination == <>(\A self \in ProcSet: pc[self] = "Done")

\* END TRANSLATION
=============================================================================
