/* specs/mutex.vigil (Peterson's protocol, both processes in one monitor) in
 * Promela, written like the Vigil spec: the program counters are variables,
 * one loop whose d_step options are the actions with their arguments, so a
 * Spin state is exactly a valuation of flag, pc and turn. Spin stores the
 * same 20 states and 35 transitions as vigil check; mutual exclusion is
 * asserted where a process enters (the invariant of the Vigil spec). With
 * `turn = 0` for `turn = 1` (and vice versa) Spin finds the violation as
 * vigil check does for the same bug. */
mtype = { idle, trying, waiting, critical };
bool flag[2];
mtype pc[2] = idle;
byte turn;

active proctype peterson() {
  do
  :: d_step { pc[0] == idle -> flag[0] = true; pc[0] = trying }
  :: d_step { pc[1] == idle -> flag[1] = true; pc[1] = trying }
  :: d_step { pc[0] == trying -> turn = 1; pc[0] = waiting }
  :: d_step { pc[1] == trying -> turn = 0; pc[1] = waiting }
  :: d_step { pc[0] == waiting && (flag[1] == false || turn == 0) -> pc[0] = critical; assert(pc[1] != critical) }
  :: d_step { pc[1] == waiting && (flag[0] == false || turn == 1) -> pc[1] = critical; assert(pc[0] != critical) }
  :: d_step { pc[0] == critical -> flag[0] = false; pc[0] = idle }
  :: d_step { pc[1] == critical -> flag[1] = false; pc[1] = idle }
  od
}
