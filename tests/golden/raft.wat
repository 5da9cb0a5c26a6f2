(module
 (type $0 (func (param i32) (result i32)))
 (type $1 (func (param i32 f64) (result i32)))
 (type $2 (func (param i32 f64 f64) (result i32)))
 (type $3 (func (param i32 i32 i32) (result i32)))
 (type $4 (func (result i32)))
 (type $5 (func (param i32 i32 f64 f64) (result i32)))
 (type $6 (func (param i32 i32) (result i32)))
 (type $7 (func (param i32 i32 i32 i32) (result i32)))
 (type $8 (func (param i32)))
 (type $9 (func (param i32 i32) (result i64)))
 (type $10 (func (param i32 i32 i64) (result i32)))
 (type $11 (func (param i32 i32 i32 i32 i32 i32) (result i32)))
 (global $instance_count (mut i32) (i32.const 0))
 (memory $0 1 65536)
 (data $0 (i32.const 24) "\03")
 (data $0.1 (i32.const 36) "\01")
 (data $0.2 (i32.const 48) "\02\00\00\00\00\00\00\00\01\00\00\00\01")
 (data $0.3 (i32.const 72) "\07\00\00\00\00\00\00\00\02\00\00\00\01")
 (data $0.4 (i32.const 96) "\03\00\00\00\00\00\00\00\03\00\00\00\01")
 (data $0.5 (i32.const 120) "\01\00\00\00\00\00\00\00\04\00\00\00\01")
 (data $0.6 (i32.const 144) "\01\00\00\00\00\00\00\00\05\00\00\00\01")
 (data $0.7 (i32.const 168) "\01\00\00\00\00\00\00\00\06\00\00\00\01")
 (export "memory" (memory $0))
 (export "create" (func $create))
 (export "reset" (func $reset))
 (export "instance-count" (func $instance-count))
 (export "state-ptr" (func $state-ptr))
 (export "read-slot" (func $read-slot))
 (export "write-slot" (func $write-slot))
 (export "check-invariants" (func $check-invariants))
 (export "liveness" (func $liveness))
 (export "global-check" (func $global-check))
 (export "global-check-node" (func $global-check-node))
 (export "global-liveness" (func $global-liveness))
 (export "global-agg-size" (func $global-agg-size))
 (export "global-agg-add" (func $global-agg-add))
 (export "global-check-agg" (func $global-check-agg))
 (export "global-liveness-agg" (func $global-liveness-agg))
 (export "step-join" (func $step-join))
 (export "check-join" (func $check-join))
 (export "step-timeout" (func $step-timeout))
 (export "check-timeout" (func $check-timeout))
 (export "step-receive-vote" (func $step-receive-vote))
 (export "check-receive-vote" (func $check-receive-vote))
 (export "step-become-leader" (func $step-become-leader))
 (export "check-become-leader" (func $check-become-leader))
 (export "step-grant-vote" (func $step-grant-vote))
 (export "check-grant-vote" (func $check-grant-vote))
 (export "step-step-down" (func $step-step-down))
 (export "check-step-down" (func $check-step-down))
 (export "dispatch-step" (func $dispatch-step))
 (export "dispatch-check" (func $dispatch-check))
 (export "global-agg-after" (func $global-agg-after))
 (export "global-after" (func $global-after))
 (func $create (param $0 i32) (result i32)
  (local $1 i32)
  (local $2 i32)
  (local $3 i64)
  (if
   (i64.gt_u
    (local.tee $3
     (i64.add
      (i64.shl
       (i64.add
        (i64.extend_i32_u
         (local.tee $2
          (global.get $instance_count)
         )
        )
        (i64.extend_i32_u
         (local.get $0)
        )
       )
       (i64.const 3)
      )
      (i64.const 192)
     )
    )
    (i64.const 4294967296)
   )
   (then
    (return
     (i32.const -1)
    )
   )
  )
  (if
   (i32.gt_u
    (local.tee $1
     (i32.wrap_i64
      (i64.shr_u
       (i64.add
        (local.get $3)
        (i64.const 65535)
       )
       (i64.const 16)
      )
     )
    )
    (memory.size)
   )
   (then
    (if
     (i32.eq
      (memory.grow
       (i32.sub
        (local.get $1)
        (memory.size)
       )
      )
      (i32.const -1)
     )
     (then
      (return
       (i32.const -1)
      )
     )
    )
   )
  )
  (local.set $1
   (i32.add
    (local.get $0)
    (local.get $2)
   )
  )
  (local.set $0
   (local.get $2)
  )
  (loop $next
   (if
    (i32.eqz
     (i32.ge_u
      (local.get $0)
      (local.get $1)
     )
    )
    (then
     (i64.store align=1
      (i32.add
       (i32.shl
        (local.get $0)
        (i32.const 3)
       )
       (i32.const 192)
      )
      (i64.load align=1
       (i32.const 184)
      )
     )
     (local.set $0
      (i32.add
       (local.get $0)
       (i32.const 1)
      )
     )
     (br $next)
    )
   )
  )
  (global.set $instance_count
   (local.get $1)
  )
  (local.get $2)
 )
 (func $reset (param $0 i32)
  (if
   (i32.lt_u
    (local.get $0)
    (global.get $instance_count)
   )
   (then
    (i64.store align=1
     (i32.add
      (i32.shl
       (local.get $0)
       (i32.const 3)
      )
      (i32.const 192)
     )
     (i64.load align=1
      (i32.const 184)
     )
    )
   )
  )
 )
 (func $instance-count (result i32)
  (global.get $instance_count)
 )
 (func $state-ptr (param $0 i32) (result i32)
  (i32.add
   (i32.shl
    (local.get $0)
    (i32.const 3)
   )
   (i32.const 192)
  )
 )
 (func $read-slot (param $0 i32) (param $1 i32) (result i64)
  (local $2 i32)
  (if
   (i32.or
    (i32.le_u
     (global.get $instance_count)
     (local.get $0)
    )
    (i32.ge_u
     (local.get $1)
     (i32.const 7)
    )
   )
   (then
    (return
     (i64.const 0)
    )
   )
  )
  (local.set $0
   (i32.add
    (i32.load offset=16
     (local.tee $1
      (i32.add
       (i32.mul
        (local.get $1)
        (i32.const 24)
       )
       (i32.const 16)
      )
     )
    )
    (i32.add
     (i32.shl
      (local.get $0)
      (i32.const 3)
     )
     (i32.const 192)
    )
   )
  )
  (local.set $2
   (i32.load8_u offset=21
    (local.get $1)
   )
  )
  (if (result i64)
   (i32.eq
    (local.tee $1
     (i32.load8_u offset=20
      (local.get $1)
     )
    )
    (i32.const 8)
   )
   (then
    (i64.load
     (local.get $0)
    )
   )
   (else
    (if (result i64)
     (i32.eq
      (local.get $1)
      (i32.const 4)
     )
     (then
      (if (result i64)
       (local.get $2)
       (then
        (i64.load32_s
         (local.get $0)
        )
       )
       (else
        (i64.load32_u
         (local.get $0)
        )
       )
      )
     )
     (else
      (if (result i64)
       (i32.eq
        (local.get $1)
        (i32.const 2)
       )
       (then
        (if (result i64)
         (local.get $2)
         (then
          (i64.load16_s
           (local.get $0)
          )
         )
         (else
          (i64.load16_u
           (local.get $0)
          )
         )
        )
       )
       (else
        (if (result i64)
         (local.get $2)
         (then
          (i64.load8_s
           (local.get $0)
          )
         )
         (else
          (i64.load8_u
           (local.get $0)
          )
         )
        )
       )
      )
     )
    )
   )
  )
 )
 (func $write-slot (param $0 i32) (param $1 i32) (param $2 i64) (result i32)
  (local $3 i32)
  (if
   (i32.or
    (i32.le_u
     (global.get $instance_count)
     (local.get $0)
    )
    (i32.ge_u
     (local.get $1)
     (i32.const 7)
    )
   )
   (then
    (return
     (i32.const 1)
    )
   )
  )
  (if
   (i32.or
    (i64.gt_s
     (local.get $2)
     (i64.load offset=8
      (local.tee $3
       (i32.add
        (i32.mul
         (local.get $1)
         (i32.const 24)
        )
        (i32.const 16)
       )
      )
     )
    )
    (i64.lt_s
     (local.get $2)
     (i64.load
      (local.get $3)
     )
    )
   )
   (then
    (return
     (i32.const 1)
    )
   )
  )
  (local.set $0
   (i32.add
    (i32.load offset=16
     (local.tee $1
      (i32.add
       (i32.mul
        (local.get $1)
        (i32.const 24)
       )
       (i32.const 16)
      )
     )
    )
    (i32.add
     (i32.shl
      (local.get $0)
      (i32.const 3)
     )
     (i32.const 192)
    )
   )
  )
  (if
   (i32.eq
    (local.tee $1
     (i32.load8_u offset=20
      (local.get $1)
     )
    )
    (i32.const 8)
   )
   (then
    (i64.store
     (local.get $0)
     (local.get $2)
    )
   )
   (else
    (if
     (i32.eq
      (local.get $1)
      (i32.const 4)
     )
     (then
      (i64.store32
       (local.get $0)
       (local.get $2)
      )
     )
     (else
      (if
       (i32.eq
        (local.get $1)
        (i32.const 2)
       )
       (then
        (i64.store16
         (local.get $0)
         (local.get $2)
        )
       )
       (else
        (i64.store8
         (local.get $0)
         (local.get $2)
        )
       )
      )
     )
    )
   )
  )
  (i32.const 0)
 )
 (func $step-join (param $0 i32) (param $1 f64) (result i32)
  (local $2 i64)
  (local $3 i64)
  (local $4 i64)
  (local.set $0
   (i32.add
    (i32.shl
     (local.get $0)
     (i32.const 3)
    )
    (i32.const 192)
   )
  )
  (if
   (i32.eqz
    (i32.and
     (i32.and
      (f64.le
       (local.get $1)
       (f64.const 3)
      )
      (f64.ge
       (local.get $1)
       (f64.const 1)
      )
     )
     (f64.eq
      (f64.trunc
       (local.get $1)
      )
      (local.get $1)
     )
    )
   )
   (then
    (return
     (i32.const 2)
    )
   )
  )
  (local.set $3
   (i64.trunc_f64_s
    (local.get $1)
   )
  )
  (if
   (i32.eqz
    (i64.eqz
     (i64.load8_u
      (local.get $0)
     )
    )
   )
   (then
    (return
     (i32.const 3)
    )
   )
  )
  (if
   (i64.gt_u
    (local.get $3)
    (i64.const 3)
   )
   (then
    (return
     (i32.const 4)
    )
   )
  )
  (if
   (i64.lt_s
    (i64.load8_u offset=2
     (local.get $0)
    )
    (i64.load8_u offset=2
     (local.get $0)
    )
   )
   (then
    (return
     (i32.const 33)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (if (result i32)
      (i64.eq
       (i64.load8_u offset=2
        (local.get $0)
       )
       (i64.load8_u offset=2
        (local.get $0)
       )
      )
      (then
       (i64.ne
        (i64.load8_u offset=3
         (local.get $0)
        )
        (i64.const 0)
       )
      )
      (else
       (i32.const 0)
      )
     )
     (then
      (i64.eq
       (i64.load8_u offset=3
        (local.get $0)
       )
       (i64.load8_u offset=3
        (local.get $0)
       )
      )
     )
     (else
      (i32.const 1)
     )
    )
   )
   (then
    (return
     (i32.const 34)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (i64.eq
      (i64.load8_u offset=1
       (local.get $0)
      )
      (i64.const 2)
     )
     (then
      (local.set $2
       (i64.const 1)
      )
      (loop $q_next1
       (local.set $4
        (i64.add
         (local.get $4)
         (i64.extend_i32_u
          (i64.ne
           (i64.load8_u offset=4
            (i32.add
             (local.get $0)
             (i32.wrap_i64
              (i64.sub
               (local.get $2)
               (i64.const 1)
              )
             )
            )
           )
           (i64.const 0)
          )
         )
        )
       )
       (if
        (i32.eqz
         (i64.eq
          (local.get $2)
          (i64.const 3)
         )
        )
        (then
         (local.set $2
          (i64.add
           (local.get $2)
           (i64.const 1)
          )
         )
         (br $q_next1)
        )
       )
      )
      (if
       (i64.gt_u
        (i64.sub
         (local.tee $2
          (local.get $4)
         )
         (i64.const -4611686018427387904)
        )
        (i64.const 9223372036854775807)
       )
       (then
        (return
         (i32.const 36)
        )
       )
      )
      (if (result i32)
       (i64.gt_s
        (i64.shl
         (local.get $2)
         (i64.const 1)
        )
        (i64.const 3)
       )
       (then
        (i64.eq
         (i64.load8_u offset=3
          (local.get $0)
         )
         (local.get $3)
        )
       )
       (else
        (i32.const 0)
       )
      )
     )
     (else
      (i32.const 1)
     )
    )
   )
   (then
    (return
     (i32.const 35)
    )
   )
  )
  (i64.store8
   (local.get $0)
   (local.get $3)
  )
  (i32.const 0)
 )
 (func $check-join (param $0 i32) (param $1 f64) (result i32)
  (local $2 i64)
  (local $3 i64)
  (local $4 i64)
  (local.set $0
   (i32.add
    (i32.shl
     (local.get $0)
     (i32.const 3)
    )
    (i32.const 192)
   )
  )
  (if
   (i32.eqz
    (i32.and
     (i32.and
      (f64.le
       (local.get $1)
       (f64.const 3)
      )
      (f64.ge
       (local.get $1)
       (f64.const 1)
      )
     )
     (f64.eq
      (f64.trunc
       (local.get $1)
      )
      (local.get $1)
     )
    )
   )
   (then
    (return
     (i32.const 2)
    )
   )
  )
  (local.set $4
   (i64.trunc_f64_s
    (local.get $1)
   )
  )
  (if
   (i32.eqz
    (i64.eqz
     (i64.load8_u
      (local.get $0)
     )
    )
   )
   (then
    (return
     (i32.const 3)
    )
   )
  )
  (if
   (i64.gt_u
    (local.get $4)
    (i64.const 3)
   )
   (then
    (return
     (i32.const 4)
    )
   )
  )
  (if
   (i64.lt_s
    (i64.load8_u offset=2
     (local.get $0)
    )
    (i64.load8_u offset=2
     (local.get $0)
    )
   )
   (then
    (return
     (i32.const 33)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (if (result i32)
      (i64.eq
       (i64.load8_u offset=2
        (local.get $0)
       )
       (i64.load8_u offset=2
        (local.get $0)
       )
      )
      (then
       (i64.ne
        (i64.load8_u offset=3
         (local.get $0)
        )
        (i64.const 0)
       )
      )
      (else
       (i32.const 0)
      )
     )
     (then
      (i64.eq
       (i64.load8_u offset=3
        (local.get $0)
       )
       (i64.load8_u offset=3
        (local.get $0)
       )
      )
     )
     (else
      (i32.const 1)
     )
    )
   )
   (then
    (return
     (i32.const 34)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (i64.eq
      (i64.load8_u offset=1
       (local.get $0)
      )
      (i64.const 2)
     )
     (then
      (local.set $2
       (i64.const 1)
      )
      (loop $q_next1
       (local.set $3
        (i64.add
         (local.get $3)
         (i64.extend_i32_u
          (i64.ne
           (i64.load8_u offset=4
            (i32.add
             (local.get $0)
             (i32.wrap_i64
              (i64.sub
               (local.get $2)
               (i64.const 1)
              )
             )
            )
           )
           (i64.const 0)
          )
         )
        )
       )
       (if
        (i32.eqz
         (i64.eq
          (local.get $2)
          (i64.const 3)
         )
        )
        (then
         (local.set $2
          (i64.add
           (local.get $2)
           (i64.const 1)
          )
         )
         (br $q_next1)
        )
       )
      )
      (if
       (i64.gt_u
        (i64.sub
         (local.tee $2
          (local.get $3)
         )
         (i64.const -4611686018427387904)
        )
        (i64.const 9223372036854775807)
       )
       (then
        (return
         (i32.const 36)
        )
       )
      )
      (if (result i32)
       (i64.gt_s
        (i64.shl
         (local.get $2)
         (i64.const 1)
        )
        (i64.const 3)
       )
       (then
        (i64.eq
         (i64.load8_u offset=3
          (local.get $0)
         )
         (local.get $4)
        )
       )
       (else
        (i32.const 0)
       )
      )
     )
     (else
      (i32.const 1)
     )
    )
   )
   (then
    (return
     (i32.const 35)
    )
   )
  )
  (i32.const 0)
 )
 (func $step-timeout (param $0 i32) (result i32)
  (local $1 i64)
  (local $2 i64)
  (local $3 i64)
  (local $4 i64)
  (local $5 i64)
  (if
   (i64.eqz
    (i64.load8_u
     (local.tee $0
      (i32.add
       (i32.shl
        (local.get $0)
        (i32.const 3)
       )
       (i32.const 192)
      )
     )
    )
   )
   (then
    (return
     (i32.const 5)
    )
   )
  )
  (if
   (i64.eq
    (i64.load8_u offset=1
     (local.get $0)
    )
    (i64.const 2)
   )
   (then
    (return
     (i32.const 6)
    )
   )
  )
  (if
   (i64.ge_u
    (i64.load8_u offset=2
     (local.get $0)
    )
    (i64.const 7)
   )
   (then
    (return
     (i32.const 7)
    )
   )
  )
  (local.set $1
   (i64.load8_u
    (local.get $0)
   )
  )
  (local.set $3
   (i64.extend_i32_u
    (i64.eq
     (i64.load8_u
      (local.get $0)
     )
     (i64.const 1)
    )
   )
  )
  (local.set $4
   (i64.extend_i32_u
    (i64.eq
     (i64.load8_u
      (local.get $0)
     )
     (i64.const 2)
    )
   )
  )
  (local.set $5
   (i64.extend_i32_u
    (i64.eq
     (i64.load8_u
      (local.get $0)
     )
     (i64.const 3)
    )
   )
  )
  (if
   (i64.gt_u
    (local.tee $2
     (i64.add
      (i64.load8_u offset=2
       (local.get $0)
      )
      (i64.const 1)
     )
    )
    (i64.const 7)
   )
   (then
    (return
     (i32.const 8)
    )
   )
  )
  (if
   (i64.gt_u
    (local.get $1)
    (i64.const 3)
   )
   (then
    (return
     (i32.const 10)
    )
   )
  )
  (if
   (i64.gt_s
    (i64.load8_u offset=2
     (local.get $0)
    )
    (local.get $2)
   )
   (then
    (return
     (i32.const 33)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (if (result i32)
      (i64.eq
       (local.get $2)
       (i64.load8_u offset=2
        (local.get $0)
       )
      )
      (then
       (i64.ne
        (i64.load8_u offset=3
         (local.get $0)
        )
        (i64.const 0)
       )
      )
      (else
       (i32.const 0)
      )
     )
     (then
      (i64.eq
       (local.get $1)
       (i64.load8_u offset=3
        (local.get $0)
       )
      )
     )
     (else
      (i32.const 1)
     )
    )
   )
   (then
    (return
     (i32.const 34)
    )
   )
  )
  (i64.store8 offset=1
   (local.get $0)
   (i64.const 1)
  )
  (i64.store8 offset=2
   (local.get $0)
   (local.get $2)
  )
  (i64.store8 offset=3
   (local.get $0)
   (local.get $1)
  )
  (i64.store8 offset=4
   (local.get $0)
   (local.get $3)
  )
  (i64.store8 offset=5
   (local.get $0)
   (local.get $4)
  )
  (i64.store8 offset=6
   (local.get $0)
   (local.get $5)
  )
  (i32.const 0)
 )
 (func $check-timeout (param $0 i32) (result i32)
  (local $1 i64)
  (local $2 i64)
  (if
   (i64.eqz
    (i64.load8_u
     (local.tee $0
      (i32.add
       (i32.shl
        (local.get $0)
        (i32.const 3)
       )
       (i32.const 192)
      )
     )
    )
   )
   (then
    (return
     (i32.const 5)
    )
   )
  )
  (if
   (i64.eq
    (i64.load8_u offset=1
     (local.get $0)
    )
    (i64.const 2)
   )
   (then
    (return
     (i32.const 6)
    )
   )
  )
  (if
   (i64.ge_u
    (i64.load8_u offset=2
     (local.get $0)
    )
    (i64.const 7)
   )
   (then
    (return
     (i32.const 7)
    )
   )
  )
  (local.set $1
   (i64.load8_u
    (local.get $0)
   )
  )
  (drop
   (i64.load8_u
    (local.get $0)
   )
  )
  (drop
   (i64.load8_u
    (local.get $0)
   )
  )
  (drop
   (i64.load8_u
    (local.get $0)
   )
  )
  (if
   (i64.gt_u
    (local.tee $2
     (i64.add
      (i64.load8_u offset=2
       (local.get $0)
      )
      (i64.const 1)
     )
    )
    (i64.const 7)
   )
   (then
    (return
     (i32.const 8)
    )
   )
  )
  (if
   (i64.gt_u
    (local.get $1)
    (i64.const 3)
   )
   (then
    (return
     (i32.const 10)
    )
   )
  )
  (if
   (i64.gt_s
    (i64.load8_u offset=2
     (local.get $0)
    )
    (local.get $2)
   )
   (then
    (return
     (i32.const 33)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (if (result i32)
      (i64.eq
       (local.get $2)
       (i64.load8_u offset=2
        (local.get $0)
       )
      )
      (then
       (i64.ne
        (i64.load8_u offset=3
         (local.get $0)
        )
        (i64.const 0)
       )
      )
      (else
       (i32.const 0)
      )
     )
     (then
      (i64.eq
       (local.get $1)
       (i64.load8_u offset=3
        (local.get $0)
       )
      )
     )
     (else
      (i32.const 1)
     )
    )
   )
   (then
    (return
     (i32.const 34)
    )
   )
  )
  (i32.const 0)
 )
 (func $step-receive-vote (param $0 i32) (param $1 f64) (param $2 f64) (result i32)
  (local $3 i64)
  (local $4 i64)
  (local $5 i64)
  (local.set $0
   (i32.add
    (i32.shl
     (local.get $0)
     (i32.const 3)
    )
    (i32.const 192)
   )
  )
  (if
   (i32.eqz
    (i32.and
     (i32.and
      (f64.le
       (local.get $1)
       (f64.const 3)
      )
      (f64.ge
       (local.get $1)
       (f64.const 1)
      )
     )
     (f64.eq
      (f64.trunc
       (local.get $1)
      )
      (local.get $1)
     )
    )
   )
   (then
    (return
     (i32.const 14)
    )
   )
  )
  (local.set $5
   (i64.trunc_f64_s
    (local.get $1)
   )
  )
  (if
   (i32.eqz
    (i32.and
     (i32.and
      (f64.le
       (local.get $2)
       (f64.const 7)
      )
      (f64.ge
       (local.get $2)
       (f64.const 0)
      )
     )
     (f64.eq
      (f64.trunc
       (local.get $2)
      )
      (local.get $2)
     )
    )
   )
   (then
    (return
     (i32.const 15)
    )
   )
  )
  (local.set $3
   (i64.trunc_f64_s
    (local.get $2)
   )
  )
  (if
   (i64.ne
    (i64.load8_u offset=1
     (local.get $0)
    )
    (i64.const 1)
   )
   (then
    (return
     (i32.const 16)
    )
   )
  )
  (if
   (i64.ne
    (i64.load8_u offset=2
     (local.get $0)
    )
    (local.get $3)
   )
   (then
    (return
     (i32.const 17)
    )
   )
  )
  (if
   (i64.lt_s
    (i64.load8_u offset=2
     (local.get $0)
    )
    (i64.load8_u offset=2
     (local.get $0)
    )
   )
   (then
    (return
     (i32.const 33)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (if (result i32)
      (i64.eq
       (i64.load8_u offset=2
        (local.get $0)
       )
       (i64.load8_u offset=2
        (local.get $0)
       )
      )
      (then
       (i64.ne
        (i64.load8_u offset=3
         (local.get $0)
        )
        (i64.const 0)
       )
      )
      (else
       (i32.const 0)
      )
     )
     (then
      (i64.eq
       (i64.load8_u offset=3
        (local.get $0)
       )
       (i64.load8_u offset=3
        (local.get $0)
       )
      )
     )
     (else
      (i32.const 1)
     )
    )
   )
   (then
    (return
     (i32.const 34)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (i64.eq
      (i64.load8_u offset=1
       (local.get $0)
      )
      (i64.const 2)
     )
     (then
      (local.set $3
       (i64.const 1)
      )
      (loop $q_next1
       (local.set $4
        (i64.add
         (local.get $4)
         (i64.extend_i32_u
          (i64.ne
           (select
            (i64.const 1)
            (i64.load8_u offset=4
             (i32.add
              (local.get $0)
              (i32.wrap_i64
               (i64.sub
                (local.get $3)
                (i64.const 1)
               )
              )
             )
            )
            (i64.eq
             (local.get $3)
             (local.get $5)
            )
           )
           (i64.const 0)
          )
         )
        )
       )
       (if
        (i32.eqz
         (i64.eq
          (local.get $3)
          (i64.const 3)
         )
        )
        (then
         (local.set $3
          (i64.add
           (local.get $3)
           (i64.const 1)
          )
         )
         (br $q_next1)
        )
       )
      )
      (if
       (i64.gt_u
        (i64.sub
         (local.tee $3
          (local.get $4)
         )
         (i64.const -4611686018427387904)
        )
        (i64.const 9223372036854775807)
       )
       (then
        (return
         (i32.const 36)
        )
       )
      )
      (if (result i32)
       (i64.gt_s
        (i64.shl
         (local.get $3)
         (i64.const 1)
        )
        (i64.const 3)
       )
       (then
        (i64.eq
         (i64.load8_u offset=3
          (local.get $0)
         )
         (i64.load8_u
          (local.get $0)
         )
        )
       )
       (else
        (i32.const 0)
       )
      )
     )
     (else
      (i32.const 1)
     )
    )
   )
   (then
    (return
     (i32.const 35)
    )
   )
  )
  (i64.store8 offset=4
   (i32.add
    (local.get $0)
    (i32.wrap_i64
     (i64.sub
      (local.get $5)
      (i64.const 1)
     )
    )
   )
   (i64.const 1)
  )
  (i32.const 0)
 )
 (func $check-receive-vote (param $0 i32) (param $1 f64) (param $2 f64) (result i32)
  (local $3 i64)
  (local $4 i64)
  (local $5 i64)
  (local.set $0
   (i32.add
    (i32.shl
     (local.get $0)
     (i32.const 3)
    )
    (i32.const 192)
   )
  )
  (if
   (i32.eqz
    (i32.and
     (i32.and
      (f64.le
       (local.get $1)
       (f64.const 3)
      )
      (f64.ge
       (local.get $1)
       (f64.const 1)
      )
     )
     (f64.eq
      (f64.trunc
       (local.get $1)
      )
      (local.get $1)
     )
    )
   )
   (then
    (return
     (i32.const 14)
    )
   )
  )
  (local.set $4
   (i64.trunc_f64_s
    (local.get $1)
   )
  )
  (if
   (i32.eqz
    (i32.and
     (i32.and
      (f64.le
       (local.get $2)
       (f64.const 7)
      )
      (f64.ge
       (local.get $2)
       (f64.const 0)
      )
     )
     (f64.eq
      (f64.trunc
       (local.get $2)
      )
      (local.get $2)
     )
    )
   )
   (then
    (return
     (i32.const 15)
    )
   )
  )
  (local.set $3
   (i64.trunc_f64_s
    (local.get $2)
   )
  )
  (if
   (i64.ne
    (i64.load8_u offset=1
     (local.get $0)
    )
    (i64.const 1)
   )
   (then
    (return
     (i32.const 16)
    )
   )
  )
  (if
   (i64.ne
    (i64.load8_u offset=2
     (local.get $0)
    )
    (local.get $3)
   )
   (then
    (return
     (i32.const 17)
    )
   )
  )
  (if
   (i64.lt_s
    (i64.load8_u offset=2
     (local.get $0)
    )
    (i64.load8_u offset=2
     (local.get $0)
    )
   )
   (then
    (return
     (i32.const 33)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (if (result i32)
      (i64.eq
       (i64.load8_u offset=2
        (local.get $0)
       )
       (i64.load8_u offset=2
        (local.get $0)
       )
      )
      (then
       (i64.ne
        (i64.load8_u offset=3
         (local.get $0)
        )
        (i64.const 0)
       )
      )
      (else
       (i32.const 0)
      )
     )
     (then
      (i64.eq
       (i64.load8_u offset=3
        (local.get $0)
       )
       (i64.load8_u offset=3
        (local.get $0)
       )
      )
     )
     (else
      (i32.const 1)
     )
    )
   )
   (then
    (return
     (i32.const 34)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (i64.eq
      (i64.load8_u offset=1
       (local.get $0)
      )
      (i64.const 2)
     )
     (then
      (local.set $3
       (i64.const 1)
      )
      (loop $q_next1
       (local.set $5
        (i64.add
         (local.get $5)
         (i64.extend_i32_u
          (i64.ne
           (select
            (i64.const 1)
            (i64.load8_u offset=4
             (i32.add
              (local.get $0)
              (i32.wrap_i64
               (i64.sub
                (local.get $3)
                (i64.const 1)
               )
              )
             )
            )
            (i64.eq
             (local.get $3)
             (local.get $4)
            )
           )
           (i64.const 0)
          )
         )
        )
       )
       (if
        (i32.eqz
         (i64.eq
          (local.get $3)
          (i64.const 3)
         )
        )
        (then
         (local.set $3
          (i64.add
           (local.get $3)
           (i64.const 1)
          )
         )
         (br $q_next1)
        )
       )
      )
      (if
       (i64.gt_u
        (i64.sub
         (local.tee $4
          (local.get $5)
         )
         (i64.const -4611686018427387904)
        )
        (i64.const 9223372036854775807)
       )
       (then
        (return
         (i32.const 36)
        )
       )
      )
      (if (result i32)
       (i64.gt_s
        (i64.shl
         (local.get $4)
         (i64.const 1)
        )
        (i64.const 3)
       )
       (then
        (i64.eq
         (i64.load8_u offset=3
          (local.get $0)
         )
         (i64.load8_u
          (local.get $0)
         )
        )
       )
       (else
        (i32.const 0)
       )
      )
     )
     (else
      (i32.const 1)
     )
    )
   )
   (then
    (return
     (i32.const 35)
    )
   )
  )
  (i32.const 0)
 )
 (func $step-become-leader (param $0 i32) (result i32)
  (local $1 i64)
  (local $2 i64)
  (if
   (i64.ne
    (i64.load8_u offset=1
     (local.tee $0
      (i32.add
       (i32.shl
        (local.get $0)
        (i32.const 3)
       )
       (i32.const 192)
      )
     )
    )
    (i64.const 1)
   )
   (then
    (return
     (i32.const 19)
    )
   )
  )
  (local.set $1
   (i64.const 1)
  )
  (loop $q_next1
   (local.set $2
    (i64.add
     (local.get $2)
     (i64.extend_i32_u
      (i64.ne
       (i64.load8_u offset=4
        (i32.add
         (local.get $0)
         (i32.wrap_i64
          (i64.sub
           (local.get $1)
           (i64.const 1)
          )
         )
        )
       )
       (i64.const 0)
      )
     )
    )
   )
   (if
    (i32.eqz
     (i64.eq
      (local.get $1)
      (i64.const 3)
     )
    )
    (then
     (local.set $1
      (i64.add
       (local.get $1)
       (i64.const 1)
      )
     )
     (br $q_next1)
    )
   )
  )
  (if
   (i64.gt_u
    (i64.sub
     (local.tee $1
      (local.get $2)
     )
     (i64.const -4611686018427387904)
    )
    (i64.const 9223372036854775807)
   )
   (then
    (return
     (i32.const 21)
    )
   )
  )
  (if
   (i64.le_s
    (i64.shl
     (local.get $1)
     (i64.const 1)
    )
    (i64.const 3)
   )
   (then
    (return
     (i32.const 20)
    )
   )
  )
  (if
   (i64.lt_s
    (i64.load8_u offset=2
     (local.get $0)
    )
    (i64.load8_u offset=2
     (local.get $0)
    )
   )
   (then
    (return
     (i32.const 33)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (if (result i32)
      (i64.eq
       (i64.load8_u offset=2
        (local.get $0)
       )
       (i64.load8_u offset=2
        (local.get $0)
       )
      )
      (then
       (i64.ne
        (i64.load8_u offset=3
         (local.get $0)
        )
        (i64.const 0)
       )
      )
      (else
       (i32.const 0)
      )
     )
     (then
      (i64.eq
       (i64.load8_u offset=3
        (local.get $0)
       )
       (i64.load8_u offset=3
        (local.get $0)
       )
      )
     )
     (else
      (i32.const 1)
     )
    )
   )
   (then
    (return
     (i32.const 34)
    )
   )
  )
  (local.set $2
   (i64.const 0)
  )
  (local.set $1
   (i64.const 1)
  )
  (loop $q_next3
   (local.set $2
    (i64.add
     (local.get $2)
     (i64.extend_i32_u
      (i64.ne
       (i64.load8_u offset=4
        (i32.add
         (local.get $0)
         (i32.wrap_i64
          (i64.sub
           (local.get $1)
           (i64.const 1)
          )
         )
        )
       )
       (i64.const 0)
      )
     )
    )
   )
   (if
    (i32.eqz
     (i64.eq
      (local.get $1)
      (i64.const 3)
     )
    )
    (then
     (local.set $1
      (i64.add
       (local.get $1)
       (i64.const 1)
      )
     )
     (br $q_next3)
    )
   )
  )
  (if
   (i64.gt_u
    (i64.sub
     (local.tee $1
      (local.get $2)
     )
     (i64.const -4611686018427387904)
    )
    (i64.const 9223372036854775807)
   )
   (then
    (return
     (i32.const 36)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (i64.gt_s
      (i64.shl
       (local.get $1)
       (i64.const 1)
      )
      (i64.const 3)
     )
     (then
      (i64.eq
       (i64.load8_u offset=3
        (local.get $0)
       )
       (i64.load8_u
        (local.get $0)
       )
      )
     )
     (else
      (i32.const 0)
     )
    )
   )
   (then
    (return
     (i32.const 35)
    )
   )
  )
  (i64.store8 offset=1
   (local.get $0)
   (i64.const 2)
  )
  (i32.const 0)
 )
 (func $check-become-leader (param $0 i32) (result i32)
  (local $1 i64)
  (local $2 i64)
  (if
   (i64.ne
    (i64.load8_u offset=1
     (local.tee $0
      (i32.add
       (i32.shl
        (local.get $0)
        (i32.const 3)
       )
       (i32.const 192)
      )
     )
    )
    (i64.const 1)
   )
   (then
    (return
     (i32.const 19)
    )
   )
  )
  (local.set $1
   (i64.const 1)
  )
  (loop $q_next1
   (local.set $2
    (i64.add
     (local.get $2)
     (i64.extend_i32_u
      (i64.ne
       (i64.load8_u offset=4
        (i32.add
         (local.get $0)
         (i32.wrap_i64
          (i64.sub
           (local.get $1)
           (i64.const 1)
          )
         )
        )
       )
       (i64.const 0)
      )
     )
    )
   )
   (if
    (i32.eqz
     (i64.eq
      (local.get $1)
      (i64.const 3)
     )
    )
    (then
     (local.set $1
      (i64.add
       (local.get $1)
       (i64.const 1)
      )
     )
     (br $q_next1)
    )
   )
  )
  (if
   (i64.gt_u
    (i64.sub
     (local.tee $1
      (local.get $2)
     )
     (i64.const -4611686018427387904)
    )
    (i64.const 9223372036854775807)
   )
   (then
    (return
     (i32.const 21)
    )
   )
  )
  (if
   (i64.le_s
    (i64.shl
     (local.get $1)
     (i64.const 1)
    )
    (i64.const 3)
   )
   (then
    (return
     (i32.const 20)
    )
   )
  )
  (if
   (i64.lt_s
    (i64.load8_u offset=2
     (local.get $0)
    )
    (i64.load8_u offset=2
     (local.get $0)
    )
   )
   (then
    (return
     (i32.const 33)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (if (result i32)
      (i64.eq
       (i64.load8_u offset=2
        (local.get $0)
       )
       (i64.load8_u offset=2
        (local.get $0)
       )
      )
      (then
       (i64.ne
        (i64.load8_u offset=3
         (local.get $0)
        )
        (i64.const 0)
       )
      )
      (else
       (i32.const 0)
      )
     )
     (then
      (i64.eq
       (i64.load8_u offset=3
        (local.get $0)
       )
       (i64.load8_u offset=3
        (local.get $0)
       )
      )
     )
     (else
      (i32.const 1)
     )
    )
   )
   (then
    (return
     (i32.const 34)
    )
   )
  )
  (local.set $2
   (i64.const 0)
  )
  (local.set $1
   (i64.const 1)
  )
  (loop $q_next3
   (local.set $2
    (i64.add
     (local.get $2)
     (i64.extend_i32_u
      (i64.ne
       (i64.load8_u offset=4
        (i32.add
         (local.get $0)
         (i32.wrap_i64
          (i64.sub
           (local.get $1)
           (i64.const 1)
          )
         )
        )
       )
       (i64.const 0)
      )
     )
    )
   )
   (if
    (i32.eqz
     (i64.eq
      (local.get $1)
      (i64.const 3)
     )
    )
    (then
     (local.set $1
      (i64.add
       (local.get $1)
       (i64.const 1)
      )
     )
     (br $q_next3)
    )
   )
  )
  (if
   (i64.gt_u
    (i64.sub
     (local.tee $1
      (local.get $2)
     )
     (i64.const -4611686018427387904)
    )
    (i64.const 9223372036854775807)
   )
   (then
    (return
     (i32.const 36)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (i64.gt_s
      (i64.shl
       (local.get $1)
       (i64.const 1)
      )
      (i64.const 3)
     )
     (then
      (i64.eq
       (i64.load8_u offset=3
        (local.get $0)
       )
       (i64.load8_u
        (local.get $0)
       )
      )
     )
     (else
      (i32.const 0)
     )
    )
   )
   (then
    (return
     (i32.const 35)
    )
   )
  )
  (i32.const 0)
 )
 (func $step-grant-vote (param $0 i32) (param $1 f64) (param $2 f64) (result i32)
  (local $3 i64)
  (local $4 i64)
  (local.set $0
   (i32.add
    (i32.shl
     (local.get $0)
     (i32.const 3)
    )
    (i32.const 192)
   )
  )
  (if
   (i32.eqz
    (i32.and
     (i32.and
      (f64.le
       (local.get $1)
       (f64.const 3)
      )
      (f64.ge
       (local.get $1)
       (f64.const 1)
      )
     )
     (f64.eq
      (f64.trunc
       (local.get $1)
      )
      (local.get $1)
     )
    )
   )
   (then
    (return
     (i32.const 23)
    )
   )
  )
  (local.set $4
   (i64.trunc_f64_s
    (local.get $1)
   )
  )
  (if
   (i32.eqz
    (i32.and
     (i32.and
      (f64.le
       (local.get $2)
       (f64.const 7)
      )
      (f64.ge
       (local.get $2)
       (f64.const 0)
      )
     )
     (f64.eq
      (f64.trunc
       (local.get $2)
      )
      (local.get $2)
     )
    )
   )
   (then
    (return
     (i32.const 24)
    )
   )
  )
  (local.set $3
   (i64.trunc_f64_s
    (local.get $2)
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (i64.ne
      (i64.load8_u
       (local.get $0)
      )
      (i64.const 0)
     )
     (then
      (i64.ne
       (local.get $4)
       (i64.load8_u
        (local.get $0)
       )
      )
     )
     (else
      (i32.const 0)
     )
    )
   )
   (then
    (return
     (i32.const 25)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (i64.gt_s
      (local.get $3)
      (i64.load8_u offset=2
       (local.get $0)
      )
     )
     (then
      (i32.const 1)
     )
     (else
      (if (result i32)
       (i64.eqz
        (if (result i64)
         (i64.eq
          (local.get $3)
          (i64.load8_u offset=2
           (local.get $0)
          )
         )
         (then
          (i64.load8_u offset=1
           (local.get $0)
          )
         )
         (else
          (i64.const 1)
         )
        )
       )
       (then
        (if (result i32)
         (i64.eqz
          (i64.load8_u offset=3
           (local.get $0)
          )
         )
         (then
          (i32.const 1)
         )
         (else
          (i64.eq
           (i64.load8_u offset=3
            (local.get $0)
           )
           (local.get $4)
          )
         )
        )
       )
       (else
        (i32.const 0)
       )
      )
     )
    )
   )
   (then
    (return
     (i32.const 26)
    )
   )
  )
  (if
   (i64.gt_u
    (local.get $3)
    (i64.const 7)
   )
   (then
    (return
     (i32.const 27)
    )
   )
  )
  (if
   (i64.gt_u
    (local.get $4)
    (i64.const 3)
   )
   (then
    (return
     (i32.const 28)
    )
   )
  )
  (if
   (i64.gt_s
    (i64.load8_u offset=2
     (local.get $0)
    )
    (local.get $3)
   )
   (then
    (return
     (i32.const 33)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (if (result i32)
      (i64.eq
       (local.get $3)
       (i64.load8_u offset=2
        (local.get $0)
       )
      )
      (then
       (i64.ne
        (i64.load8_u offset=3
         (local.get $0)
        )
        (i64.const 0)
       )
      )
      (else
       (i32.const 0)
      )
     )
     (then
      (i64.eq
       (local.get $4)
       (i64.load8_u offset=3
        (local.get $0)
       )
      )
     )
     (else
      (i32.const 1)
     )
    )
   )
   (then
    (return
     (i32.const 34)
    )
   )
  )
  (i64.store8 offset=2
   (local.get $0)
   (local.get $3)
  )
  (i64.store8 offset=3
   (local.get $0)
   (local.get $4)
  )
  (i64.store8 offset=1
   (local.get $0)
   (i64.const 0)
  )
  (i32.const 0)
 )
 (func $check-grant-vote (param $0 i32) (param $1 f64) (param $2 f64) (result i32)
  (local $3 i64)
  (local $4 i64)
  (local.set $0
   (i32.add
    (i32.shl
     (local.get $0)
     (i32.const 3)
    )
    (i32.const 192)
   )
  )
  (if
   (i32.eqz
    (i32.and
     (i32.and
      (f64.le
       (local.get $1)
       (f64.const 3)
      )
      (f64.ge
       (local.get $1)
       (f64.const 1)
      )
     )
     (f64.eq
      (f64.trunc
       (local.get $1)
      )
      (local.get $1)
     )
    )
   )
   (then
    (return
     (i32.const 23)
    )
   )
  )
  (local.set $4
   (i64.trunc_f64_s
    (local.get $1)
   )
  )
  (if
   (i32.eqz
    (i32.and
     (i32.and
      (f64.le
       (local.get $2)
       (f64.const 7)
      )
      (f64.ge
       (local.get $2)
       (f64.const 0)
      )
     )
     (f64.eq
      (f64.trunc
       (local.get $2)
      )
      (local.get $2)
     )
    )
   )
   (then
    (return
     (i32.const 24)
    )
   )
  )
  (local.set $3
   (i64.trunc_f64_s
    (local.get $2)
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (i64.ne
      (i64.load8_u
       (local.get $0)
      )
      (i64.const 0)
     )
     (then
      (i64.ne
       (local.get $4)
       (i64.load8_u
        (local.get $0)
       )
      )
     )
     (else
      (i32.const 0)
     )
    )
   )
   (then
    (return
     (i32.const 25)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (i64.gt_s
      (local.get $3)
      (i64.load8_u offset=2
       (local.get $0)
      )
     )
     (then
      (i32.const 1)
     )
     (else
      (if (result i32)
       (i64.eqz
        (if (result i64)
         (i64.eq
          (local.get $3)
          (i64.load8_u offset=2
           (local.get $0)
          )
         )
         (then
          (i64.load8_u offset=1
           (local.get $0)
          )
         )
         (else
          (i64.const 1)
         )
        )
       )
       (then
        (if (result i32)
         (i64.eqz
          (i64.load8_u offset=3
           (local.get $0)
          )
         )
         (then
          (i32.const 1)
         )
         (else
          (i64.eq
           (i64.load8_u offset=3
            (local.get $0)
           )
           (local.get $4)
          )
         )
        )
       )
       (else
        (i32.const 0)
       )
      )
     )
    )
   )
   (then
    (return
     (i32.const 26)
    )
   )
  )
  (if
   (i64.gt_u
    (local.get $3)
    (i64.const 7)
   )
   (then
    (return
     (i32.const 27)
    )
   )
  )
  (if
   (i64.gt_u
    (local.get $4)
    (i64.const 3)
   )
   (then
    (return
     (i32.const 28)
    )
   )
  )
  (if
   (i64.gt_s
    (i64.load8_u offset=2
     (local.get $0)
    )
    (local.get $3)
   )
   (then
    (return
     (i32.const 33)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (if (result i32)
      (i64.eq
       (local.get $3)
       (i64.load8_u offset=2
        (local.get $0)
       )
      )
      (then
       (i64.ne
        (i64.load8_u offset=3
         (local.get $0)
        )
        (i64.const 0)
       )
      )
      (else
       (i32.const 0)
      )
     )
     (then
      (i64.eq
       (local.get $4)
       (i64.load8_u offset=3
        (local.get $0)
       )
      )
     )
     (else
      (i32.const 1)
     )
    )
   )
   (then
    (return
     (i32.const 34)
    )
   )
  )
  (i32.const 0)
 )
 (func $step-step-down (param $0 i32) (param $1 f64) (result i32)
  (local $2 i64)
  (local.set $0
   (i32.add
    (i32.shl
     (local.get $0)
     (i32.const 3)
    )
    (i32.const 192)
   )
  )
  (if
   (i32.eqz
    (i32.and
     (i32.and
      (f64.le
       (local.get $1)
       (f64.const 7)
      )
      (f64.ge
       (local.get $1)
       (f64.const 0)
      )
     )
     (f64.eq
      (f64.trunc
       (local.get $1)
      )
      (local.get $1)
     )
    )
   )
   (then
    (return
     (i32.const 29)
    )
   )
  )
  (if
   (i64.le_s
    (local.tee $2
     (i64.trunc_f64_s
      (local.get $1)
     )
    )
    (i64.load8_u offset=2
     (local.get $0)
    )
   )
   (then
    (return
     (i32.const 30)
    )
   )
  )
  (if
   (i64.gt_u
    (local.get $2)
    (i64.const 7)
   )
   (then
    (return
     (i32.const 31)
    )
   )
  )
  (if
   (i64.gt_s
    (i64.load8_u offset=2
     (local.get $0)
    )
    (local.get $2)
   )
   (then
    (return
     (i32.const 33)
    )
   )
  )
  (if
   (i32.eqz
    (i64.eqz
     (if (result i64)
      (if (result i32)
       (i64.eq
        (local.get $2)
        (i64.load8_u offset=2
         (local.get $0)
        )
       )
       (then
        (i64.ne
         (i64.load8_u offset=3
          (local.get $0)
         )
         (i64.const 0)
        )
       )
       (else
        (i32.const 0)
       )
      )
      (then
       (i64.load8_u offset=3
        (local.get $0)
       )
      )
      (else
       (i64.const 0)
      )
     )
    )
   )
   (then
    (return
     (i32.const 34)
    )
   )
  )
  (i64.store8 offset=2
   (local.get $0)
   (local.get $2)
  )
  (i64.store8 offset=1
   (local.get $0)
   (i64.const 0)
  )
  (i64.store8 offset=3
   (local.get $0)
   (i64.const 0)
  )
  (i32.const 0)
 )
 (func $check-step-down (param $0 i32) (param $1 f64) (result i32)
  (local $2 i64)
  (local.set $0
   (i32.add
    (i32.shl
     (local.get $0)
     (i32.const 3)
    )
    (i32.const 192)
   )
  )
  (if
   (i32.eqz
    (i32.and
     (i32.and
      (f64.le
       (local.get $1)
       (f64.const 7)
      )
      (f64.ge
       (local.get $1)
       (f64.const 0)
      )
     )
     (f64.eq
      (f64.trunc
       (local.get $1)
      )
      (local.get $1)
     )
    )
   )
   (then
    (return
     (i32.const 29)
    )
   )
  )
  (if
   (i64.le_s
    (local.tee $2
     (i64.trunc_f64_s
      (local.get $1)
     )
    )
    (i64.load8_u offset=2
     (local.get $0)
    )
   )
   (then
    (return
     (i32.const 30)
    )
   )
  )
  (if
   (i64.gt_u
    (local.get $2)
    (i64.const 7)
   )
   (then
    (return
     (i32.const 31)
    )
   )
  )
  (if
   (i64.gt_s
    (i64.load8_u offset=2
     (local.get $0)
    )
    (local.get $2)
   )
   (then
    (return
     (i32.const 33)
    )
   )
  )
  (if
   (i32.eqz
    (i64.eqz
     (if (result i64)
      (if (result i32)
       (i64.eq
        (local.get $2)
        (i64.load8_u offset=2
         (local.get $0)
        )
       )
       (then
        (i64.ne
         (i64.load8_u offset=3
          (local.get $0)
         )
         (i64.const 0)
        )
       )
       (else
        (i32.const 0)
       )
      )
      (then
       (i64.load8_u offset=3
        (local.get $0)
       )
      )
      (else
       (i64.const 0)
      )
     )
    )
   )
   (then
    (return
     (i32.const 34)
    )
   )
  )
  (i32.const 0)
 )
 (func $dispatch-step (param $0 i32) (param $1 i32) (param $2 f64) (param $3 f64) (result i32)
  (block $default
   (block $case5
    (block $case4
     (block $case3
      (block $case2
       (block $case1
        (block $case0
         (br_table $case0 $case1 $case2 $case3 $case4 $case5 $default
          (local.get $1)
         )
        )
        (return
         (call $step-join
          (local.get $0)
          (local.get $2)
         )
        )
       )
       (return
        (call $step-timeout
         (local.get $0)
        )
       )
      )
      (return
       (call $step-receive-vote
        (local.get $0)
        (local.get $2)
        (local.get $3)
       )
      )
     )
     (return
      (call $step-become-leader
       (local.get $0)
      )
     )
    )
    (return
     (call $step-grant-vote
      (local.get $0)
      (local.get $2)
      (local.get $3)
     )
    )
   )
   (return
    (call $step-step-down
     (local.get $0)
     (local.get $2)
    )
   )
  )
  (i32.const 1)
 )
 (func $dispatch-check (param $0 i32) (param $1 i32) (param $2 f64) (param $3 f64) (result i32)
  (block $default
   (block $case5
    (block $case4
     (block $case3
      (block $case2
       (block $case1
        (block $case0
         (br_table $case0 $case1 $case2 $case3 $case4 $case5 $default
          (local.get $1)
         )
        )
        (return
         (call $check-join
          (local.get $0)
          (local.get $2)
         )
        )
       )
       (return
        (call $check-timeout
         (local.get $0)
        )
       )
      )
      (return
       (call $check-receive-vote
        (local.get $0)
        (local.get $2)
        (local.get $3)
       )
      )
     )
     (return
      (call $check-become-leader
       (local.get $0)
      )
     )
    )
    (return
     (call $check-grant-vote
      (local.get $0)
      (local.get $2)
      (local.get $3)
     )
    )
   )
   (return
    (call $check-step-down
     (local.get $0)
     (local.get $2)
    )
   )
  )
  (i32.const 1)
 )
 (func $check-invariants (param $0 i32) (result i32)
  (local $1 i64)
  (local $2 i64)
  (if
   (i64.lt_s
    (i64.load8_u offset=2
     (local.tee $0
      (i32.add
       (i32.shl
        (local.get $0)
        (i32.const 3)
       )
       (i32.const 192)
      )
     )
    )
    (i64.load8_u offset=2
     (local.get $0)
    )
   )
   (then
    (return
     (i32.const 33)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (if (result i32)
      (i64.eq
       (i64.load8_u offset=2
        (local.get $0)
       )
       (i64.load8_u offset=2
        (local.get $0)
       )
      )
      (then
       (i64.ne
        (i64.load8_u offset=3
         (local.get $0)
        )
        (i64.const 0)
       )
      )
      (else
       (i32.const 0)
      )
     )
     (then
      (i64.eq
       (i64.load8_u offset=3
        (local.get $0)
       )
       (i64.load8_u offset=3
        (local.get $0)
       )
      )
     )
     (else
      (i32.const 1)
     )
    )
   )
   (then
    (return
     (i32.const 34)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (i64.eq
      (i64.load8_u offset=1
       (local.get $0)
      )
      (i64.const 2)
     )
     (then
      (local.set $1
       (i64.const 1)
      )
      (loop $q_next1
       (local.set $2
        (i64.add
         (local.get $2)
         (i64.extend_i32_u
          (i64.ne
           (i64.load8_u offset=4
            (i32.add
             (local.get $0)
             (i32.wrap_i64
              (i64.sub
               (local.get $1)
               (i64.const 1)
              )
             )
            )
           )
           (i64.const 0)
          )
         )
        )
       )
       (if
        (i32.eqz
         (i64.eq
          (local.get $1)
          (i64.const 3)
         )
        )
        (then
         (local.set $1
          (i64.add
           (local.get $1)
           (i64.const 1)
          )
         )
         (br $q_next1)
        )
       )
      )
      (if
       (i64.gt_u
        (i64.sub
         (local.tee $1
          (local.get $2)
         )
         (i64.const -4611686018427387904)
        )
        (i64.const 9223372036854775807)
       )
       (then
        (return
         (i32.const 36)
        )
       )
      )
      (if (result i32)
       (i64.gt_s
        (i64.shl
         (local.get $1)
         (i64.const 1)
        )
        (i64.const 3)
       )
       (then
        (i64.eq
         (i64.load8_u offset=3
          (local.get $0)
         )
         (i64.load8_u
          (local.get $0)
         )
        )
       )
       (else
        (i32.const 0)
       )
      )
     )
     (else
      (i32.const 1)
     )
    )
   )
   (then
    (return
     (i32.const 35)
    )
   )
  )
  (i32.const 0)
 )
 (func $liveness (param $0 i32) (result i32)
  (i32.or
   (i64.eq
    (i64.load8_u offset=1
     (local.tee $0
      (i32.add
       (i32.shl
        (local.get $0)
        (i32.const 3)
       )
       (i32.const 192)
      )
     )
    )
    (i64.const 1)
   )
   (i32.shl
    (i64.ne
     (i64.load8_u offset=1
      (local.get $0)
     )
     (i64.const 1)
    )
    (i32.const 1)
   )
  )
 )
 (func $global-check (param $0 i32) (param $1 i32) (result i32)
  (local $2 i64)
  (local $3 i64)
  (local $4 i64)
  (local $5 i64)
  (local $6 i64)
  (local $7 i64)
  (local.set $4
   (i64.const 1)
  )
  (block $q_end0
   (br_if $q_end0
    (i64.lt_s
     (local.tee $6
      (i64.sub
       (i64.extend_i32_u
        (local.get $1)
       )
       (i64.const 1)
      )
     )
     (i64.const 0)
    )
   )
   (loop $q_next1
    (local.set $5
     (i64.const 1)
    )
    (local.set $3
     (i64.const 0)
    )
    (block $q_end2
     (br_if $q_end2
      (i64.lt_s
       (local.tee $7
        (i64.sub
         (i64.extend_i32_u
          (local.get $1)
         )
         (i64.const 1)
        )
       )
       (i64.const 0)
      )
     )
     (loop $q_next3
      (if
       (i32.eqz
        (select
         (i64.eq
          (local.get $2)
          (local.get $3)
         )
         (i32.const 1)
         (if (result i32)
          (if (result i32)
           (i64.eq
            (i64.load8_u offset=1
             (i32.add
              (i32.shl
               (i32.add
                (local.get $0)
                (i32.wrap_i64
                 (local.get $2)
                )
               )
               (i32.const 3)
              )
              (i32.const 192)
             )
            )
            (i64.const 2)
           )
           (then
            (i64.eq
             (i64.load8_u offset=1
              (i32.add
               (i32.shl
                (i32.add
                 (local.get $0)
                 (i32.wrap_i64
                  (local.get $3)
                 )
                )
                (i32.const 3)
               )
               (i32.const 192)
              )
             )
             (i64.const 2)
            )
           )
           (else
            (i32.const 0)
           )
          )
          (then
           (i64.eq
            (i64.load8_u offset=2
             (i32.add
              (i32.shl
               (i32.add
                (local.get $0)
                (i32.wrap_i64
                 (local.get $2)
                )
               )
               (i32.const 3)
              )
              (i32.const 192)
             )
            )
            (i64.load8_u offset=2
             (i32.add
              (i32.shl
               (i32.add
                (local.get $0)
                (i32.wrap_i64
                 (local.get $3)
                )
               )
               (i32.const 3)
              )
              (i32.const 192)
             )
            )
           )
          )
          (else
           (i32.const 0)
          )
         )
        )
       )
       (then
        (local.set $5
         (i64.const 0)
        )
        (br $q_end2)
       )
      )
      (br_if $q_end2
       (i64.eq
        (local.get $3)
        (local.get $7)
       )
      )
      (local.set $3
       (i64.add
        (local.get $3)
        (i64.const 1)
       )
      )
      (br $q_next3)
     )
    )
    (if
     (i64.eqz
      (local.get $5)
     )
     (then
      (local.set $4
       (i64.const 0)
      )
      (br $q_end0)
     )
    )
    (br_if $q_end0
     (i64.eq
      (local.get $2)
      (local.get $6)
     )
    )
    (local.set $2
     (i64.add
      (local.get $2)
      (i64.const 1)
     )
    )
    (br $q_next1)
   )
  )
  (if
   (i64.eqz
    (local.get $4)
   )
   (then
    (return
     (i32.const 39)
    )
   )
  )
  (i32.const 0)
 )
 (func $global-check-node (param $0 i32) (param $1 i32) (param $2 i32) (result i32)
  (local $3 i64)
  (local $4 i64)
  (local $5 i64)
  (local.set $5
   (i64.extend_i32_u
    (local.get $2)
   )
  )
  (loop $n_next3
   (block $n_end2
    (br_if $n_end2
     (i64.ge_u
      (local.get $3)
      (i64.extend_i32_u
       (local.get $1)
      )
     )
    )
    (if
     (i64.eq
      (local.get $3)
      (local.get $5)
     )
     (then
      (block $n_end0
       (local.set $4
        (i64.const 0)
       )
       (loop $n_next1
        (br_if $n_end0
         (i64.ge_u
          (local.get $4)
          (i64.extend_i32_u
           (local.get $1)
          )
         )
        )
        (if
         (select
          (i64.eq
           (local.get $3)
           (local.get $4)
          )
          (i32.const 1)
          (if (result i32)
           (if (result i32)
            (i64.eq
             (i64.load8_u offset=1
              (i32.add
               (i32.shl
                (i32.add
                 (local.get $0)
                 (i32.wrap_i64
                  (local.get $3)
                 )
                )
                (i32.const 3)
               )
               (i32.const 192)
              )
             )
             (i64.const 2)
            )
            (then
             (i64.eq
              (i64.load8_u offset=1
               (i32.add
                (i32.shl
                 (i32.add
                  (local.get $0)
                  (i32.wrap_i64
                   (local.get $4)
                  )
                 )
                 (i32.const 3)
                )
                (i32.const 192)
               )
              )
              (i64.const 2)
             )
            )
            (else
             (i32.const 0)
            )
           )
           (then
            (i64.eq
             (i64.load8_u offset=2
              (i32.add
               (i32.shl
                (i32.add
                 (local.get $0)
                 (i32.wrap_i64
                  (local.get $3)
                 )
                )
                (i32.const 3)
               )
               (i32.const 192)
              )
             )
             (i64.load8_u offset=2
              (i32.add
               (i32.shl
                (i32.add
                 (local.get $0)
                 (i32.wrap_i64
                  (local.get $4)
                 )
                )
                (i32.const 3)
               )
               (i32.const 192)
              )
             )
            )
           )
           (else
            (i32.const 0)
           )
          )
         )
         (then
          (local.set $4
           (i64.add
            (local.get $4)
            (i64.const 1)
           )
          )
          (br $n_next1)
         )
         (else
          (return
           (i32.const 39)
          )
         )
        )
       )
      )
     )
     (else
      (if
       (i32.eqz
        (select
         (i64.eq
          (local.get $3)
          (local.get $5)
         )
         (i32.const 1)
         (if (result i32)
          (if (result i32)
           (i64.eq
            (i64.load8_u offset=1
             (i32.add
              (i32.shl
               (i32.add
                (local.get $0)
                (i32.wrap_i64
                 (local.get $3)
                )
               )
               (i32.const 3)
              )
              (i32.const 192)
             )
            )
            (i64.const 2)
           )
           (then
            (i64.eq
             (i64.load8_u offset=1
              (i32.add
               (i32.shl
                (i32.add
                 (local.get $0)
                 (i32.wrap_i64
                  (local.get $5)
                 )
                )
                (i32.const 3)
               )
               (i32.const 192)
              )
             )
             (i64.const 2)
            )
           )
           (else
            (i32.const 0)
           )
          )
          (then
           (i64.eq
            (i64.load8_u offset=2
             (i32.add
              (i32.shl
               (i32.add
                (local.get $0)
                (i32.wrap_i64
                 (local.get $3)
                )
               )
               (i32.const 3)
              )
              (i32.const 192)
             )
            )
            (i64.load8_u offset=2
             (i32.add
              (i32.shl
               (i32.add
                (local.get $0)
                (i32.wrap_i64
                 (local.get $5)
                )
               )
               (i32.const 3)
              )
              (i32.const 192)
             )
            )
           )
          )
          (else
           (i32.const 0)
          )
         )
        )
       )
       (then
        (return
         (i32.const 39)
        )
       )
      )
     )
    )
    (local.set $3
     (i64.add
      (local.get $3)
      (i64.const 1)
     )
    )
    (br $n_next3)
   )
  )
  (i32.const 0)
 )
 (func $global-liveness (param $0 i32) (param $1 i32) (result i32)
  (local $2 i64)
  (local $3 i64)
  (local $4 i64)
  (block $q_end1
   (br_if $q_end1
    (i64.lt_s
     (local.tee $4
      (i64.sub
       (i64.extend_i32_u
        (local.get $1)
       )
       (i64.const 1)
      )
     )
     (i64.const 0)
    )
   )
   (loop $q_next2
    (if
     (i64.eq
      (i64.load8_u offset=1
       (i32.add
        (i32.shl
         (i32.add
          (local.get $0)
          (i32.wrap_i64
           (local.get $2)
          )
         )
         (i32.const 3)
        )
        (i32.const 192)
       )
      )
      (i64.const 1)
     )
     (then
      (local.set $3
       (i64.const 1)
      )
      (br $q_end1)
     )
    )
    (br_if $q_end1
     (i64.eq
      (local.get $2)
      (local.get $4)
     )
    )
    (local.set $2
     (i64.add
      (local.get $2)
      (i64.const 1)
     )
    )
    (br $q_next2)
   )
  )
  (i32.or
   (i32.wrap_i64
    (local.get $3)
   )
   (block (result i32)
    (local.set $3
     (i64.const 0)
    )
    (local.set $2
     (i64.const 0)
    )
    (block $q_end4
     (br_if $q_end4
      (i64.lt_s
       (local.tee $4
        (i64.sub
         (i64.extend_i32_u
          (local.get $1)
         )
         (i64.const 1)
        )
       )
       (i64.const 0)
      )
     )
     (loop $q_next5
      (if
       (i64.eq
        (i64.load8_u offset=1
         (i32.add
          (i32.shl
           (i32.add
            (local.get $0)
            (i32.wrap_i64
             (local.get $2)
            )
           )
           (i32.const 3)
          )
          (i32.const 192)
         )
        )
        (i64.const 2)
       )
       (then
        (local.set $3
         (i64.const 1)
        )
        (br $q_end4)
       )
      )
      (br_if $q_end4
       (i64.eq
        (local.get $2)
        (local.get $4)
       )
      )
      (local.set $2
       (i64.add
        (local.get $2)
        (i64.const 1)
       )
      )
      (br $q_next5)
     )
    )
    (i32.shl
     (i32.wrap_i64
      (local.get $3)
     )
     (i32.const 1)
    )
   )
  )
 )
 (func $global-agg-size (result i32)
  (i32.const 56)
 )
 (func $global-agg-add (param $0 i32) (param $1 i32) (param $2 i32) (result i32)
  (local $3 i64)
  (local $4 i64)
  (local $5 i64)
  (local.set $4
   (i64.extend_i32_u
    (i64.eq
     (i64.load8_u offset=1
      (i32.add
       (i32.shl
        (local.get $0)
        (i32.const 3)
       )
       (i32.const 192)
      )
     )
     (i64.const 1)
    )
   )
  )
  (block $term_done0
   (i64.store offset=8 align=1
    (local.tee $1
     (i32.add
      (i32.shl
       (local.get $1)
       (i32.const 3)
      )
      (i32.const 192)
     )
    )
    (if (result i64)
     (i32.gt_s
      (local.get $2)
      (i32.const 0)
     )
     (then
      (local.set $3
       (i64.add
        (local.get $4)
        (local.tee $5
         (i64.load offset=8 align=1
          (local.get $1)
         )
        )
       )
      )
      (if
       (i64.lt_s
        (i64.and
         (i64.xor
          (local.get $3)
          (local.get $5)
         )
         (i64.xor
          (local.get $3)
          (local.get $4)
         )
        )
        (i64.const 0)
       )
       (then
        (i64.store align=1
         (local.get $1)
         (i64.const 1)
        )
        (br $term_done0)
       )
      )
      (local.get $3)
     )
     (else
      (local.set $5
       (i64.sub
        (local.tee $3
         (i64.load offset=8 align=1
          (local.get $1)
         )
        )
        (local.get $4)
       )
      )
      (if
       (i64.lt_s
        (i64.and
         (i64.xor
          (local.get $3)
          (local.get $4)
         )
         (i64.xor
          (local.get $3)
          (local.get $5)
         )
        )
        (i64.const 0)
       )
       (then
        (i64.store align=1
         (local.get $1)
         (i64.const 1)
        )
        (br $term_done0)
       )
      )
      (local.get $5)
     )
    )
   )
  )
  (local.set $4
   (i64.extend_i32_u
    (i64.eq
     (i64.load8_u offset=1
      (i32.add
       (i32.shl
        (local.get $0)
        (i32.const 3)
       )
       (i32.const 192)
      )
     )
     (i64.const 2)
    )
   )
  )
  (block $term_done2
   (i64.store offset=32 align=1
    (local.get $1)
    (if (result i64)
     (i32.gt_s
      (local.get $2)
      (i32.const 0)
     )
     (then
      (local.set $3
       (i64.add
        (local.get $4)
        (local.tee $5
         (i64.load offset=32 align=1
          (local.get $1)
         )
        )
       )
      )
      (if
       (i64.lt_s
        (i64.and
         (i64.xor
          (local.get $3)
          (local.get $5)
         )
         (i64.xor
          (local.get $3)
          (local.get $4)
         )
        )
        (i64.const 0)
       )
       (then
        (i64.store align=1
         (local.get $1)
         (i64.const 1)
        )
        (br $term_done2)
       )
      )
      (local.get $3)
     )
     (else
      (local.set $5
       (i64.sub
        (local.tee $3
         (i64.load offset=32 align=1
          (local.get $1)
         )
        )
        (local.get $4)
       )
      )
      (if
       (i64.lt_s
        (i64.and
         (i64.xor
          (local.get $3)
          (local.get $4)
         )
         (i64.xor
          (local.get $3)
          (local.get $5)
         )
        )
        (i64.const 0)
       )
       (then
        (i64.store align=1
         (local.get $1)
         (i64.const 1)
        )
        (br $term_done2)
       )
      )
      (local.get $5)
     )
    )
   )
  )
  (i32.wrap_i64
   (i64.load align=1
    (local.get $1)
   )
  )
 )
 (func $global-check-agg (param $0 i32) (param $1 i32) (param $2 i32) (param $3 i32) (result i32)
  (local $4 i64)
  (local $5 i64)
  (local $6 i64)
  (local $7 i64)
  (local $8 i64)
  (local $9 i64)
  (if
   (i64.ne
    (i64.or
     (i64.or
      (i64.load align=1
       (local.tee $3
        (i32.add
         (i32.shl
          (local.get $3)
          (i32.const 3)
         )
         (i32.const 192)
        )
       )
      )
      (i64.load offset=24 align=1
       (local.get $3)
      )
     )
     (i64.load offset=48 align=1
      (local.get $3)
     )
    )
    (i64.const 0)
   )
   (then
    (return
     (call $global-check
      (local.get $0)
      (local.get $1)
     )
    )
   )
  )
  (if
   (i32.gt_u
    (local.get $1)
    (local.get $2)
   )
   (then
    (block $n_end2
     (local.set $6
      (i64.extend_i32_u
       (local.get $2)
      )
     )
     (loop $n_next3
      (br_if $n_end2
       (i64.ge_u
        (local.get $4)
        (i64.extend_i32_u
         (local.get $1)
        )
       )
      )
      (if
       (i64.eq
        (local.get $4)
        (local.get $6)
       )
       (then
        (block $n_end0
         (local.set $5
          (i64.const 0)
         )
         (loop $n_next1
          (br_if $n_end0
           (i64.ge_u
            (local.get $5)
            (i64.extend_i32_u
             (local.get $1)
            )
           )
          )
          (if
           (select
            (i64.eq
             (local.get $4)
             (local.get $5)
            )
            (i32.const 1)
            (if (result i32)
             (if (result i32)
              (i64.eq
               (i64.load8_u offset=1
                (i32.add
                 (i32.shl
                  (i32.add
                   (local.get $0)
                   (i32.wrap_i64
                    (local.get $4)
                   )
                  )
                  (i32.const 3)
                 )
                 (i32.const 192)
                )
               )
               (i64.const 2)
              )
              (then
               (i64.eq
                (i64.load8_u offset=1
                 (i32.add
                  (i32.shl
                   (i32.add
                    (local.get $0)
                    (i32.wrap_i64
                     (local.get $5)
                    )
                   )
                   (i32.const 3)
                  )
                  (i32.const 192)
                 )
                )
                (i64.const 2)
               )
              )
              (else
               (i32.const 0)
              )
             )
             (then
              (i64.eq
               (i64.load8_u offset=2
                (i32.add
                 (i32.shl
                  (i32.add
                   (local.get $0)
                   (i32.wrap_i64
                    (local.get $4)
                   )
                  )
                  (i32.const 3)
                 )
                 (i32.const 192)
                )
               )
               (i64.load8_u offset=2
                (i32.add
                 (i32.shl
                  (i32.add
                   (local.get $0)
                   (i32.wrap_i64
                    (local.get $5)
                   )
                  )
                  (i32.const 3)
                 )
                 (i32.const 192)
                )
               )
              )
             )
             (else
              (i32.const 0)
             )
            )
           )
           (then
            (local.set $5
             (i64.add
              (local.get $5)
              (i64.const 1)
             )
            )
            (br $n_next1)
           )
           (else
            (return
             (i32.const 39)
            )
           )
          )
         )
        )
       )
       (else
        (if
         (i32.eqz
          (select
           (i64.eq
            (local.get $4)
            (local.get $6)
           )
           (i32.const 1)
           (if (result i32)
            (if (result i32)
             (i64.eq
              (i64.load8_u offset=1
               (i32.add
                (i32.shl
                 (i32.add
                  (local.get $0)
                  (i32.wrap_i64
                   (local.get $4)
                  )
                 )
                 (i32.const 3)
                )
                (i32.const 192)
               )
              )
              (i64.const 2)
             )
             (then
              (i64.eq
               (i64.load8_u offset=1
                (i32.add
                 (i32.shl
                  (i32.add
                   (local.get $0)
                   (i32.wrap_i64
                    (local.get $6)
                   )
                  )
                  (i32.const 3)
                 )
                 (i32.const 192)
                )
               )
               (i64.const 2)
              )
             )
             (else
              (i32.const 0)
             )
            )
            (then
             (i64.eq
              (i64.load8_u offset=2
               (i32.add
                (i32.shl
                 (i32.add
                  (local.get $0)
                  (i32.wrap_i64
                   (local.get $4)
                  )
                 )
                 (i32.const 3)
                )
                (i32.const 192)
               )
              )
              (i64.load8_u offset=2
               (i32.add
                (i32.shl
                 (i32.add
                  (local.get $0)
                  (i32.wrap_i64
                   (local.get $6)
                  )
                 )
                 (i32.const 3)
                )
                (i32.const 192)
               )
              )
             )
            )
            (else
             (i32.const 0)
            )
           )
          )
         )
         (then
          (return
           (i32.const 39)
          )
         )
        )
       )
      )
      (local.set $4
       (i64.add
        (local.get $4)
        (i64.const 1)
       )
      )
      (br $n_next3)
     )
    )
   )
   (else
    (local.set $6
     (i64.const 1)
    )
    (block $q_end4
     (br_if $q_end4
      (i64.lt_s
       (local.tee $8
        (i64.sub
         (i64.extend_i32_u
          (local.get $1)
         )
         (i64.const 1)
        )
       )
       (i64.const 0)
      )
     )
     (loop $q_next5
      (local.set $7
       (i64.const 1)
      )
      (local.set $5
       (i64.const 0)
      )
      (block $q_end6
       (br_if $q_end6
        (i64.lt_s
         (local.tee $9
          (i64.sub
           (i64.extend_i32_u
            (local.get $1)
           )
           (i64.const 1)
          )
         )
         (i64.const 0)
        )
       )
       (loop $q_next7
        (if
         (i32.eqz
          (select
           (i64.eq
            (local.get $4)
            (local.get $5)
           )
           (i32.const 1)
           (if (result i32)
            (if (result i32)
             (i64.eq
              (i64.load8_u offset=1
               (i32.add
                (i32.shl
                 (i32.add
                  (local.get $0)
                  (i32.wrap_i64
                   (local.get $4)
                  )
                 )
                 (i32.const 3)
                )
                (i32.const 192)
               )
              )
              (i64.const 2)
             )
             (then
              (i64.eq
               (i64.load8_u offset=1
                (i32.add
                 (i32.shl
                  (i32.add
                   (local.get $0)
                   (i32.wrap_i64
                    (local.get $5)
                   )
                  )
                  (i32.const 3)
                 )
                 (i32.const 192)
                )
               )
               (i64.const 2)
              )
             )
             (else
              (i32.const 0)
             )
            )
            (then
             (i64.eq
              (i64.load8_u offset=2
               (i32.add
                (i32.shl
                 (i32.add
                  (local.get $0)
                  (i32.wrap_i64
                   (local.get $4)
                  )
                 )
                 (i32.const 3)
                )
                (i32.const 192)
               )
              )
              (i64.load8_u offset=2
               (i32.add
                (i32.shl
                 (i32.add
                  (local.get $0)
                  (i32.wrap_i64
                   (local.get $5)
                  )
                 )
                 (i32.const 3)
                )
                (i32.const 192)
               )
              )
             )
            )
            (else
             (i32.const 0)
            )
           )
          )
         )
         (then
          (local.set $7
           (i64.const 0)
          )
          (br $q_end6)
         )
        )
        (br_if $q_end6
         (i64.eq
          (local.get $5)
          (local.get $9)
         )
        )
        (local.set $5
         (i64.add
          (local.get $5)
          (i64.const 1)
         )
        )
        (br $q_next7)
       )
      )
      (if
       (i64.eqz
        (local.get $7)
       )
       (then
        (local.set $6
         (i64.const 0)
        )
        (br $q_end4)
       )
      )
      (br_if $q_end4
       (i64.eq
        (local.get $4)
        (local.get $8)
       )
      )
      (local.set $4
       (i64.add
        (local.get $4)
        (i64.const 1)
       )
      )
      (br $q_next5)
     )
    )
    (if
     (i64.eqz
      (local.get $6)
     )
     (then
      (return
       (i32.const 39)
      )
     )
    )
   )
  )
  (i32.const 0)
 )
 (func $global-liveness-agg (param $0 i32) (param $1 i32) (param $2 i32) (result i32)
  (if
   (i64.ne
    (i64.or
     (i64.or
      (i64.load align=1
       (local.tee $2
        (i32.add
         (i32.shl
          (local.get $2)
          (i32.const 3)
         )
         (i32.const 192)
        )
       )
      )
      (i64.load offset=24 align=1
       (local.get $2)
      )
     )
     (i64.load offset=48 align=1
      (local.get $2)
     )
    )
    (i64.const 0)
   )
   (then
    (return
     (call $global-liveness
      (local.get $0)
      (local.get $1)
     )
    )
   )
  )
  (i32.or
   (i32.shl
    (i64.ne
     (i64.load offset=32 align=1
      (local.get $2)
     )
     (i64.const 0)
    )
    (i32.const 1)
   )
   (i64.ne
    (i64.load offset=8 align=1
     (local.get $2)
    )
    (i64.const 0)
   )
  )
 )
 (func $global-agg-after (param $0 i32) (param $1 i32) (param $2 i32) (param $3 i32) (param $4 i32) (param $5 i32) (result i32)
  (local.set $5
   (if (result i32)
    (local.get $5)
    (then
     (i32.ne
      (call $global-agg-add
       (i32.add
        (local.get $0)
        (local.get $2)
       )
       (local.get $4)
       (i32.const 1)
      )
      (i32.const 0)
     )
    )
    (else
     (i32.const 0)
    )
   )
  )
  (i32.or
   (i32.or
    (i32.or
     (call $global-check-agg
      (local.get $0)
      (local.get $1)
      (select
       (local.get $2)
       (local.get $1)
       (local.get $3)
      )
      (local.get $4)
     )
     (i32.shl
      (local.get $5)
      (i32.const 15)
     )
    )
    (i32.shl
     (call $liveness
      (i32.add
       (local.get $0)
       (local.get $2)
      )
     )
     (i32.const 16)
    )
   )
   (i32.shl
    (call $global-liveness-agg
     (local.get $0)
     (local.get $1)
     (local.get $4)
    )
    (i32.const 24)
   )
  )
 )
 (func $global-after (param $0 i32) (param $1 i32) (param $2 i32) (param $3 i32) (result i32)
  (i32.or
   (i32.or
    (if (result i32)
     (local.get $3)
     (then
      (call $global-check-node
       (local.get $0)
       (local.get $1)
       (local.get $2)
      )
     )
     (else
      (call $global-check
       (local.get $0)
       (local.get $1)
      )
     )
    )
    (i32.shl
     (call $liveness
      (i32.add
       (local.get $0)
       (local.get $2)
      )
     )
     (i32.const 16)
    )
   )
   (i32.shl
    (call $global-liveness
     (local.get $0)
     (local.get $1)
    )
    (i32.const 24)
   )
  )
 )
 ;; custom section "vigil", size 9995, contents: "{\"abi\":1,\"name\":\"Raft\",\"sourceHash\":\"69d55c73d5cb13fae497eb2def93ecfd881f4cafe5331025258fb90a1a367933\",\"stride\":8,\"slots\":[{\"offset\":0,\"width\":1,\"signed\":false},{\"offset\":1,\"width\":1,\"signed\":false},{\"offset\":2,\"width\":1,\"signed\":false},{\"offset\":3,\"width\":1,\"signed\":false},{\"offset\":4,\"width\":1,\"signed\":false},{\"offset\":5,\"width\":1,\"signed\":false},{\"offset\":6,\"width\":1,\"signed\":false}],\"vars\":[{\"name\":\"self\",\"type\":{\"kind\":\"range\",\"lo\":\"0\",\"hi\":\"3\",\"name\":\"MaybeNode\"},\"base\":0,\"size\":1,\"range\":{\"line\":13,\"column\":3,\"endLine\":13,\"endColumn\":28}},{\"name\":\"role\",\"type\":{\"kind\":\"enum\",\"name\":\"Role\",\"labels\":[\"follower\",\"candidate\",\"leader\"]},\"base\":1,\"size\":1,\"range\":{\"line\":14,\"column\":3,\"endLine\":14,\"endColumn\":30}},{\"name\":\"term\",\"type\":{\"kind\":\"range\",\"lo\":\"0\",\"hi\":\"7\",\"name\":\"Term\"},\"base\":2,\"size\":1,\"range\":{\"line\":15,\"column\":3,\"endLine\":15,\"endColumn\":23}},{\"name\":\"votedFor\",\"type\":{\"kind\":\"range\",\"lo\":\"0\",\"hi\":\"3\",\"name\":\"MaybeNode\"},\"base\":3,\"size\":1,\"range\":{\"line\":16,\"column\":3,\"endLine\":16,\"endColumn\":32}},{\"name\":\"votes\",\"type\":{\"kind\":\"map\",\"key\":{\"kind\":\"range\",\"lo\":\"1\",\"hi\":\"3\",\"name\":\"NodeId\"},\"value\":{\"kind\":\"bool\"}},\"base\":4,\"size\":3,\"range\":{\"line\":17,\"column\":3,\"endLine\":17,\"endColumn\":41}}],\"initial\":[\"0\",\"0\",\"0\",\"0\",\"0\",\"0\",\"0\"],\"actions\":[{\"name\":\"join\",\"stepExport\":\"step-join\",\"checkExport\":\"check-join\",\"params\":[{\"name\":\"id\",\"type\":{\"kind\":\"range\",\"lo\":\"1\",\"hi\":\"3\",\"name\":\"NodeId\"},\"code\":2}],\"range\":{\"line\":19,\"column\":3,\"endLine\":21,\"endColumn\":15}},{\"name\":\"timeout\",\"stepExport\":\"step-timeout\",\"checkExport\":\"check-timeout\",\"params\":[],\"range\":{\"line\":25,\"column\":3,\"endLine\":34,\"endColumn\":26}},{\"name\":\"receiveVote\",\"stepExport\":\"step-receive-vote\",\"checkExport\":\"check-receive-vote\",\"params\":[{\"name\":\"from\",\"type\":{\"kind\":\"range\",\"lo\":\"1\",\"hi\":\"3\",\"name\":\"NodeId\"},\"code\":14},{\"name\":\"t\",\"type\":{\"kind\":\"range\",\"lo\":\"0\",\"hi\":\"7\",\"name\":\"Term\"},\"code\":15}],\"range\":{\"line\":36,\"column\":3,\"endLine\":39,\"endColumn\":24}},{\"name\":\"becomeLeader\",\"stepExport\":\"step-become-leader\",\"checkExport\":\"check-become-leader\",\"params\":[],\"range\":{\"line\":41,\"column\":3,\"endLine\":44,\"endColumn\":19}},{\"name\":\"grantVote\",\"stepExport\":\"step-grant-vote\",\"checkExport\":\"check-grant-vote\",\"params\":[{\"name\":\"c\",\"type\":{\"kind\":\"range\",\"lo\":\"1\",\"hi\":\"3\",\"name\":\"NodeId\"},\"code\":23},{\"name\":\"t\",\"type\":{\"kind\":\"range\",\"lo\":\"0\",\"hi\":\"7\",\"name\":\"Term\"},\"code\":24}],\"range\":{\"line\":47,\"column\":3,\"endLine\":52,\"endColumn\":21}},{\"name\":\"stepDown\",\"stepExport\":\"step-step-down\",\"checkExport\":\"check-step-down\",\"params\":[{\"name\":\"t\",\"type\":{\"kind\":\"range\",\"lo\":\"0\",\"hi\":\"7\",\"name\":\"Term\"},\"code\":29}],\"range\":{\"line\":54,\"column\":3,\"endLine\":58,\"endColumn\":18}}],\"invariants\":[{\"name\":\"TermNeverDecreases\",\"code\":33,\"range\":{\"line\":60,\"column\":3,\"endLine\":61,\"endColumn\":23}},{\"name\":\"OneVotePerTerm\",\"code\":34,\"range\":{\"line\":63,\"column\":3,\"endLine\":64,\"endColumn\":82}},{\"name\":\"LeaderHasQuorum\",\"code\":35,\"range\":{\"line\":66,\"column\":3,\"endLine\":67,\"endColumn\":83}}],\"globalInvariants\":[{\"name\":\"OneLeaderPerTerm\",\"code\":39,\"range\":{\"line\":72,\"column\":3,\"endLine\":73,\"endColumn\":100}}],\"globalSlots\":[1,2],\"liveness\":[{\"name\":\"CandidateResolves\",\"code\":38,\"range\":{\"line\":69,\"column\":3,\"endLine\":70,\"endColumn\":61},\"withinMs\":5000,\"bit\":0}],\"globalLiveness\":[{\"name\":\"LeaderElected\",\"code\":40,\"range\":{\"line\":75,\"column\":3,\"endLine\":76,\"endColumn\":100},\"withinMs\":10000,\"bit\":0}],\"verdicts\":[{\"code\":0,\"kind\":\"ok\",\"item\":\"spec Raft\",\"detail\":\"\",\"range\":{\"line\":5,\"column\":1,\"endLine\":5,\"endColumn\":10}},{\"code\":1,\"kind\":\"unknown_action\",\"item\":\"spec Raft\",\"detail\":\"\",\"range\":{\"line\":5,\"column\":1,\"endLine\":5,\"endColumn\":10}},{\"code\":2,\"kind\":\"bad_argument\",\"item\":\"action join\",\"detail\":\"id\",\"range\":{\"line\":19,\"column\":15,\"endLine\":19,\"endColumn\":17}},{\"code\":3,\"kind\":\"guard_failed\",\"item\":\"action join\",\"detail\":\"require self == 0\",\"range\":{\"line\":20,\"column\":5,\"endLine\":20,\"endColumn\":22}},{\"code\":4,\"kind\":\"range_violation\",\"item\":\"action join\",\"detail\":\"self\",\"range\":{\"line\":21,\"column\":5,\"endLine\":21,\"endColumn\":15}},{\"code\":5,\"kind\":\"guard_failed\",\"item\":\"action timeout\",\"detail\":\"require self != 0\",\"range\":{\"line\":26,\"column\":5,\"endLine\":26,\"endColumn\":22}},{\"code\":6,\"kind\":\"guard_failed\",\"item\":\"action timeout\",\"detail\":\"require role != leader\",\"range\":{\"line\":27,\"column\":5,\"endLine\":27,\"endColumn\":27}},{\"code\":7,\"kind\":\"guard_failed\",\"item\":\"action timeout\",\"detail\":\"require term < MaxTerm\",\"range\":{\"line\":28,\"column\":5,\"endLine\":28,\"endColumn\":27}},{\"code\":8,\"kind\":\"range_violation\",\"item\":\"action timeout\",\"detail\":\"term\",\"range\":{\"line\":30,\"column\":5,\"endLine\":30,\"endColumn\":21}},{\"code\":9,\"kind\":\"arith_error\",\"item\":\"action timeout\",\"detail\":\"term + 1: overflow\",\"range\":{\"line\":30,\"column\":13,\"endLine\":30,\"endColumn\":21}},{\"code\":10,\"kind\":\"range_violation\",\"item\":\"action timeout\",\"detail\":\"votedFor\",\"range\":{\"line\":31,\"column\":5,\"endLine\":31,\"endColumn\":21}},{\"code\":11,\"kind\":\"arith_error\",\"item\":\"action timeout\",\"detail\":\"votes[1]: key out of 'NodeId'\",\"range\":{\"line\":32,\"column\":5,\"endLine\":32,\"endColumn\":13}},{\"code\":12,\"kind\":\"arith_error\",\"item\":\"action timeout\",\"detail\":\"votes[2]: key out of 'NodeId'\",\"range\":{\"line\":33,\"column\":5,\"endLine\":33,\"endColumn\":13}},{\"code\":13,\"kind\":\"arith_error\",\"item\":\"action timeout\",\"detail\":\"votes[3]: key out of 'NodeId'\",\"range\":{\"line\":34,\"column\":5,\"endLine\":34,\"endColumn\":13}},{\"code\":14,\"kind\":\"bad_argument\",\"item\":\"action receiveVote\",\"detail\":\"from\",\"range\":{\"line\":36,\"column\":22,\"endLine\":36,\"endColumn\":26}},{\"code\":15,\"kind\":\"bad_argument\",\"item\":\"action receiveVote\",\"detail\":\"t\",\"range\":{\"line\":36,\"column\":36,\"endLine\":36,\"endColumn\":37}},{\"code\":16,\"kind\":\"guard_failed\",\"item\":\"action receiveVote\",\"detail\":\"require role == candidate\",\"range\":{\"line\":37,\"column\":5,\"endLine\":37,\"endColumn\":30}},{\"code\":17,\"kind\":\"guard_failed\",\"item\":\"action receiveVote\",\"detail\":\"require t == term\",\"range\":{\"line\":38,\"column\":5,\"endLine\":38,\"endColumn\":22}},{\"code\":18,\"kind\":\"arith_error\",\"item\":\"action receiveVote\",\"detail\":\"votes[from]: key out of 'NodeId'\",\"range\":{\"line\":39,\"column\":5,\"endLine\":39,\"endColumn\":16}},{\"code\":19,\"kind\":\"guard_failed\",\"item\":\"action becomeLeader\",\"detail\":\"require role == candidate\",\"range\":{\"line\":42,\"column\":5,\"endLine\":42,\"endColumn\":30}},{\"code\":20,\"kind\":\"guard_failed\",\"item\":\"action becomeLeader\",\"detail\":\"require count(n: NodeId: votes[n]) * 2 > N\",\"range\":{\"line\":43,\"column\":5,\"endLine\":43,\"endColumn\":47}},{\"code\":21,\"kind\":\"arith_error\",\"item\":\"action becomeLeader\",\"detail\":\"count(n: NodeId: votes[n]) * 2: overflow\",\"range\":{\"line\":43,\"column\":13,\"endLine\":43,\"endColumn\":43}},{\"code\":22,\"kind\":\"arith_error\",\"item\":\"action becomeLeader\",\"detail\":\"votes[n]: key out of 'NodeId'\",\"range\":{\"line\":43,\"column\":30,\"endLine\":43,\"endColumn\":38}},{\"code\":23,\"kind\":\"bad_argument\",\"item\":\"action grantVote\",\"detail\":\"c\",\"range\":{\"line\":47,\"column\":20,\"endLine\":47,\"endColumn\":21}},{\"code\":24,\"kind\":\"bad_argument\",\"item\":\"action grantVote\",\"detail\":\"t\",\"range\":{\"line\":47,\"column\":31,\"endLine\":47,\"endColumn\":32}},{\"code\":25,\"kind\":\"guard_failed\",\"item\":\"action grantVote\",\"detail\":\"require self != 0 and c != self\",\"range\":{\"line\":48,\"column\":5,\"endLine\":48,\"endColumn\":36}},{\"code\":26,\"kind\":\"guard_failed\",\"item\":\"action grantVote\",\"detail\":\"require t > term or (t == term and role == follower and (votedFor == 0 or votedFor == c))\",\"range\":{\"line\":49,\"column\":5,\"endLine\":49,\"endColumn\":94}},{\"code\":27,\"kind\":\"range_violation\",\"item\":\"action grantVote\",\"detail\":\"term\",\"range\":{\"line\":50,\"column\":5,\"endLine\":50,\"endColumn\":14}},{\"code\":28,\"kind\":\"range_violation\",\"item\":\"action grantVote\",\"detail\":\"votedFor\",\"range\":{\"line\":51,\"column\":5,\"endLine\":51,\"endColumn\":18}},{\"code\":29,\"kind\":\"bad_argument\",\"item\":\"action stepDown\",\"detail\":\"t\",\"range\":{\"line\":54,\"column\":19,\"endLine\":54,\"endColumn\":20}},{\"code\":30,\"kind\":\"guard_failed\",\"item\":\"action stepDown\",\"detail\":\"require t > term\",\"range\":{\"line\":55,\"column\":5,\"endLine\":55,\"endColumn\":21}},{\"code\":31,\"kind\":\"range_violation\",\"item\":\"action stepDown\",\"detail\":\"term\",\"range\":{\"line\":56,\"column\":5,\"endLine\":56,\"endColumn\":14}},{\"code\":32,\"kind\":\"range_violation\",\"item\":\"action stepDown\",\"detail\":\"votedFor\",\"range\":{\"line\":58,\"column\":5,\"endLine\":58,\"endColumn\":18}},{\"code\":33,\"kind\":\"invariant_failed\",\"item\":\"invariant TermNeverDecreases\",\"detail\":\"term >= prev(term)\",\"range\":{\"line\":60,\"column\":3,\"endLine\":61,\"endColumn\":23}},{\"code\":34,\"kind\":\"invariant_failed\",\"item\":\"invariant OneVotePerTerm\",\"detail\":\"term == prev(term) and prev(votedFor) != 0 implies votedFor == prev(votedFor)\",\"range\":{\"line\":63,\"column\":3,\"endLine\":64,\"endColumn\":82}},{\"code\":35,\"kind\":\"invariant_failed\",\"item\":\"invariant LeaderHasQuorum\",\"detail\":\"role == leader implies count(n: NodeId: votes[n]) * 2 > N and votedFor == self\",\"range\":{\"line\":66,\"column\":3,\"endLine\":67,\"endColumn\":83}},{\"code\":36,\"kind\":\"arith_error\",\"item\":\"invariant LeaderHasQuorum\",\"detail\":\"count(n: NodeId: votes[n]) * 2: overflow\",\"range\":{\"line\":67,\"column\":28,\"endLine\":67,\"endColumn\":58}},{\"code\":37,\"kind\":\"arith_error\",\"item\":\"invariant LeaderHasQuorum\",\"detail\":\"votes[n]: key out of 'NodeId'\",\"range\":{\"line\":67,\"column\":45,\"endLine\":67,\"endColumn\":53}},{\"code\":38,\"kind\":\"liveness_timeout\",\"item\":\"liveness CandidateResolves\",\"detail\":\"when role == candidate then eventually role != candidate\",\"range\":{\"line\":69,\"column\":3,\"endLine\":70,\"endColumn\":61}},{\"code\":39,\"kind\":\"invariant_failed\",\"item\":\"global invariant OneLeaderPerTerm\",\"detail\":\"forall a, b in nodes: a.role == leader and b.role == leader and a.term == b.term implies a == b\",\"range\":{\"line\":72,\"column\":3,\"endLine\":73,\"endColumn\":100}},{\"code\":40,\"kind\":\"liveness_timeout\",\"item\":\"global liveness LeaderElected\",\"detail\":\"when exists n in nodes: n.role == candidate then eventually exists n in nodes: n.role == leader\",\"range\":{\"line\":75,\"column\":3,\"endLine\":76,\"endColumn\":100}}],\"range\":{\"line\":5,\"column\":1,\"endLine\":5,\"endColumn\":10}}"
)
