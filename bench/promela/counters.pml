/* The model of bench/counters.vigil in Promela: seven counters 0..7, each
 * counting up by one and wrapping to 0 only from 7. One process whose loop
 * head is the only control location, and d_step options, so a Spin state is
 * exactly a valuation of c: 8^7 = 2,097,152 states, as vigil check counts. */
byte c[7];

active proctype counters() {
  do
  :: d_step { c[0] < 7 -> c[0]++ }
  :: d_step { c[1] < 7 -> c[1]++ }
  :: d_step { c[2] < 7 -> c[2]++ }
  :: d_step { c[3] < 7 -> c[3]++ }
  :: d_step { c[4] < 7 -> c[4]++ }
  :: d_step { c[5] < 7 -> c[5]++ }
  :: d_step { c[6] < 7 -> c[6]++ }
  :: d_step { c[0] == 7 -> c[0] = 0 }
  :: d_step { c[1] == 7 -> c[1] = 0 }
  :: d_step { c[2] == 7 -> c[2] = 0 }
  :: d_step { c[3] == 7 -> c[3] = 0 }
  :: d_step { c[4] == 7 -> c[4] = 0 }
  :: d_step { c[5] == 7 -> c[5] = 0 }
  :: d_step { c[6] == 7 -> c[6] = 0 }
  od
}
