/* The model of bench/dials.vigil in Promela: three dials 0..127, each
 * turning up by one and wrapping to 0 only from 127. One process whose loop
 * head is the only control location, and d_step options, so a Spin state is
 * exactly a valuation of d: 128^3 = 2,097,152 states, as vigil check counts. */
byte d[3];

active proctype dials() {
  do
  :: d_step { d[0] < 127 -> d[0]++ }
  :: d_step { d[1] < 127 -> d[1]++ }
  :: d_step { d[2] < 127 -> d[2]++ }
  :: d_step { d[0] == 127 -> d[0] = 0 }
  :: d_step { d[1] == 127 -> d[1] = 0 }
  :: d_step { d[2] == 127 -> d[2] = 0 }
  od
}
