(module
 (type $0 (func (param i32 f64) (result i32)))
 (type $1 (func (param i32) (result i32)))
 (type $2 (func (param i32 i32 i32) (result i32)))
 (type $3 (func (result i32)))
 (type $4 (func (param i32 i32 f64) (result i32)))
 (type $5 (func (param i32 i32) (result i32)))
 (type $6 (func (param i32 i32 i32 i32) (result i32)))
 (type $7 (func (param i32)))
 (type $8 (func (param i32 i32) (result i64)))
 (type $9 (func (param i32 i32 i64) (result i32)))
 (type $10 (func (param i32 i32 i32 i32 i32 i32) (result i32)))
 (global $instance_count (mut i32) (i32.const 0))
 (memory $0 1 65536)
 (data $0 (i32.const 23) "\80\ff\ff\ff\ff\ff\ff\ff\7f\00\00\00\00\08\01")
 (data $0.1 (i32.const 47) "\80\ff\ff\ff\ff\ff\ff\ff\7f\08\00\00\00\08\01\00\00\f8\ff\ff\ff\ff\ff\ff\ff\08\00\00\00\00\00\00\00\10\00\00\00\01\01\00\00\f8\ff\ff\ff\ff\ff\ff\ff\08\00\00\00\00\00\00\00\11\00\00\00\01\01\00\00\f8\ff\ff\ff\ff\ff\ff\ff\08\00\00\00\00\00\00\00\12\00\00\00\01\01\00\00\f8\ff\ff\ff\ff\ff\ff\ff\08\00\00\00\00\00\00\00\13\00\00\00\01\01\00\00\f8\ff\ff\ff\ff\ff\ff\ff\08\00\00\00\00\00\00\00\14\00\00\00\01\01")
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
 (export "step-put" (func $step-put))
 (export "check-put" (func $check-put))
 (export "step-add" (func $step-add))
 (export "check-add" (func $check-add))
 (export "step-mul" (func $step-mul))
 (export "check-mul" (func $check-mul))
 (export "step-div" (func $step-div))
 (export "check-div" (func $check-div))
 (export "step-rem" (func $step-rem))
 (export "check-rem" (func $check-rem))
 (export "step-negate" (func $step-negate))
 (export "check-negate" (func $check-negate))
 (export "step-safe-div" (func $step-safe-div))
 (export "check-safe-div" (func $check-safe-div))
 (export "step-store" (func $step-store))
 (export "check-store" (func $check-store))
 (export "step-swap-last" (func $step-swap-last))
 (export "check-swap-last" (func $check-swap-last))
 (export "step-spread" (func $step-spread))
 (export "check-spread" (func $check-spread))
 (export "step-shift" (func $step-shift))
 (export "check-shift" (func $check-shift))
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
      (i64.mul
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
       (i64.const 24)
      )
      (i64.const 256)
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
     (memory.copy
      (i32.add
       (i32.mul
        (local.get $0)
        (i32.const 24)
       )
       (i32.const 256)
      )
      (i32.const 184)
      (i32.const 24)
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
    (memory.copy
     (i32.add
      (i32.mul
       (local.get $0)
       (i32.const 24)
      )
      (i32.const 256)
     )
     (i32.const 184)
     (i32.const 24)
    )
   )
  )
 )
 (func $instance-count (result i32)
  (global.get $instance_count)
 )
 (func $state-ptr (param $0 i32) (result i32)
  (i32.add
   (i32.mul
    (local.get $0)
    (i32.const 24)
   )
   (i32.const 256)
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
     (i32.mul
      (local.get $0)
      (i32.const 24)
     )
     (i32.const 256)
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
     (i32.mul
      (local.get $0)
      (i32.const 24)
     )
     (i32.const 256)
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
 (func $step-put (param $0 i32) (param $1 f64) (result i32)
  (local $2 i64)
  (local $3 i64)
  (local $4 i64)
  (local $5 i64)
  (local.set $0
   (i32.add
    (i32.mul
     (local.get $0)
     (i32.const 24)
    )
    (i32.const 256)
   )
  )
  (if
   (i32.eqz
    (i32.and
     (i32.and
      (f64.lt
       (local.get $1)
       (f64.const 9223372036854775808)
      )
      (f64.ge
       (local.get $1)
       (f64.const -9223372036854775808)
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
  (local.set $3
   (i64.const -2)
  )
  (loop $q_next1
   (if
    (i64.lt_s
     (i64.and
      (i64.xor
       (local.get $2)
       (local.tee $2
        (i64.add
         (local.tee $5
          (i64.load8_s offset=16
           (i32.add
            (local.get $0)
            (i32.wrap_i64
             (i64.add
              (local.get $3)
              (i64.const 2)
             )
            )
           )
          )
         )
         (local.get $2)
        )
       )
      )
      (i64.xor
       (local.get $2)
       (local.get $5)
      )
     )
     (i64.const 0)
    )
    (then
     (return
      (i32.const 36)
     )
    )
   )
   (if
    (i32.eqz
     (i64.eq
      (local.get $3)
      (i64.const 2)
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
   (i64.gt_s
    (local.get $2)
    (i64.const 30)
   )
   (then
    (return
     (i32.const 35)
    )
   )
  )
  (if
   (i64.eq
    (i64.rem_s
     (i64.load offset=8
      (local.get $0)
     )
     (i64.const 1000)
    )
    (i64.const 7)
   )
   (then
    (return
     (i32.const 38)
    )
   )
  )
  (i64.store
   (local.get $0)
   (local.get $4)
  )
  (i32.const 0)
 )
 (func $check-put (param $0 i32) (param $1 f64) (result i32)
  (local $2 i64)
  (local $3 i64)
  (local $4 i64)
  (local.set $0
   (i32.add
    (i32.mul
     (local.get $0)
     (i32.const 24)
    )
    (i32.const 256)
   )
  )
  (if
   (i32.eqz
    (i32.and
     (i32.and
      (f64.lt
       (local.get $1)
       (f64.const 9223372036854775808)
      )
      (f64.ge
       (local.get $1)
       (f64.const -9223372036854775808)
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
  (drop
   (i64.trunc_f64_s
    (local.get $1)
   )
  )
  (local.set $3
   (i64.const -2)
  )
  (loop $q_next1
   (if
    (i64.lt_s
     (i64.and
      (i64.xor
       (local.get $2)
       (local.tee $2
        (i64.add
         (local.tee $4
          (i64.load8_s offset=16
           (i32.add
            (local.get $0)
            (i32.wrap_i64
             (i64.add
              (local.get $3)
              (i64.const 2)
             )
            )
           )
          )
         )
         (local.get $2)
        )
       )
      )
      (i64.xor
       (local.get $2)
       (local.get $4)
      )
     )
     (i64.const 0)
    )
    (then
     (return
      (i32.const 36)
     )
    )
   )
   (if
    (i32.eqz
     (i64.eq
      (local.get $3)
      (i64.const 2)
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
   (i64.gt_s
    (local.get $2)
    (i64.const 30)
   )
   (then
    (return
     (i32.const 35)
    )
   )
  )
  (if
   (i64.eq
    (i64.rem_s
     (i64.load offset=8
      (local.get $0)
     )
     (i64.const 1000)
    )
    (i64.const 7)
   )
   (then
    (return
     (i32.const 38)
    )
   )
  )
  (i32.const 0)
 )
 (func $step-add (param $0 i32) (param $1 f64) (result i32)
  (local $2 i64)
  (local $3 i64)
  (local $4 i64)
  (local $5 i64)
  (local.set $0
   (i32.add
    (i32.mul
     (local.get $0)
     (i32.const 24)
    )
    (i32.const 256)
   )
  )
  (if
   (i32.eqz
    (i32.and
     (i32.and
      (f64.lt
       (local.get $1)
       (f64.const 9223372036854775808)
      )
      (f64.ge
       (local.get $1)
       (f64.const -9223372036854775808)
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
     (i32.const 3)
    )
   )
  )
  (local.set $2
   (i64.add
    (local.tee $3
     (i64.load
      (local.get $0)
     )
    )
    (local.tee $4
     (i64.trunc_f64_s
      (local.get $1)
     )
    )
   )
  )
  (if
   (i64.lt_s
    (i64.and
     (i64.xor
      (local.get $2)
      (local.get $3)
     )
     (i64.xor
      (local.get $2)
      (local.get $4)
     )
    )
    (i64.const 0)
   )
   (then
    (return
     (i32.const 4)
    )
   )
  )
  (local.set $4
   (local.get $2)
  )
  (local.set $2
   (i64.const 0)
  )
  (local.set $3
   (i64.const -2)
  )
  (loop $q_next1
   (if
    (i64.lt_s
     (i64.and
      (i64.xor
       (local.get $2)
       (local.tee $2
        (i64.add
         (local.tee $5
          (i64.load8_s offset=16
           (i32.add
            (local.get $0)
            (i32.wrap_i64
             (i64.add
              (local.get $3)
              (i64.const 2)
             )
            )
           )
          )
         )
         (local.get $2)
        )
       )
      )
      (i64.xor
       (local.get $2)
       (local.get $5)
      )
     )
     (i64.const 0)
    )
    (then
     (return
      (i32.const 36)
     )
    )
   )
   (if
    (i32.eqz
     (i64.eq
      (local.get $3)
      (i64.const 2)
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
   (i64.gt_s
    (local.get $2)
    (i64.const 30)
   )
   (then
    (return
     (i32.const 35)
    )
   )
  )
  (if
   (i64.eq
    (i64.rem_s
     (i64.load offset=8
      (local.get $0)
     )
     (i64.const 1000)
    )
    (i64.const 7)
   )
   (then
    (return
     (i32.const 38)
    )
   )
  )
  (i64.store
   (local.get $0)
   (local.get $4)
  )
  (i32.const 0)
 )
 (func $check-add (param $0 i32) (param $1 f64) (result i32)
  (local $2 i64)
  (local $3 i64)
  (local $4 i64)
  (local.set $0
   (i32.add
    (i32.mul
     (local.get $0)
     (i32.const 24)
    )
    (i32.const 256)
   )
  )
  (if
   (i32.eqz
    (i32.and
     (i32.and
      (f64.lt
       (local.get $1)
       (f64.const 9223372036854775808)
      )
      (f64.ge
       (local.get $1)
       (f64.const -9223372036854775808)
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
     (i32.const 3)
    )
   )
  )
  (local.set $2
   (i64.add
    (local.tee $3
     (i64.load
      (local.get $0)
     )
    )
    (local.tee $4
     (i64.trunc_f64_s
      (local.get $1)
     )
    )
   )
  )
  (if
   (i64.lt_s
    (i64.and
     (i64.xor
      (local.get $2)
      (local.get $3)
     )
     (i64.xor
      (local.get $2)
      (local.get $4)
     )
    )
    (i64.const 0)
   )
   (then
    (return
     (i32.const 4)
    )
   )
  )
  (local.set $2
   (i64.const 0)
  )
  (local.set $3
   (i64.const -2)
  )
  (loop $q_next1
   (if
    (i64.lt_s
     (i64.and
      (i64.xor
       (local.get $2)
       (local.tee $2
        (i64.add
         (local.tee $4
          (i64.load8_s offset=16
           (i32.add
            (local.get $0)
            (i32.wrap_i64
             (i64.add
              (local.get $3)
              (i64.const 2)
             )
            )
           )
          )
         )
         (local.get $2)
        )
       )
      )
      (i64.xor
       (local.get $2)
       (local.get $4)
      )
     )
     (i64.const 0)
    )
    (then
     (return
      (i32.const 36)
     )
    )
   )
   (if
    (i32.eqz
     (i64.eq
      (local.get $3)
      (i64.const 2)
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
   (i64.gt_s
    (local.get $2)
    (i64.const 30)
   )
   (then
    (return
     (i32.const 35)
    )
   )
  )
  (if
   (i64.eq
    (i64.rem_s
     (i64.load offset=8
      (local.get $0)
     )
     (i64.const 1000)
    )
    (i64.const 7)
   )
   (then
    (return
     (i32.const 38)
    )
   )
  )
  (i32.const 0)
 )
 (func $step-mul (param $0 i32) (param $1 f64) (result i32)
  (local $2 i64)
  (local $3 i64)
  (local $4 i64)
  (local $5 i64)
  (local.set $0
   (i32.add
    (i32.mul
     (local.get $0)
     (i32.const 24)
    )
    (i32.const 256)
   )
  )
  (if
   (i32.eqz
    (i32.and
     (i32.and
      (f64.lt
       (local.get $1)
       (f64.const 9223372036854775808)
      )
      (f64.ge
       (local.get $1)
       (f64.const -9223372036854775808)
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
     (i32.const 5)
    )
   )
  )
  (local.set $4
   (i64.mul
    (local.tee $2
     (i64.load
      (local.get $0)
     )
    )
    (local.tee $3
     (i64.trunc_f64_s
      (local.get $1)
     )
    )
   )
  )
  (if
   (i32.and
    (i32.eqz
     (i32.and
      (i64.eq
       (i64.extend32_s
        (local.get $2)
       )
       (local.get $2)
      )
      (i64.eq
       (i64.extend32_s
        (local.get $3)
       )
       (local.get $3)
      )
     )
    )
    (i64.ne
     (local.get $2)
     (i64.const 0)
    )
   )
   (then
    (if
     (i64.eq
      (local.get $2)
      (i64.const -1)
     )
     (then
      (if
       (i64.eq
        (local.get $3)
        (i64.const -9223372036854775808)
       )
       (then
        (return
         (i32.const 6)
        )
       )
      )
     )
     (else
      (if
       (i64.ne
        (i64.div_s
         (local.get $4)
         (local.get $2)
        )
        (local.get $3)
       )
       (then
        (return
         (i32.const 6)
        )
       )
      )
     )
    )
   )
  )
  (local.set $2
   (i64.const 0)
  )
  (local.set $3
   (i64.const -2)
  )
  (loop $q_next1
   (if
    (i64.lt_s
     (i64.and
      (i64.xor
       (local.get $2)
       (local.tee $2
        (i64.add
         (local.tee $5
          (i64.load8_s offset=16
           (i32.add
            (local.get $0)
            (i32.wrap_i64
             (i64.add
              (local.get $3)
              (i64.const 2)
             )
            )
           )
          )
         )
         (local.get $2)
        )
       )
      )
      (i64.xor
       (local.get $2)
       (local.get $5)
      )
     )
     (i64.const 0)
    )
    (then
     (return
      (i32.const 36)
     )
    )
   )
   (if
    (i32.eqz
     (i64.eq
      (local.get $3)
      (i64.const 2)
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
   (i64.gt_s
    (local.get $2)
    (i64.const 30)
   )
   (then
    (return
     (i32.const 35)
    )
   )
  )
  (if
   (i64.eq
    (i64.rem_s
     (i64.load offset=8
      (local.get $0)
     )
     (i64.const 1000)
    )
    (i64.const 7)
   )
   (then
    (return
     (i32.const 38)
    )
   )
  )
  (i64.store
   (local.get $0)
   (local.get $4)
  )
  (i32.const 0)
 )
 (func $check-mul (param $0 i32) (param $1 f64) (result i32)
  (local $2 i64)
  (local $3 i64)
  (local $4 i64)
  (local.set $0
   (i32.add
    (i32.mul
     (local.get $0)
     (i32.const 24)
    )
    (i32.const 256)
   )
  )
  (if
   (i32.eqz
    (i32.and
     (i32.and
      (f64.lt
       (local.get $1)
       (f64.const 9223372036854775808)
      )
      (f64.ge
       (local.get $1)
       (f64.const -9223372036854775808)
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
     (i32.const 5)
    )
   )
  )
  (local.set $4
   (i64.mul
    (local.tee $2
     (i64.load
      (local.get $0)
     )
    )
    (local.tee $3
     (i64.trunc_f64_s
      (local.get $1)
     )
    )
   )
  )
  (if
   (i32.and
    (i32.eqz
     (i32.and
      (i64.eq
       (i64.extend32_s
        (local.get $2)
       )
       (local.get $2)
      )
      (i64.eq
       (i64.extend32_s
        (local.get $3)
       )
       (local.get $3)
      )
     )
    )
    (i64.ne
     (local.get $2)
     (i64.const 0)
    )
   )
   (then
    (if
     (i64.eq
      (local.get $2)
      (i64.const -1)
     )
     (then
      (if
       (i64.eq
        (local.get $3)
        (i64.const -9223372036854775808)
       )
       (then
        (return
         (i32.const 6)
        )
       )
      )
     )
     (else
      (if
       (i64.ne
        (i64.div_s
         (local.get $4)
         (local.get $2)
        )
        (local.get $3)
       )
       (then
        (return
         (i32.const 6)
        )
       )
      )
     )
    )
   )
  )
  (local.set $2
   (i64.const 0)
  )
  (local.set $3
   (i64.const -2)
  )
  (loop $q_next1
   (if
    (i64.lt_s
     (i64.and
      (i64.xor
       (local.get $2)
       (local.tee $2
        (i64.add
         (local.tee $4
          (i64.load8_s offset=16
           (i32.add
            (local.get $0)
            (i32.wrap_i64
             (i64.add
              (local.get $3)
              (i64.const 2)
             )
            )
           )
          )
         )
         (local.get $2)
        )
       )
      )
      (i64.xor
       (local.get $2)
       (local.get $4)
      )
     )
     (i64.const 0)
    )
    (then
     (return
      (i32.const 36)
     )
    )
   )
   (if
    (i32.eqz
     (i64.eq
      (local.get $3)
      (i64.const 2)
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
   (i64.gt_s
    (local.get $2)
    (i64.const 30)
   )
   (then
    (return
     (i32.const 35)
    )
   )
  )
  (if
   (i64.eq
    (i64.rem_s
     (i64.load offset=8
      (local.get $0)
     )
     (i64.const 1000)
    )
    (i64.const 7)
   )
   (then
    (return
     (i32.const 38)
    )
   )
  )
  (i32.const 0)
 )
 (func $step-div (param $0 i32) (param $1 f64) (result i32)
  (local $2 i64)
  (local $3 i64)
  (local $4 i64)
  (local $5 i64)
  (local $6 i64)
  (local.set $0
   (i32.add
    (i32.mul
     (local.get $0)
     (i32.const 24)
    )
    (i32.const 256)
   )
  )
  (if
   (i32.eqz
    (i32.and
     (i32.and
      (f64.lt
       (local.get $1)
       (f64.const 9223372036854775808)
      )
      (f64.ge
       (local.get $1)
       (f64.const -9223372036854775808)
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
     (i32.const 7)
    )
   )
  )
  (local.set $3
   (i64.load
    (local.get $0)
   )
  )
  (if
   (i64.eqz
    (local.tee $2
     (i64.trunc_f64_s
      (local.get $1)
     )
    )
   )
   (then
    (return
     (i32.const 8)
    )
   )
  )
  (local.set $4
   (i64.rem_s
    (local.get $3)
    (local.get $2)
   )
  )
  (local.set $3
   (i64.load
    (local.get $0)
   )
  )
  (if
   (i64.eqz
    (local.get $2)
   )
   (then
    (return
     (i32.const 9)
    )
   )
  )
  (if
   (i32.and
    (i64.eq
     (local.get $3)
     (i64.const -9223372036854775808)
    )
    (i64.eq
     (local.get $2)
     (i64.const -1)
    )
   )
   (then
    (return
     (i32.const 9)
    )
   )
  )
  (local.set $5
   (i64.div_s
    (local.get $3)
    (local.get $2)
   )
  )
  (local.set $2
   (i64.const 0)
  )
  (local.set $3
   (i64.const -2)
  )
  (loop $q_next1
   (if
    (i64.lt_s
     (i64.and
      (i64.xor
       (local.get $2)
       (local.tee $2
        (i64.add
         (local.tee $6
          (i64.load8_s offset=16
           (i32.add
            (local.get $0)
            (i32.wrap_i64
             (i64.add
              (local.get $3)
              (i64.const 2)
             )
            )
           )
          )
         )
         (local.get $2)
        )
       )
      )
      (i64.xor
       (local.get $2)
       (local.get $6)
      )
     )
     (i64.const 0)
    )
    (then
     (return
      (i32.const 36)
     )
    )
   )
   (if
    (i32.eqz
     (i64.eq
      (local.get $3)
      (i64.const 2)
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
   (i64.gt_s
    (local.get $2)
    (i64.const 30)
   )
   (then
    (return
     (i32.const 35)
    )
   )
  )
  (if
   (i64.eq
    (i64.rem_s
     (local.get $4)
     (i64.const 1000)
    )
    (i64.const 7)
   )
   (then
    (return
     (i32.const 38)
    )
   )
  )
  (i64.store offset=8
   (local.get $0)
   (local.get $4)
  )
  (i64.store
   (local.get $0)
   (local.get $5)
  )
  (i32.const 0)
 )
 (func $check-div (param $0 i32) (param $1 f64) (result i32)
  (local $2 i64)
  (local $3 i64)
  (local $4 i64)
  (local $5 i64)
  (local.set $0
   (i32.add
    (i32.mul
     (local.get $0)
     (i32.const 24)
    )
    (i32.const 256)
   )
  )
  (if
   (i32.eqz
    (i32.and
     (i32.and
      (f64.lt
       (local.get $1)
       (f64.const 9223372036854775808)
      )
      (f64.ge
       (local.get $1)
       (f64.const -9223372036854775808)
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
     (i32.const 7)
    )
   )
  )
  (local.set $3
   (i64.load
    (local.get $0)
   )
  )
  (if
   (i64.eqz
    (local.tee $2
     (i64.trunc_f64_s
      (local.get $1)
     )
    )
   )
   (then
    (return
     (i32.const 8)
    )
   )
  )
  (local.set $4
   (i64.rem_s
    (local.get $3)
    (local.get $2)
   )
  )
  (local.set $3
   (i64.load
    (local.get $0)
   )
  )
  (if
   (i64.eqz
    (local.get $2)
   )
   (then
    (return
     (i32.const 9)
    )
   )
  )
  (if
   (i32.and
    (i64.eq
     (local.get $3)
     (i64.const -9223372036854775808)
    )
    (i64.eq
     (local.get $2)
     (i64.const -1)
    )
   )
   (then
    (return
     (i32.const 9)
    )
   )
  )
  (drop
   (i64.div_s
    (local.get $3)
    (local.get $2)
   )
  )
  (local.set $2
   (i64.const 0)
  )
  (local.set $3
   (i64.const -2)
  )
  (loop $q_next1
   (if
    (i64.lt_s
     (i64.and
      (i64.xor
       (local.get $2)
       (local.tee $2
        (i64.add
         (local.tee $5
          (i64.load8_s offset=16
           (i32.add
            (local.get $0)
            (i32.wrap_i64
             (i64.add
              (local.get $3)
              (i64.const 2)
             )
            )
           )
          )
         )
         (local.get $2)
        )
       )
      )
      (i64.xor
       (local.get $2)
       (local.get $5)
      )
     )
     (i64.const 0)
    )
    (then
     (return
      (i32.const 36)
     )
    )
   )
   (if
    (i32.eqz
     (i64.eq
      (local.get $3)
      (i64.const 2)
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
   (i64.gt_s
    (local.get $2)
    (i64.const 30)
   )
   (then
    (return
     (i32.const 35)
    )
   )
  )
  (if
   (i64.eq
    (i64.rem_s
     (local.get $4)
     (i64.const 1000)
    )
    (i64.const 7)
   )
   (then
    (return
     (i32.const 38)
    )
   )
  )
  (i32.const 0)
 )
 (func $step-rem (param $0 i32) (param $1 f64) (result i32)
  (local $2 i64)
  (local $3 i64)
  (local $4 i64)
  (local $5 i64)
  (local.set $0
   (i32.add
    (i32.mul
     (local.get $0)
     (i32.const 24)
    )
    (i32.const 256)
   )
  )
  (if
   (i32.eqz
    (i32.and
     (i32.and
      (f64.lt
       (local.get $1)
       (f64.const 9223372036854775808)
      )
      (f64.ge
       (local.get $1)
       (f64.const -9223372036854775808)
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
     (i32.const 10)
    )
   )
  )
  (local.set $2
   (i64.load
    (local.get $0)
   )
  )
  (if
   (i64.eqz
    (local.tee $3
     (i64.trunc_f64_s
      (local.get $1)
     )
    )
   )
   (then
    (return
     (i32.const 11)
    )
   )
  )
  (local.set $4
   (i64.rem_s
    (local.get $2)
    (local.get $3)
   )
  )
  (local.set $2
   (i64.const 0)
  )
  (local.set $3
   (i64.const -2)
  )
  (loop $q_next1
   (if
    (i64.lt_s
     (i64.and
      (i64.xor
       (local.get $2)
       (local.tee $2
        (i64.add
         (local.tee $5
          (i64.load8_s offset=16
           (i32.add
            (local.get $0)
            (i32.wrap_i64
             (i64.add
              (local.get $3)
              (i64.const 2)
             )
            )
           )
          )
         )
         (local.get $2)
        )
       )
      )
      (i64.xor
       (local.get $2)
       (local.get $5)
      )
     )
     (i64.const 0)
    )
    (then
     (return
      (i32.const 36)
     )
    )
   )
   (if
    (i32.eqz
     (i64.eq
      (local.get $3)
      (i64.const 2)
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
   (i64.gt_s
    (local.get $2)
    (i64.const 30)
   )
   (then
    (return
     (i32.const 35)
    )
   )
  )
  (if
   (i64.eq
    (i64.rem_s
     (i64.load offset=8
      (local.get $0)
     )
     (i64.const 1000)
    )
    (i64.const 7)
   )
   (then
    (return
     (i32.const 38)
    )
   )
  )
  (i64.store
   (local.get $0)
   (local.get $4)
  )
  (i32.const 0)
 )
 (func $check-rem (param $0 i32) (param $1 f64) (result i32)
  (local $2 i64)
  (local $3 i64)
  (local $4 i64)
  (local.set $0
   (i32.add
    (i32.mul
     (local.get $0)
     (i32.const 24)
    )
    (i32.const 256)
   )
  )
  (if
   (i32.eqz
    (i32.and
     (i32.and
      (f64.lt
       (local.get $1)
       (f64.const 9223372036854775808)
      )
      (f64.ge
       (local.get $1)
       (f64.const -9223372036854775808)
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
     (i32.const 10)
    )
   )
  )
  (local.set $2
   (i64.load
    (local.get $0)
   )
  )
  (if
   (i64.eqz
    (local.tee $3
     (i64.trunc_f64_s
      (local.get $1)
     )
    )
   )
   (then
    (return
     (i32.const 11)
    )
   )
  )
  (drop
   (i64.rem_s
    (local.get $2)
    (local.get $3)
   )
  )
  (local.set $2
   (i64.const 0)
  )
  (local.set $3
   (i64.const -2)
  )
  (loop $q_next1
   (if
    (i64.lt_s
     (i64.and
      (i64.xor
       (local.get $2)
       (local.tee $2
        (i64.add
         (local.tee $4
          (i64.load8_s offset=16
           (i32.add
            (local.get $0)
            (i32.wrap_i64
             (i64.add
              (local.get $3)
              (i64.const 2)
             )
            )
           )
          )
         )
         (local.get $2)
        )
       )
      )
      (i64.xor
       (local.get $2)
       (local.get $4)
      )
     )
     (i64.const 0)
    )
    (then
     (return
      (i32.const 36)
     )
    )
   )
   (if
    (i32.eqz
     (i64.eq
      (local.get $3)
      (i64.const 2)
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
   (i64.gt_s
    (local.get $2)
    (i64.const 30)
   )
   (then
    (return
     (i32.const 35)
    )
   )
  )
  (if
   (i64.eq
    (i64.rem_s
     (i64.load offset=8
      (local.get $0)
     )
     (i64.const 1000)
    )
    (i64.const 7)
   )
   (then
    (return
     (i32.const 38)
    )
   )
  )
  (i32.const 0)
 )
 (func $step-negate (param $0 i32) (result i32)
  (local $1 i64)
  (local $2 i64)
  (local $3 i64)
  (local $4 i64)
  (if
   (i64.eq
    (local.tee $1
     (i64.load
      (local.tee $0
       (i32.add
        (i32.mul
         (local.get $0)
         (i32.const 24)
        )
        (i32.const 256)
       )
      )
     )
    )
    (i64.const -9223372036854775808)
   )
   (then
    (return
     (i32.const 12)
    )
   )
  )
  (local.set $3
   (i64.sub
    (i64.const 0)
    (local.get $1)
   )
  )
  (local.set $1
   (i64.const 0)
  )
  (local.set $2
   (i64.const -2)
  )
  (loop $q_next1
   (if
    (i64.lt_s
     (i64.and
      (i64.xor
       (local.get $1)
       (local.tee $1
        (i64.add
         (local.tee $4
          (i64.load8_s offset=16
           (i32.add
            (local.get $0)
            (i32.wrap_i64
             (i64.add
              (local.get $2)
              (i64.const 2)
             )
            )
           )
          )
         )
         (local.get $1)
        )
       )
      )
      (i64.xor
       (local.get $1)
       (local.get $4)
      )
     )
     (i64.const 0)
    )
    (then
     (return
      (i32.const 36)
     )
    )
   )
   (if
    (i32.eqz
     (i64.eq
      (local.get $2)
      (i64.const 2)
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
   (i64.gt_s
    (local.get $1)
    (i64.const 30)
   )
   (then
    (return
     (i32.const 35)
    )
   )
  )
  (if
   (i64.eq
    (i64.rem_s
     (i64.load offset=8
      (local.get $0)
     )
     (i64.const 1000)
    )
    (i64.const 7)
   )
   (then
    (return
     (i32.const 38)
    )
   )
  )
  (i64.store
   (local.get $0)
   (local.get $3)
  )
  (i32.const 0)
 )
 (func $check-negate (param $0 i32) (result i32)
  (local $1 i64)
  (local $2 i64)
  (local $3 i64)
  (if
   (i64.eq
    (i64.load
     (local.tee $0
      (i32.add
       (i32.mul
        (local.get $0)
        (i32.const 24)
       )
       (i32.const 256)
      )
     )
    )
    (i64.const -9223372036854775808)
   )
   (then
    (return
     (i32.const 12)
    )
   )
  )
  (local.set $2
   (i64.const -2)
  )
  (loop $q_next1
   (if
    (i64.lt_s
     (i64.and
      (i64.xor
       (local.get $1)
       (local.tee $1
        (i64.add
         (local.tee $3
          (i64.load8_s offset=16
           (i32.add
            (local.get $0)
            (i32.wrap_i64
             (i64.add
              (local.get $2)
              (i64.const 2)
             )
            )
           )
          )
         )
         (local.get $1)
        )
       )
      )
      (i64.xor
       (local.get $1)
       (local.get $3)
      )
     )
     (i64.const 0)
    )
    (then
     (return
      (i32.const 36)
     )
    )
   )
   (if
    (i32.eqz
     (i64.eq
      (local.get $2)
      (i64.const 2)
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
   (i64.gt_s
    (local.get $1)
    (i64.const 30)
   )
   (then
    (return
     (i32.const 35)
    )
   )
  )
  (if
   (i64.eq
    (i64.rem_s
     (i64.load offset=8
      (local.get $0)
     )
     (i64.const 1000)
    )
    (i64.const 7)
   )
   (then
    (return
     (i32.const 38)
    )
   )
  )
  (i32.const 0)
 )
 (func $step-safe-div (param $0 i32) (param $1 f64) (result i32)
  (local $2 i64)
  (local $3 i64)
  (local $4 i64)
  (local $5 i64)
  (local.set $0
   (i32.add
    (i32.mul
     (local.get $0)
     (i32.const 24)
    )
    (i32.const 256)
   )
  )
  (if
   (i32.eqz
    (i32.and
     (i32.and
      (f64.lt
       (local.get $1)
       (f64.const 9223372036854775808)
      )
      (f64.ge
       (local.get $1)
       (f64.const -9223372036854775808)
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
     (i32.const 13)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (i64.ne
      (local.tee $2
       (i64.trunc_f64_s
        (local.get $1)
       )
      )
      (i64.const 0)
     )
     (then
      (local.set $3
       (i64.load
        (local.get $0)
       )
      )
      (if
       (i64.eqz
        (local.get $2)
       )
       (then
        (return
         (i32.const 15)
        )
       )
      )
      (if
       (i32.and
        (i64.eq
         (local.get $3)
         (i64.const -9223372036854775808)
        )
        (i64.eq
         (local.get $2)
         (i64.const -1)
        )
       )
       (then
        (return
         (i32.const 15)
        )
       )
      )
      (i64.ne
       (i64.div_s
        (local.get $3)
        (local.get $2)
       )
       (i64.const 7)
      )
     )
     (else
      (i32.const 1)
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
   (if (result i64)
    (i64.eqz
     (local.get $2)
    )
    (then
     (i64.load
      (local.get $0)
     )
    )
    (else
     (local.set $3
      (i64.load
       (local.get $0)
      )
     )
     (if
      (i64.eqz
       (local.get $2)
      )
      (then
       (return
        (i32.const 16)
       )
      )
     )
     (if
      (i32.and
       (i64.eq
        (local.get $3)
        (i64.const -9223372036854775808)
       )
       (i64.eq
        (local.get $2)
        (i64.const -1)
       )
      )
      (then
       (return
        (i32.const 16)
       )
      )
     )
     (i64.div_s
      (local.get $3)
      (local.get $2)
     )
    )
   )
  )
  (local.set $2
   (i64.const 0)
  )
  (local.set $3
   (i64.const -2)
  )
  (loop $q_next1
   (if
    (i64.lt_s
     (i64.and
      (i64.xor
       (local.get $2)
       (local.tee $2
        (i64.add
         (local.tee $5
          (i64.load8_s offset=16
           (i32.add
            (local.get $0)
            (i32.wrap_i64
             (i64.add
              (local.get $3)
              (i64.const 2)
             )
            )
           )
          )
         )
         (local.get $2)
        )
       )
      )
      (i64.xor
       (local.get $2)
       (local.get $5)
      )
     )
     (i64.const 0)
    )
    (then
     (return
      (i32.const 36)
     )
    )
   )
   (if
    (i32.eqz
     (i64.eq
      (local.get $3)
      (i64.const 2)
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
   (i64.gt_s
    (local.get $2)
    (i64.const 30)
   )
   (then
    (return
     (i32.const 35)
    )
   )
  )
  (if
   (i64.eq
    (i64.rem_s
     (i64.load offset=8
      (local.get $0)
     )
     (i64.const 1000)
    )
    (i64.const 7)
   )
   (then
    (return
     (i32.const 38)
    )
   )
  )
  (i64.store
   (local.get $0)
   (local.get $4)
  )
  (i32.const 0)
 )
 (func $check-safe-div (param $0 i32) (param $1 f64) (result i32)
  (local $2 i64)
  (local $3 i64)
  (local $4 i64)
  (local.set $0
   (i32.add
    (i32.mul
     (local.get $0)
     (i32.const 24)
    )
    (i32.const 256)
   )
  )
  (if
   (i32.eqz
    (i32.and
     (i32.and
      (f64.lt
       (local.get $1)
       (f64.const 9223372036854775808)
      )
      (f64.ge
       (local.get $1)
       (f64.const -9223372036854775808)
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
     (i32.const 13)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (i64.ne
      (local.tee $2
       (i64.trunc_f64_s
        (local.get $1)
       )
      )
      (i64.const 0)
     )
     (then
      (local.set $3
       (i64.load
        (local.get $0)
       )
      )
      (if
       (i64.eqz
        (local.get $2)
       )
       (then
        (return
         (i32.const 15)
        )
       )
      )
      (if
       (i32.and
        (i64.eq
         (local.get $3)
         (i64.const -9223372036854775808)
        )
        (i64.eq
         (local.get $2)
         (i64.const -1)
        )
       )
       (then
        (return
         (i32.const 15)
        )
       )
      )
      (i64.ne
       (i64.div_s
        (local.get $3)
        (local.get $2)
       )
       (i64.const 7)
      )
     )
     (else
      (i32.const 1)
     )
    )
   )
   (then
    (return
     (i32.const 14)
    )
   )
  )
  (drop
   (if (result i64)
    (i64.eqz
     (local.get $2)
    )
    (then
     (i64.load
      (local.get $0)
     )
    )
    (else
     (local.set $3
      (i64.load
       (local.get $0)
      )
     )
     (if
      (i64.eqz
       (local.get $2)
      )
      (then
       (return
        (i32.const 16)
       )
      )
     )
     (if
      (i32.and
       (i64.eq
        (local.get $3)
        (i64.const -9223372036854775808)
       )
       (i64.eq
        (local.get $2)
        (i64.const -1)
       )
      )
      (then
       (return
        (i32.const 16)
       )
      )
     )
     (i64.div_s
      (local.get $3)
      (local.get $2)
     )
    )
   )
  )
  (local.set $2
   (i64.const 0)
  )
  (local.set $3
   (i64.const -2)
  )
  (loop $q_next1
   (if
    (i64.lt_s
     (i64.and
      (i64.xor
       (local.get $2)
       (local.tee $2
        (i64.add
         (local.tee $4
          (i64.load8_s offset=16
           (i32.add
            (local.get $0)
            (i32.wrap_i64
             (i64.add
              (local.get $3)
              (i64.const 2)
             )
            )
           )
          )
         )
         (local.get $2)
        )
       )
      )
      (i64.xor
       (local.get $2)
       (local.get $4)
      )
     )
     (i64.const 0)
    )
    (then
     (return
      (i32.const 36)
     )
    )
   )
   (if
    (i32.eqz
     (i64.eq
      (local.get $3)
      (i64.const 2)
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
   (i64.gt_s
    (local.get $2)
    (i64.const 30)
   )
   (then
    (return
     (i32.const 35)
    )
   )
  )
  (if
   (i64.eq
    (i64.rem_s
     (i64.load offset=8
      (local.get $0)
     )
     (i64.const 1000)
    )
    (i64.const 7)
   )
   (then
    (return
     (i32.const 38)
    )
   )
  )
  (i32.const 0)
 )
 (func $step-store (param $0 i32) (param $1 f64) (result i32)
  (local $2 i64)
  (local $3 i64)
  (local $4 i64)
  (local $5 i64)
  (local $6 i64)
  (local.set $0
   (i32.add
    (i32.mul
     (local.get $0)
     (i32.const 24)
    )
    (i32.const 256)
   )
  )
  (if
   (i32.eqz
    (i32.and
     (i32.and
      (f64.lt
       (local.get $1)
       (f64.const 9223372036854775808)
      )
      (f64.ge
       (local.get $1)
       (f64.const -9223372036854775808)
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
     (i32.const 17)
    )
   )
  )
  (if
   (i64.gt_u
    (i64.add
     (local.tee $5
      (i64.trunc_f64_s
       (local.get $1)
      )
     )
     (i64.const 2)
    )
    (i64.const 4)
   )
   (then
    (return
     (i32.const 19)
    )
   )
  )
  (local.set $4
   (i64.mul
    (local.tee $2
     (i64.load
      (local.get $0)
     )
    )
    (local.tee $3
     (i64.load
      (local.get $0)
     )
    )
   )
  )
  (if
   (i32.and
    (i32.eqz
     (i32.and
      (i64.eq
       (i64.extend32_s
        (local.get $2)
       )
       (local.get $2)
      )
      (i64.eq
       (i64.extend32_s
        (local.get $3)
       )
       (local.get $3)
      )
     )
    )
    (i64.ne
     (local.get $2)
     (i64.const 0)
    )
   )
   (then
    (if
     (i64.eq
      (local.get $2)
      (i64.const -1)
     )
     (then
      (if
       (i64.eq
        (local.get $3)
        (i64.const -9223372036854775808)
       )
       (then
        (return
         (i32.const 20)
        )
       )
      )
     )
     (else
      (if
       (i64.ne
        (i64.div_s
         (local.get $4)
         (local.get $2)
        )
        (local.get $3)
       )
       (then
        (return
         (i32.const 20)
        )
       )
      )
     )
    )
   )
  )
  (if
   (i64.gt_u
    (i64.add
     (local.get $4)
     (i64.const 8)
    )
    (i64.const 16)
   )
   (then
    (return
     (i32.const 18)
    )
   )
  )
  (local.set $3
   (i64.const 0)
  )
  (local.set $2
   (i64.const -2)
  )
  (loop $q_next1
   (if
    (i64.lt_s
     (i64.and
      (i64.xor
       (local.get $3)
       (local.tee $3
        (i64.add
         (local.tee $6
          (select
           (local.get $4)
           (i64.load8_s offset=16
            (i32.add
             (local.get $0)
             (i32.wrap_i64
              (i64.add
               (local.get $2)
               (i64.const 2)
              )
             )
            )
           )
           (i64.eq
            (local.get $2)
            (local.get $5)
           )
          )
         )
         (local.get $3)
        )
       )
      )
      (i64.xor
       (local.get $3)
       (local.get $6)
      )
     )
     (i64.const 0)
    )
    (then
     (return
      (i32.const 36)
     )
    )
   )
   (if
    (i32.eqz
     (i64.eq
      (local.get $2)
      (i64.const 2)
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
   (i64.gt_s
    (local.get $3)
    (i64.const 30)
   )
   (then
    (return
     (i32.const 35)
    )
   )
  )
  (if
   (i64.eq
    (i64.rem_s
     (i64.load offset=8
      (local.get $0)
     )
     (i64.const 1000)
    )
    (i64.const 7)
   )
   (then
    (return
     (i32.const 38)
    )
   )
  )
  (i64.store8 offset=16
   (i32.add
    (local.get $0)
    (i32.wrap_i64
     (i64.add
      (local.get $5)
      (i64.const 2)
     )
    )
   )
   (local.get $4)
  )
  (i32.const 0)
 )
 (func $check-store (param $0 i32) (param $1 f64) (result i32)
  (local $2 i64)
  (local $3 i64)
  (local $4 i64)
  (local $5 i64)
  (local $6 i64)
  (local.set $0
   (i32.add
    (i32.mul
     (local.get $0)
     (i32.const 24)
    )
    (i32.const 256)
   )
  )
  (if
   (i32.eqz
    (i32.and
     (i32.and
      (f64.lt
       (local.get $1)
       (f64.const 9223372036854775808)
      )
      (f64.ge
       (local.get $1)
       (f64.const -9223372036854775808)
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
     (i32.const 17)
    )
   )
  )
  (if
   (i64.gt_u
    (i64.add
     (local.tee $5
      (i64.trunc_f64_s
       (local.get $1)
      )
     )
     (i64.const 2)
    )
    (i64.const 4)
   )
   (then
    (return
     (i32.const 19)
    )
   )
  )
  (local.set $4
   (i64.mul
    (local.tee $2
     (i64.load
      (local.get $0)
     )
    )
    (local.tee $3
     (i64.load
      (local.get $0)
     )
    )
   )
  )
  (if
   (i32.and
    (i32.eqz
     (i32.and
      (i64.eq
       (i64.extend32_s
        (local.get $2)
       )
       (local.get $2)
      )
      (i64.eq
       (i64.extend32_s
        (local.get $3)
       )
       (local.get $3)
      )
     )
    )
    (i64.ne
     (local.get $2)
     (i64.const 0)
    )
   )
   (then
    (if
     (i64.eq
      (local.get $2)
      (i64.const -1)
     )
     (then
      (if
       (i64.eq
        (local.get $3)
        (i64.const -9223372036854775808)
       )
       (then
        (return
         (i32.const 20)
        )
       )
      )
     )
     (else
      (if
       (i64.ne
        (i64.div_s
         (local.get $4)
         (local.get $2)
        )
        (local.get $3)
       )
       (then
        (return
         (i32.const 20)
        )
       )
      )
     )
    )
   )
  )
  (if
   (i64.gt_u
    (i64.add
     (local.get $4)
     (i64.const 8)
    )
    (i64.const 16)
   )
   (then
    (return
     (i32.const 18)
    )
   )
  )
  (local.set $3
   (i64.const 0)
  )
  (local.set $2
   (i64.const -2)
  )
  (loop $q_next1
   (if
    (i64.lt_s
     (i64.and
      (i64.xor
       (local.get $3)
       (local.tee $3
        (i64.add
         (local.tee $6
          (select
           (local.get $4)
           (i64.load8_s offset=16
            (i32.add
             (local.get $0)
             (i32.wrap_i64
              (i64.add
               (local.get $2)
               (i64.const 2)
              )
             )
            )
           )
           (i64.eq
            (local.get $2)
            (local.get $5)
           )
          )
         )
         (local.get $3)
        )
       )
      )
      (i64.xor
       (local.get $3)
       (local.get $6)
      )
     )
     (i64.const 0)
    )
    (then
     (return
      (i32.const 36)
     )
    )
   )
   (if
    (i32.eqz
     (i64.eq
      (local.get $2)
      (i64.const 2)
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
   (i64.gt_s
    (local.get $3)
    (i64.const 30)
   )
   (then
    (return
     (i32.const 35)
    )
   )
  )
  (if
   (i64.eq
    (i64.rem_s
     (i64.load offset=8
      (local.get $0)
     )
     (i64.const 1000)
    )
    (i64.const 7)
   )
   (then
    (return
     (i32.const 38)
    )
   )
  )
  (i32.const 0)
 )
 (func $step-swap-last (param $0 i32) (result i32)
  (local $1 i64)
  (local $2 i64)
  (local $3 i64)
  (local $4 i64)
  (local $5 i64)
  (local.set $4
   (i64.load offset=8
    (local.tee $0
     (i32.add
      (i32.mul
       (local.get $0)
       (i32.const 24)
      )
      (i32.const 256)
     )
    )
   )
  )
  (local.set $3
   (i64.load
    (local.get $0)
   )
  )
  (local.set $2
   (i64.const -2)
  )
  (loop $q_next1
   (if
    (i64.lt_s
     (i64.and
      (i64.xor
       (local.get $1)
       (local.tee $1
        (i64.add
         (local.tee $5
          (i64.load8_s offset=16
           (i32.add
            (local.get $0)
            (i32.wrap_i64
             (i64.add
              (local.get $2)
              (i64.const 2)
             )
            )
           )
          )
         )
         (local.get $1)
        )
       )
      )
      (i64.xor
       (local.get $1)
       (local.get $5)
      )
     )
     (i64.const 0)
    )
    (then
     (return
      (i32.const 36)
     )
    )
   )
   (if
    (i32.eqz
     (i64.eq
      (local.get $2)
      (i64.const 2)
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
   (i64.gt_s
    (local.get $1)
    (i64.const 30)
   )
   (then
    (return
     (i32.const 35)
    )
   )
  )
  (if
   (i64.eq
    (i64.rem_s
     (local.get $3)
     (i64.const 1000)
    )
    (i64.const 7)
   )
   (then
    (return
     (i32.const 38)
    )
   )
  )
  (i64.store
   (local.get $0)
   (local.get $4)
  )
  (i64.store offset=8
   (local.get $0)
   (local.get $3)
  )
  (i32.const 0)
 )
 (func $check-swap-last (param $0 i32) (result i32)
  (local $1 i64)
  (local $2 i64)
  (local $3 i64)
  (local $4 i64)
  (drop
   (i64.load offset=8
    (local.tee $0
     (i32.add
      (i32.mul
       (local.get $0)
       (i32.const 24)
      )
      (i32.const 256)
     )
    )
   )
  )
  (local.set $3
   (i64.load
    (local.get $0)
   )
  )
  (local.set $2
   (i64.const -2)
  )
  (loop $q_next1
   (if
    (i64.lt_s
     (i64.and
      (i64.xor
       (local.get $1)
       (local.tee $1
        (i64.add
         (local.tee $4
          (i64.load8_s offset=16
           (i32.add
            (local.get $0)
            (i32.wrap_i64
             (i64.add
              (local.get $2)
              (i64.const 2)
             )
            )
           )
          )
         )
         (local.get $1)
        )
       )
      )
      (i64.xor
       (local.get $1)
       (local.get $4)
      )
     )
     (i64.const 0)
    )
    (then
     (return
      (i32.const 36)
     )
    )
   )
   (if
    (i32.eqz
     (i64.eq
      (local.get $2)
      (i64.const 2)
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
   (i64.gt_s
    (local.get $1)
    (i64.const 30)
   )
   (then
    (return
     (i32.const 35)
    )
   )
  )
  (if
   (i64.eq
    (i64.rem_s
     (local.get $3)
     (i64.const 1000)
    )
    (i64.const 7)
   )
   (then
    (return
     (i32.const 38)
    )
   )
  )
  (i32.const 0)
 )
 (func $step-spread (param $0 i32) (result i32)
  (local $1 i64)
  (local $2 i64)
  (local $3 i64)
  (local $4 i64)
  (local.set $0
   (i32.add
    (i32.mul
     (local.get $0)
     (i32.const 24)
    )
    (i32.const 256)
   )
  )
  (local.set $1
   (i64.const -2)
  )
  (loop $q_next1
   (if
    (i64.lt_s
     (i64.and
      (i64.xor
       (local.get $2)
       (local.tee $2
        (i64.add
         (local.tee $3
          (i64.load
           (local.get $0)
          )
         )
         (local.get $2)
        )
       )
      )
      (i64.xor
       (local.get $2)
       (local.get $3)
      )
     )
     (i64.const 0)
    )
    (then
     (return
      (i32.const 22)
     )
    )
   )
   (if
    (i32.eqz
     (i64.eq
      (local.get $1)
      (i64.const 2)
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
   (i64.lt_s
    (i64.and
     (i64.xor
      (local.get $2)
      (local.tee $1
       (i64.add
        (local.get $2)
        (block (result i64)
         (local.set $2
          (i64.const 0)
         )
         (local.set $1
          (i64.const -2)
         )
         (loop $q_next3
          (local.set $2
           (i64.add
            (local.get $2)
            (i64.extend_i32_u
             (i64.gt_s
              (i64.load8_s offset=16
               (i32.add
                (local.get $0)
                (i32.wrap_i64
                 (i64.add
                  (local.get $1)
                  (i64.const 2)
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
             (i64.const 2)
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
         (local.get $2)
        )
       )
      )
     )
     (i64.xor
      (local.get $1)
      (local.get $2)
     )
    )
    (i64.const 0)
   )
   (then
    (return
     (i32.const 21)
    )
   )
  )
  (local.set $3
   (local.get $1)
  )
  (local.set $1
   (i64.const 0)
  )
  (local.set $2
   (i64.const -2)
  )
  (loop $q_next5
   (if
    (i64.lt_s
     (i64.and
      (i64.xor
       (local.get $1)
       (local.tee $1
        (i64.add
         (local.tee $4
          (i64.load8_s offset=16
           (i32.add
            (local.get $0)
            (i32.wrap_i64
             (i64.add
              (local.get $2)
              (i64.const 2)
             )
            )
           )
          )
         )
         (local.get $1)
        )
       )
      )
      (i64.xor
       (local.get $1)
       (local.get $4)
      )
     )
     (i64.const 0)
    )
    (then
     (return
      (i32.const 36)
     )
    )
   )
   (if
    (i32.eqz
     (i64.eq
      (local.get $2)
      (i64.const 2)
     )
    )
    (then
     (local.set $2
      (i64.add
       (local.get $2)
       (i64.const 1)
      )
     )
     (br $q_next5)
    )
   )
  )
  (if
   (i64.gt_s
    (local.get $1)
    (i64.const 30)
   )
   (then
    (return
     (i32.const 35)
    )
   )
  )
  (if
   (i64.eq
    (i64.rem_s
     (local.get $3)
     (i64.const 1000)
    )
    (i64.const 7)
   )
   (then
    (return
     (i32.const 38)
    )
   )
  )
  (i64.store offset=8
   (local.get $0)
   (local.get $3)
  )
  (i32.const 0)
 )
 (func $check-spread (param $0 i32) (result i32)
  (local $1 i64)
  (local $2 i64)
  (local $3 i64)
  (local $4 i64)
  (local.set $0
   (i32.add
    (i32.mul
     (local.get $0)
     (i32.const 24)
    )
    (i32.const 256)
   )
  )
  (local.set $1
   (i64.const -2)
  )
  (loop $q_next1
   (if
    (i64.lt_s
     (i64.and
      (i64.xor
       (local.get $2)
       (local.tee $2
        (i64.add
         (local.tee $3
          (i64.load
           (local.get $0)
          )
         )
         (local.get $2)
        )
       )
      )
      (i64.xor
       (local.get $2)
       (local.get $3)
      )
     )
     (i64.const 0)
    )
    (then
     (return
      (i32.const 22)
     )
    )
   )
   (if
    (i32.eqz
     (i64.eq
      (local.get $1)
      (i64.const 2)
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
   (i64.lt_s
    (i64.and
     (i64.xor
      (local.get $2)
      (local.tee $1
       (i64.add
        (local.get $2)
        (block (result i64)
         (local.set $2
          (i64.const 0)
         )
         (local.set $1
          (i64.const -2)
         )
         (loop $q_next3
          (local.set $2
           (i64.add
            (local.get $2)
            (i64.extend_i32_u
             (i64.gt_s
              (i64.load8_s offset=16
               (i32.add
                (local.get $0)
                (i32.wrap_i64
                 (i64.add
                  (local.get $1)
                  (i64.const 2)
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
             (i64.const 2)
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
         (local.get $2)
        )
       )
      )
     )
     (i64.xor
      (local.get $1)
      (local.get $2)
     )
    )
    (i64.const 0)
   )
   (then
    (return
     (i32.const 21)
    )
   )
  )
  (local.set $3
   (local.get $1)
  )
  (local.set $1
   (i64.const 0)
  )
  (local.set $2
   (i64.const -2)
  )
  (loop $q_next5
   (if
    (i64.lt_s
     (i64.and
      (i64.xor
       (local.get $1)
       (local.tee $1
        (i64.add
         (local.tee $4
          (i64.load8_s offset=16
           (i32.add
            (local.get $0)
            (i32.wrap_i64
             (i64.add
              (local.get $2)
              (i64.const 2)
             )
            )
           )
          )
         )
         (local.get $1)
        )
       )
      )
      (i64.xor
       (local.get $1)
       (local.get $4)
      )
     )
     (i64.const 0)
    )
    (then
     (return
      (i32.const 36)
     )
    )
   )
   (if
    (i32.eqz
     (i64.eq
      (local.get $2)
      (i64.const 2)
     )
    )
    (then
     (local.set $2
      (i64.add
       (local.get $2)
       (i64.const 1)
      )
     )
     (br $q_next5)
    )
   )
  )
  (if
   (i64.gt_s
    (local.get $1)
    (i64.const 30)
   )
   (then
    (return
     (i32.const 35)
    )
   )
  )
  (if
   (i64.eq
    (i64.rem_s
     (local.get $3)
     (i64.const 1000)
    )
    (i64.const 7)
   )
   (then
    (return
     (i32.const 38)
    )
   )
  )
  (i32.const 0)
 )
 (func $step-shift (param $0 i32) (param $1 f64) (result i32)
  (local $2 i64)
  (local $3 i64)
  (local $4 i64)
  (local $5 i64)
  (local $6 i64)
  (local $7 i64)
  (local.set $0
   (i32.add
    (i32.mul
     (local.get $0)
     (i32.const 24)
    )
    (i32.const 256)
   )
  )
  (if
   (i32.eqz
    (i32.and
     (i32.and
      (f64.le
       (local.get $1)
       (f64.const 2)
      )
      (f64.ge
       (local.get $1)
       (f64.const -2)
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
     (i32.const 24)
    )
   )
  )
  (local.set $4
   (i64.trunc_f64_s
    (local.get $1)
   )
  )
  (local.set $3
   (i64.const 1)
  )
  (local.set $2
   (i64.const -2)
  )
  (loop $q_next1
   (block $q_end0
    (if
     (i32.eqz
      (if (result i32)
       (i64.lt_s
        (local.get $2)
        (local.get $4)
       )
       (then
        (i64.le_s
         (i64.load8_s offset=16
          (i32.add
           (local.get $0)
           (i32.wrap_i64
            (i64.add
             (local.get $2)
             (i64.const 2)
            )
           )
          )
         )
         (block (result i64)
          (if
           (i64.eq
            (local.get $2)
            (i64.const 9223372036854775807)
           )
           (then
            (return
             (i32.const 28)
            )
           )
          )
          (if
           (i64.gt_u
            (i64.add
             (local.tee $5
              (i64.add
               (local.get $2)
               (i64.const 1)
              )
             )
             (i64.const 2)
            )
            (i64.const 4)
           )
           (then
            (return
             (i32.const 27)
            )
           )
          )
          (i64.load8_s offset=16
           (i32.add
            (local.get $0)
            (i32.wrap_i64
             (i64.add
              (local.get $5)
              (i64.const 2)
             )
            )
           )
          )
         )
        )
       )
       (else
        (i32.const 1)
       )
      )
     )
     (then
      (local.set $3
       (i64.const 0)
      )
      (br $q_end0)
     )
    )
    (br_if $q_end0
     (i64.eq
      (local.get $2)
      (i64.const 2)
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
    (local.get $3)
   )
   (then
    (return
     (i32.const 25)
    )
   )
  )
  (if
   (i64.eq
    (local.tee $2
     (i64.load8_s offset=16
      (i32.add
       (local.get $0)
       (i32.wrap_i64
        (i64.add
         (local.get $4)
         (i64.const 2)
        )
       )
      )
     )
    )
    (i64.const -9223372036854775808)
   )
   (then
    (return
     (i32.const 31)
    )
   )
  )
  (local.set $5
   (i64.sub
    (local.get $2)
    (i64.const 1)
   )
  )
  (local.set $3
   (i64.sub
    (local.tee $2
     (i64.load
      (local.get $0)
     )
    )
    (local.tee $6
     (i64.load8_s offset=16
      (i32.add
       (local.get $0)
       (i32.wrap_i64
        (i64.add
         (local.get $4)
         (i64.const 2)
        )
       )
      )
     )
    )
   )
  )
  (if
   (i64.lt_s
    (i64.and
     (i64.xor
      (local.get $2)
      (local.get $6)
     )
     (i64.xor
      (local.get $2)
      (local.get $3)
     )
    )
    (i64.const 0)
   )
   (then
    (return
     (i32.const 33)
    )
   )
  )
  (local.set $6
   (local.get $3)
  )
  (if
   (i64.gt_u
    (i64.add
     (local.get $5)
     (i64.const 8)
    )
    (i64.const 16)
   )
   (then
    (return
     (i32.const 29)
    )
   )
  )
  (local.set $3
   (i64.const 0)
  )
  (local.set $2
   (i64.const -2)
  )
  (loop $q_next3
   (if
    (i64.lt_s
     (i64.and
      (i64.xor
       (local.get $3)
       (local.tee $3
        (i64.add
         (local.tee $7
          (select
           (local.get $5)
           (i64.load8_s offset=16
            (i32.add
             (local.get $0)
             (i32.wrap_i64
              (i64.add
               (local.get $2)
               (i64.const 2)
              )
             )
            )
           )
           (i64.eq
            (local.get $2)
            (local.get $4)
           )
          )
         )
         (local.get $3)
        )
       )
      )
      (i64.xor
       (local.get $3)
       (local.get $7)
      )
     )
     (i64.const 0)
    )
    (then
     (return
      (i32.const 36)
     )
    )
   )
   (if
    (i32.eqz
     (i64.eq
      (local.get $2)
      (i64.const 2)
     )
    )
    (then
     (local.set $2
      (i64.add
       (local.get $2)
       (i64.const 1)
      )
     )
     (br $q_next3)
    )
   )
  )
  (if
   (i64.gt_s
    (local.get $3)
    (i64.const 30)
   )
   (then
    (return
     (i32.const 35)
    )
   )
  )
  (if
   (i64.eq
    (i64.rem_s
     (i64.load offset=8
      (local.get $0)
     )
     (i64.const 1000)
    )
    (i64.const 7)
   )
   (then
    (return
     (i32.const 38)
    )
   )
  )
  (i64.store8 offset=16
   (i32.add
    (local.get $0)
    (i32.wrap_i64
     (i64.add
      (local.get $4)
      (i64.const 2)
     )
    )
   )
   (local.get $5)
  )
  (i64.store
   (local.get $0)
   (local.get $6)
  )
  (i32.const 0)
 )
 (func $check-shift (param $0 i32) (param $1 f64) (result i32)
  (local $2 i64)
  (local $3 i64)
  (local $4 i64)
  (local $5 i64)
  (local $6 i64)
  (local.set $0
   (i32.add
    (i32.mul
     (local.get $0)
     (i32.const 24)
    )
    (i32.const 256)
   )
  )
  (if
   (i32.eqz
    (i32.and
     (i32.and
      (f64.le
       (local.get $1)
       (f64.const 2)
      )
      (f64.ge
       (local.get $1)
       (f64.const -2)
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
     (i32.const 24)
    )
   )
  )
  (local.set $4
   (i64.trunc_f64_s
    (local.get $1)
   )
  )
  (local.set $3
   (i64.const 1)
  )
  (local.set $2
   (i64.const -2)
  )
  (loop $q_next1
   (block $q_end0
    (if
     (i32.eqz
      (if (result i32)
       (i64.lt_s
        (local.get $2)
        (local.get $4)
       )
       (then
        (i64.le_s
         (i64.load8_s offset=16
          (i32.add
           (local.get $0)
           (i32.wrap_i64
            (i64.add
             (local.get $2)
             (i64.const 2)
            )
           )
          )
         )
         (block (result i64)
          (if
           (i64.eq
            (local.get $2)
            (i64.const 9223372036854775807)
           )
           (then
            (return
             (i32.const 28)
            )
           )
          )
          (if
           (i64.gt_u
            (i64.add
             (local.tee $5
              (i64.add
               (local.get $2)
               (i64.const 1)
              )
             )
             (i64.const 2)
            )
            (i64.const 4)
           )
           (then
            (return
             (i32.const 27)
            )
           )
          )
          (i64.load8_s offset=16
           (i32.add
            (local.get $0)
            (i32.wrap_i64
             (i64.add
              (local.get $5)
              (i64.const 2)
             )
            )
           )
          )
         )
        )
       )
       (else
        (i32.const 1)
       )
      )
     )
     (then
      (local.set $3
       (i64.const 0)
      )
      (br $q_end0)
     )
    )
    (br_if $q_end0
     (i64.eq
      (local.get $2)
      (i64.const 2)
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
    (local.get $3)
   )
   (then
    (return
     (i32.const 25)
    )
   )
  )
  (if
   (i64.eq
    (local.tee $2
     (i64.load8_s offset=16
      (i32.add
       (local.get $0)
       (i32.wrap_i64
        (i64.add
         (local.get $4)
         (i64.const 2)
        )
       )
      )
     )
    )
    (i64.const -9223372036854775808)
   )
   (then
    (return
     (i32.const 31)
    )
   )
  )
  (local.set $5
   (i64.sub
    (local.get $2)
    (i64.const 1)
   )
  )
  (local.set $6
   (i64.sub
    (local.tee $2
     (i64.load
      (local.get $0)
     )
    )
    (local.tee $3
     (i64.load8_s offset=16
      (i32.add
       (local.get $0)
       (i32.wrap_i64
        (i64.add
         (local.get $4)
         (i64.const 2)
        )
       )
      )
     )
    )
   )
  )
  (if
   (i64.lt_s
    (i64.and
     (i64.xor
      (local.get $2)
      (local.get $3)
     )
     (i64.xor
      (local.get $2)
      (local.get $6)
     )
    )
    (i64.const 0)
   )
   (then
    (return
     (i32.const 33)
    )
   )
  )
  (if
   (i64.gt_u
    (i64.add
     (local.get $5)
     (i64.const 8)
    )
    (i64.const 16)
   )
   (then
    (return
     (i32.const 29)
    )
   )
  )
  (local.set $3
   (i64.const 0)
  )
  (local.set $2
   (i64.const -2)
  )
  (loop $q_next3
   (if
    (i64.lt_s
     (i64.and
      (i64.xor
       (local.get $3)
       (local.tee $3
        (i64.add
         (local.tee $6
          (select
           (local.get $5)
           (i64.load8_s offset=16
            (i32.add
             (local.get $0)
             (i32.wrap_i64
              (i64.add
               (local.get $2)
               (i64.const 2)
              )
             )
            )
           )
           (i64.eq
            (local.get $2)
            (local.get $4)
           )
          )
         )
         (local.get $3)
        )
       )
      )
      (i64.xor
       (local.get $3)
       (local.get $6)
      )
     )
     (i64.const 0)
    )
    (then
     (return
      (i32.const 36)
     )
    )
   )
   (if
    (i32.eqz
     (i64.eq
      (local.get $2)
      (i64.const 2)
     )
    )
    (then
     (local.set $2
      (i64.add
       (local.get $2)
       (i64.const 1)
      )
     )
     (br $q_next3)
    )
   )
  )
  (if
   (i64.gt_s
    (local.get $3)
    (i64.const 30)
   )
   (then
    (return
     (i32.const 35)
    )
   )
  )
  (if
   (i64.eq
    (i64.rem_s
     (i64.load offset=8
      (local.get $0)
     )
     (i64.const 1000)
    )
    (i64.const 7)
   )
   (then
    (return
     (i32.const 38)
    )
   )
  )
  (i32.const 0)
 )
 (func $dispatch-step (param $0 i32) (param $1 i32) (param $2 f64) (result i32)
  (block $default
   (block $case10
    (block $case9
     (block $case8
      (block $case7
       (block $case6
        (block $case5
         (block $case4
          (block $case3
           (block $case2
            (block $case1
             (block $case0
              (br_table $case0 $case1 $case2 $case3 $case4 $case5 $case6 $case7 $case8 $case9 $case10 $default
               (local.get $1)
              )
             )
             (return
              (call $step-put
               (local.get $0)
               (local.get $2)
              )
             )
            )
            (return
             (call $step-add
              (local.get $0)
              (local.get $2)
             )
            )
           )
           (return
            (call $step-mul
             (local.get $0)
             (local.get $2)
            )
           )
          )
          (return
           (call $step-div
            (local.get $0)
            (local.get $2)
           )
          )
         )
         (return
          (call $step-rem
           (local.get $0)
           (local.get $2)
          )
         )
        )
        (return
         (call $step-negate
          (local.get $0)
         )
        )
       )
       (return
        (call $step-safe-div
         (local.get $0)
         (local.get $2)
        )
       )
      )
      (return
       (call $step-store
        (local.get $0)
        (local.get $2)
       )
      )
     )
     (return
      (call $step-swap-last
       (local.get $0)
      )
     )
    )
    (return
     (call $step-spread
      (local.get $0)
     )
    )
   )
   (return
    (call $step-shift
     (local.get $0)
     (local.get $2)
    )
   )
  )
  (i32.const 1)
 )
 (func $dispatch-check (param $0 i32) (param $1 i32) (param $2 f64) (result i32)
  (block $default
   (block $case10
    (block $case9
     (block $case8
      (block $case7
       (block $case6
        (block $case5
         (block $case4
          (block $case3
           (block $case2
            (block $case1
             (block $case0
              (br_table $case0 $case1 $case2 $case3 $case4 $case5 $case6 $case7 $case8 $case9 $case10 $default
               (local.get $1)
              )
             )
             (return
              (call $check-put
               (local.get $0)
               (local.get $2)
              )
             )
            )
            (return
             (call $check-add
              (local.get $0)
              (local.get $2)
             )
            )
           )
           (return
            (call $check-mul
             (local.get $0)
             (local.get $2)
            )
           )
          )
          (return
           (call $check-div
            (local.get $0)
            (local.get $2)
           )
          )
         )
         (return
          (call $check-rem
           (local.get $0)
           (local.get $2)
          )
         )
        )
        (return
         (call $check-negate
          (local.get $0)
         )
        )
       )
       (return
        (call $check-safe-div
         (local.get $0)
         (local.get $2)
        )
       )
      )
      (return
       (call $check-store
        (local.get $0)
        (local.get $2)
       )
      )
     )
     (return
      (call $check-swap-last
       (local.get $0)
      )
     )
    )
    (return
     (call $check-spread
      (local.get $0)
     )
    )
   )
   (return
    (call $check-shift
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
  (local $3 i64)
  (local.set $0
   (i32.add
    (i32.mul
     (local.get $0)
     (i32.const 24)
    )
    (i32.const 256)
   )
  )
  (local.set $2
   (i64.const -2)
  )
  (loop $q_next1
   (if
    (i64.lt_s
     (i64.and
      (i64.xor
       (local.get $1)
       (local.tee $1
        (i64.add
         (local.tee $3
          (i64.load8_s offset=16
           (i32.add
            (local.get $0)
            (i32.wrap_i64
             (i64.add
              (local.get $2)
              (i64.const 2)
             )
            )
           )
          )
         )
         (local.get $1)
        )
       )
      )
      (i64.xor
       (local.get $1)
       (local.get $3)
      )
     )
     (i64.const 0)
    )
    (then
     (return
      (i32.const 36)
     )
    )
   )
   (if
    (i32.eqz
     (i64.eq
      (local.get $2)
      (i64.const 2)
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
   (i64.gt_s
    (local.get $1)
    (i64.const 30)
   )
   (then
    (return
     (i32.const 35)
    )
   )
  )
  (if
   (i64.eq
    (i64.rem_s
     (i64.load offset=8
      (local.get $0)
     )
     (i64.const 1000)
    )
    (i64.const 7)
   )
   (then
    (return
     (i32.const 38)
    )
   )
  )
  (i32.const 0)
 )
 (func $liveness (param $0 i32) (result i32)
  (local $1 i64)
  (i32.or
   (if (result i32)
    (i64.eqz
     (local.tee $1
      (i64.load
       (local.tee $0
        (i32.add
         (i32.mul
          (local.get $0)
          (i32.const 24)
         )
         (i32.const 256)
        )
       )
      )
     )
    )
    (then
     (i32.const 0)
    )
    (else
     (i64.gt_s
      (i64.div_s
       (i64.const 100)
       (local.get $1)
      )
      (i64.const 1)
     )
    )
   )
   (i32.shl
    (i64.eqz
     (i64.load
      (local.get $0)
     )
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
  (block $q_end0
   (br_if $q_end0
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
   (loop $q_next1
    (if
     (i64.lt_s
      (i64.and
       (i64.xor
        (local.get $2)
        (local.tee $2
         (i64.add
          (local.tee $5
           (i64.load
            (i32.add
             (i32.mul
              (i32.add
               (local.get $0)
               (i32.wrap_i64
                (local.get $3)
               )
              )
              (i32.const 24)
             )
             (i32.const 256)
            )
           )
          )
          (local.get $2)
         )
        )
       )
       (i64.xor
        (local.get $2)
        (local.get $5)
       )
      )
      (i64.const 0)
     )
     (then
      (return
       (i32.const 43)
      )
     )
    )
    (br_if $q_end0
     (i64.eq
      (local.get $3)
      (local.get $4)
     )
    )
    (local.set $3
     (i64.add
      (local.get $3)
      (i64.const 1)
     )
    )
    (br $q_next1)
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (i64.lt_s
      (local.get $2)
      (i64.const 1000000)
     )
     (then
      (local.set $2
       (i64.const 0)
      )
      (local.set $3
       (i64.const 0)
      )
      (block $q_end2
       (br_if $q_end2
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
       (loop $q_next3
        (local.set $2
         (i64.add
          (local.get $2)
          (i64.extend_i32_u
           (i64.gt_s
            (i64.load offset=8
             (i32.add
              (i32.mul
               (i32.add
                (local.get $0)
                (i32.wrap_i64
                 (local.get $3)
                )
               )
               (i32.const 24)
              )
              (i32.const 256)
             )
            )
            (i64.const 0)
           )
          )
         )
        )
        (br_if $q_end2
         (i64.eq
          (local.get $3)
          (local.get $4)
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
      (i64.le_s
       (local.get $2)
       (i64.const 3)
      )
     )
     (else
      (i32.const 0)
     )
    )
   )
   (then
    (return
     (i32.const 42)
    )
   )
  )
  (i32.const 0)
 )
 (func $global-check-node (param $0 i32) (param $1 i32) (param $2 i32) (result i32)
  (local $3 i64)
  (local $4 i64)
  (local $5 i64)
  (local $6 i64)
  (block $q_end0
   (br_if $q_end0
    (i64.lt_s
     (local.tee $5
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
    (if
     (i64.lt_s
      (i64.and
       (i64.xor
        (local.get $3)
        (local.tee $3
         (i64.add
          (local.tee $6
           (i64.load
            (i32.add
             (i32.mul
              (i32.add
               (local.get $0)
               (i32.wrap_i64
                (local.get $4)
               )
              )
              (i32.const 24)
             )
             (i32.const 256)
            )
           )
          )
          (local.get $3)
         )
        )
       )
       (i64.xor
        (local.get $3)
        (local.get $6)
       )
      )
      (i64.const 0)
     )
     (then
      (return
       (i32.const 43)
      )
     )
    )
    (br_if $q_end0
     (i64.eq
      (local.get $4)
      (local.get $5)
     )
    )
    (local.set $4
     (i64.add
      (local.get $4)
      (i64.const 1)
     )
    )
    (br $q_next1)
   )
  )
  (if
   (i64.ge_s
    (local.get $3)
    (i64.const 1000000)
   )
   (then
    (return
     (i32.const 42)
    )
   )
  )
  (local.set $3
   (i64.const 0)
  )
  (local.set $4
   (i64.const 0)
  )
  (block $q_end2
   (br_if $q_end2
    (i64.lt_s
     (local.tee $5
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
    (local.set $3
     (i64.add
      (local.get $3)
      (i64.extend_i32_u
       (i64.gt_s
        (i64.load offset=8
         (i32.add
          (i32.mul
           (i32.add
            (local.get $0)
            (i32.wrap_i64
             (local.get $4)
            )
           )
           (i32.const 24)
          )
          (i32.const 256)
         )
        )
        (i64.const 0)
       )
      )
     )
    )
    (br_if $q_end2
     (i64.eq
      (local.get $4)
      (local.get $5)
     )
    )
    (local.set $4
     (i64.add
      (local.get $4)
      (i64.const 1)
     )
    )
    (br $q_next3)
   )
  )
  (if
   (i64.gt_s
    (local.get $3)
    (i64.const 3)
   )
   (then
    (return
     (i32.const 42)
    )
   )
  )
  (i32.const 0)
 )
 (func $global-liveness (param $0 i32) (param $1 i32) (result i32)
  (local $2 i64)
  (local $3 i64)
  (local $4 i64)
  (local $5 i64)
  (local $6 i32)
  (local $7 i64)
  (local $8 i64)
  (i32.or
   (block $pred0 (result i32)
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
      (drop
       (br_if $pred0
        (i32.const 0)
        (i64.gt_u
         (i64.add
          (local.tee $5
           (i64.load offset=8
            (local.tee $6
             (i32.add
              (i32.mul
               (i32.add
                (local.get $0)
                (i32.wrap_i64
                 (local.get $2)
                )
               )
               (i32.const 24)
              )
              (i32.const 256)
             )
            )
           )
          )
          (i64.const 2)
         )
         (i64.const 4)
        )
       )
      )
      (if
       (i64.ne
        (i64.load8_s offset=16
         (i32.add
          (local.get $6)
          (i32.wrap_i64
           (i64.add
            (local.get $5)
            (i64.const 2)
           )
          )
         )
        )
        (i64.const 0)
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
    (i64.ne
     (local.get $3)
     (i64.const 0)
    )
   )
   (block (result i32)
    (local.set $4
     (i64.const 1)
    )
    (local.set $2
     (i64.const 0)
    )
    (block $q_end4
     (br_if $q_end4
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
     (loop $q_next5
      (local.set $5
       (i64.const 1)
      )
      (local.set $3
       (i64.const 0)
      )
      (block $q_end6
       (br_if $q_end6
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
       (loop $q_next7
        (if
         (i32.eqz
          (if (result i32)
           (i64.eq
            (local.get $2)
            (local.get $3)
           )
           (then
            (i32.const 1)
           )
           (else
            (i64.ne
             (i64.load
              (i32.add
               (i32.mul
                (i32.add
                 (local.get $0)
                 (i32.wrap_i64
                  (local.get $2)
                 )
                )
                (i32.const 24)
               )
               (i32.const 256)
              )
             )
             (i64.load
              (i32.add
               (i32.mul
                (i32.add
                 (local.get $0)
                 (i32.wrap_i64
                  (local.get $3)
                 )
                )
                (i32.const 24)
               )
               (i32.const 256)
              )
             )
            )
           )
          )
         )
         (then
          (local.set $5
           (i64.const 0)
          )
          (br $q_end6)
         )
        )
        (br_if $q_end6
         (i64.eq
          (local.get $3)
          (local.get $8)
         )
        )
        (local.set $3
         (i64.add
          (local.get $3)
          (i64.const 1)
         )
        )
        (br $q_next7)
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
        (br $q_end4)
       )
      )
      (br_if $q_end4
       (i64.eq
        (local.get $2)
        (local.get $7)
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
     (i64.ne
      (local.get $4)
      (i64.const 0)
     )
     (i32.const 1)
    )
   )
  )
 )
 (func $global-agg-size (result i32)
  (i32.const 80)
 )
 (func $global-agg-add (param $0 i32) (param $1 i32) (param $2 i32) (result i32)
  (local $3 i64)
  (local $4 i64)
  (local $5 i64)
  (local.set $1
   (i32.add
    (i32.mul
     (local.get $1)
     (i32.const 24)
    )
    (i32.const 256)
   )
  )
  (block $term_done0
   (if
    (i64.ge_s
     (local.tee $4
      (i64.load
       (i32.add
        (i32.mul
         (local.get $0)
         (i32.const 24)
        )
        (i32.const 256)
       )
      )
     )
     (i64.const 0)
    )
    (then
     (i64.store offset=8 align=1
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
    (else
     (i64.store offset=16 align=1
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
           (i64.load offset=16 align=1
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
           (i64.load offset=16 align=1
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
   )
  )
  (local.set $4
   (i64.extend_i32_u
    (i64.gt_s
     (i64.load offset=8
      (i32.add
       (i32.mul
        (local.get $0)
        (i32.const 24)
       )
       (i32.const 256)
      )
     )
     (i64.const 0)
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
  (block $term_done4
   (if
    (i64.le_u
     (i64.add
      (local.tee $4
       (i64.load offset=8
        (local.tee $0
         (i32.add
          (i32.mul
           (local.get $0)
           (i32.const 24)
          )
          (i32.const 256)
         )
        )
       )
      )
      (i64.const 2)
     )
     (i64.const 4)
    )
    (then
     (local.set $4
      (i64.extend_i32_u
       (i64.ne
        (i64.load8_s offset=16
         (i32.add
          (local.get $0)
          (i32.wrap_i64
           (i64.add
            (local.get $4)
            (i64.const 2)
           )
          )
         )
        )
        (i64.const 0)
       )
      )
     )
     (i64.store offset=56 align=1
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
           (i64.load offset=56 align=1
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
          (br $term_done4)
         )
        )
        (local.get $3)
       )
       (else
        (local.set $5
         (i64.sub
          (local.tee $3
           (i64.load offset=56 align=1
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
          (br $term_done4)
         )
        )
        (local.get $5)
       )
      )
     )
     (br $term_done4)
    )
   )
   (i64.store offset=72 align=1
    (local.get $1)
    (i64.add
     (i64.load offset=72 align=1
      (local.get $1)
     )
     (i64.extend_i32_s
      (local.get $2)
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
  (if
   (i64.ne
    (i64.or
     (i64.or
      (i64.or
       (i64.load align=1
        (local.tee $2
         (i32.add
          (i32.mul
           (local.get $3)
           (i32.const 24)
          )
          (i32.const 256)
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
     (i64.load offset=72 align=1
      (local.get $2)
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
   (i64.ge_s
    (i64.add
     (i64.load offset=8 align=1
      (local.get $2)
     )
     (i64.load offset=16 align=1
      (local.get $2)
     )
    )
    (i64.const 1000000)
   )
   (then
    (return
     (i32.const 42)
    )
   )
  )
  (if
   (i64.gt_s
    (i64.load offset=32 align=1
     (local.get $2)
    )
    (i64.const 3)
   )
   (then
    (return
     (i32.const 42)
    )
   )
  )
  (i32.const 0)
 )
 (func $global-liveness-agg (param $0 i32) (param $1 i32) (param $2 i32) (result i32)
  (local $3 i64)
  (local $4 i64)
  (local $5 i64)
  (local $6 i64)
  (local $7 i64)
  (local $8 i64)
  (if
   (i64.ne
    (i64.or
     (i64.or
      (i64.or
       (i64.load align=1
        (local.tee $2
         (i32.add
          (i32.mul
           (local.get $2)
           (i32.const 24)
          )
          (i32.const 256)
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
     (i64.load offset=72 align=1
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
  (local.set $5
   (i64.const 1)
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
    (local.set $6
     (i64.const 1)
    )
    (local.set $4
     (i64.const 0)
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
      (if
       (i32.eqz
        (if (result i32)
         (i64.eq
          (local.get $3)
          (local.get $4)
         )
         (then
          (i32.const 1)
         )
         (else
          (i64.ne
           (i64.load
            (i32.add
             (i32.mul
              (i32.add
               (local.get $0)
               (i32.wrap_i64
                (local.get $3)
               )
              )
              (i32.const 24)
             )
             (i32.const 256)
            )
           )
           (i64.load
            (i32.add
             (i32.mul
              (i32.add
               (local.get $0)
               (i32.wrap_i64
                (local.get $4)
               )
              )
              (i32.const 24)
             )
             (i32.const 256)
            )
           )
          )
         )
        )
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
  (i32.or
   (i32.shl
    (i32.wrap_i64
     (local.get $5)
    )
    (i32.const 1)
   )
   (i64.ne
    (i64.load offset=56 align=1
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
 ;; custom section "vigil", size 10642, contents: "{\"abi\":1,\"name\":\"Calc\",\"sourceHash\":\"858f198cdb3afe20c917ac18d959113aa067bf730057b576de25701dd49637da\",\"stride\":24,\"slots\":[{\"offset\":0,\"width\":8,\"signed\":true},{\"offset\":8,\"width\":8,\"signed\":true},{\"offset\":16,\"width\":1,\"signed\":true},{\"offset\":17,\"width\":1,\"signed\":true},{\"offset\":18,\"width\":1,\"signed\":true},{\"offset\":19,\"width\":1,\"signed\":true},{\"offset\":20,\"width\":1,\"signed\":true}],\"vars\":[{\"name\":\"acc\",\"type\":{\"kind\":\"int\"},\"base\":0,\"size\":1,\"range\":{\"line\":10,\"column\":3,\"endLine\":10,\"endColumn\":21}},{\"name\":\"last\",\"type\":{\"kind\":\"int\"},\"base\":1,\"size\":1,\"range\":{\"line\":11,\"column\":3,\"endLine\":11,\"endColumn\":22}},{\"name\":\"cells\",\"type\":{\"kind\":\"map\",\"key\":{\"kind\":\"range\",\"lo\":\"-2\",\"hi\":\"2\",\"name\":\"Cell\"},\"value\":{\"kind\":\"range\",\"lo\":\"-8\",\"hi\":\"8\",\"name\":\"Small\"}},\"base\":2,\"size\":5,\"range\":{\"line\":12,\"column\":3,\"endLine\":12,\"endColumn\":36}}],\"initial\":[\"0\",\"0\",\"0\",\"0\",\"0\",\"0\",\"0\"],\"actions\":[{\"name\":\"put\",\"stepExport\":\"step-put\",\"checkExport\":\"check-put\",\"params\":[{\"name\":\"v\",\"type\":{\"kind\":\"int\"},\"code\":2}],\"range\":{\"line\":14,\"column\":3,\"endLine\":15,\"endColumn\":13}},{\"name\":\"add\",\"stepExport\":\"step-add\",\"checkExport\":\"check-add\",\"params\":[{\"name\":\"v\",\"type\":{\"kind\":\"int\"},\"code\":3}],\"range\":{\"line\":17,\"column\":3,\"endLine\":18,\"endColumn\":19}},{\"name\":\"mul\",\"stepExport\":\"step-mul\",\"checkExport\":\"check-mul\",\"params\":[{\"name\":\"v\",\"type\":{\"kind\":\"int\"},\"code\":5}],\"range\":{\"line\":20,\"column\":3,\"endLine\":21,\"endColumn\":19}},{\"name\":\"div\",\"stepExport\":\"step-div\",\"checkExport\":\"check-div\",\"params\":[{\"name\":\"v\",\"type\":{\"kind\":\"int\"},\"code\":7}],\"range\":{\"line\":23,\"column\":3,\"endLine\":25,\"endColumn\":19}},{\"name\":\"rem\",\"stepExport\":\"step-rem\",\"checkExport\":\"check-rem\",\"params\":[{\"name\":\"v\",\"type\":{\"kind\":\"int\"},\"code\":10}],\"range\":{\"line\":27,\"column\":3,\"endLine\":28,\"endColumn\":19}},{\"name\":\"negate\",\"stepExport\":\"step-negate\",\"checkExport\":\"check-negate\",\"params\":[],\"range\":{\"line\":30,\"column\":3,\"endLine\":31,\"endColumn\":16}},{\"name\":\"safeDiv\",\"stepExport\":\"step-safe-div\",\"checkExport\":\"check-safe-div\",\"params\":[{\"name\":\"v\",\"type\":{\"kind\":\"int\"},\"code\":13}],\"range\":{\"line\":33,\"column\":3,\"endLine\":35,\"endColumn\":43}},{\"name\":\"store\",\"stepExport\":\"step-store\",\"checkExport\":\"check-store\",\"params\":[{\"name\":\"k\",\"type\":{\"kind\":\"int\"},\"code\":17}],\"range\":{\"line\":38,\"column\":3,\"endLine\":39,\"endColumn\":26}},{\"name\":\"swapLast\",\"stepExport\":\"step-swap-last\",\"checkExport\":\"check-swap-last\",\"params\":[],\"range\":{\"line\":41,\"column\":3,\"endLine\":43,\"endColumn\":16}},{\"name\":\"spread\",\"stepExport\":\"step-spread\",\"checkExport\":\"check-spread\",\"params\":[],\"range\":{\"line\":45,\"column\":3,\"endLine\":46,\"endColumn\":61}},{\"name\":\"shift\",\"stepExport\":\"step-shift\",\"checkExport\":\"check-shift\",\"params\":[{\"name\":\"k\",\"type\":{\"kind\":\"range\",\"lo\":\"-2\",\"hi\":\"2\",\"name\":\"Cell\"},\"code\":24}],\"range\":{\"line\":48,\"column\":3,\"endLine\":51,\"endColumn\":26}}],\"invariants\":[{\"name\":\"CellsBounded\",\"code\":35,\"range\":{\"line\":53,\"column\":3,\"endLine\":54,\"endColumn\":36}},{\"name\":\"LastNotSeven\",\"code\":38,\"range\":{\"line\":56,\"column\":3,\"endLine\":57,\"endColumn\":21}}],\"globalInvariants\":[{\"name\":\"SmallTotal\",\"code\":42,\"range\":{\"line\":62,\"column\":3,\"endLine\":63,\"endColumn\":76}}],\"globalSlots\":[0,1],\"liveness\":[{\"name\":\"AccReturnsToZero\",\"code\":40,\"range\":{\"line\":59,\"column\":3,\"endLine\":60,\"endColumn\":48},\"withinMs\":1000,\"bit\":0}],\"globalLiveness\":[{\"name\":\"CellsSettle\",\"code\":44,\"range\":{\"line\":65,\"column\":3,\"endLine\":67,\"endColumn\":67},\"withinMs\":2000,\"bit\":0}],\"verdicts\":[{\"code\":0,\"kind\":\"ok\",\"item\":\"spec Calc\",\"detail\":\"\",\"range\":{\"line\":5,\"column\":1,\"endLine\":5,\"endColumn\":10}},{\"code\":1,\"kind\":\"unknown_action\",\"item\":\"spec Calc\",\"detail\":\"\",\"range\":{\"line\":5,\"column\":1,\"endLine\":5,\"endColumn\":10}},{\"code\":2,\"kind\":\"bad_argument\",\"item\":\"action put\",\"detail\":\"v\",\"range\":{\"line\":14,\"column\":14,\"endLine\":14,\"endColumn\":15}},{\"code\":3,\"kind\":\"bad_argument\",\"item\":\"action add\",\"detail\":\"v\",\"range\":{\"line\":17,\"column\":14,\"endLine\":17,\"endColumn\":15}},{\"code\":4,\"kind\":\"arith_error\",\"item\":\"action add\",\"detail\":\"acc + v: overflow\",\"range\":{\"line\":18,\"column\":12,\"endLine\":18,\"endColumn\":19}},{\"code\":5,\"kind\":\"bad_argument\",\"item\":\"action mul\",\"detail\":\"v\",\"range\":{\"line\":20,\"column\":14,\"endLine\":20,\"endColumn\":15}},{\"code\":6,\"kind\":\"arith_error\",\"item\":\"action mul\",\"detail\":\"acc * v: overflow\",\"range\":{\"line\":21,\"column\":12,\"endLine\":21,\"endColumn\":19}},{\"code\":7,\"kind\":\"bad_argument\",\"item\":\"action div\",\"detail\":\"v\",\"range\":{\"line\":23,\"column\":14,\"endLine\":23,\"endColumn\":15}},{\"code\":8,\"kind\":\"arith_error\",\"item\":\"action div\",\"detail\":\"acc % v: division by zero\",\"range\":{\"line\":24,\"column\":13,\"endLine\":24,\"endColumn\":20}},{\"code\":9,\"kind\":\"arith_error\",\"item\":\"action div\",\"detail\":\"acc / v: overflow or division by zero\",\"range\":{\"line\":25,\"column\":12,\"endLine\":25,\"endColumn\":19}},{\"code\":10,\"kind\":\"bad_argument\",\"item\":\"action rem\",\"detail\":\"v\",\"range\":{\"line\":27,\"column\":14,\"endLine\":27,\"endColumn\":15}},{\"code\":11,\"kind\":\"arith_error\",\"item\":\"action rem\",\"detail\":\"acc % v: division by zero\",\"range\":{\"line\":28,\"column\":12,\"endLine\":28,\"endColumn\":19}},{\"code\":12,\"kind\":\"arith_error\",\"item\":\"action negate\",\"detail\":\"-acc: overflow\",\"range\":{\"line\":31,\"column\":12,\"endLine\":31,\"endColumn\":16}},{\"code\":13,\"kind\":\"bad_argument\",\"item\":\"action safeDiv\",\"detail\":\"v\",\"range\":{\"line\":33,\"column\":18,\"endLine\":33,\"endColumn\":19}},{\"code\":14,\"kind\":\"guard_failed\",\"item\":\"action safeDiv\",\"detail\":\"require v != 0 implies acc / v != 7\",\"range\":{\"line\":34,\"column\":5,\"endLine\":34,\"endColumn\":40}},{\"code\":15,\"kind\":\"arith_error\",\"item\":\"action safeDiv\",\"detail\":\"acc / v: overflow or division by zero\",\"range\":{\"line\":34,\"column\":28,\"endLine\":34,\"endColumn\":35}},{\"code\":16,\"kind\":\"arith_error\",\"item\":\"action safeDiv\",\"detail\":\"acc / v: overflow or division by zero\",\"range\":{\"line\":35,\"column\":36,\"endLine\":35,\"endColumn\":43}},{\"code\":17,\"kind\":\"bad_argument\",\"item\":\"action store\",\"detail\":\"k\",\"range\":{\"line\":38,\"column\":16,\"endLine\":38,\"endColumn\":17}},{\"code\":18,\"kind\":\"range_violation\",\"item\":\"action store\",\"detail\":\"cells[k]\",\"range\":{\"line\":39,\"column\":5,\"endLine\":39,\"endColumn\":26}},{\"code\":19,\"kind\":\"arith_error\",\"item\":\"action store\",\"detail\":\"cells[k]: key out of 'Cell'\",\"range\":{\"line\":39,\"column\":5,\"endLine\":39,\"endColumn\":13}},{\"code\":20,\"kind\":\"arith_error\",\"item\":\"action store\",\"detail\":\"acc * acc: overflow\",\"range\":{\"line\":39,\"column\":17,\"endLine\":39,\"endColumn\":26}},{\"code\":21,\"kind\":\"arith_error\",\"item\":\"action spread\",\"detail\":\"sum(c: Cell: acc) + count(c: Cell: cells[c] > 0): overflow\",\"range\":{\"line\":46,\"column\":13,\"endLine\":46,\"endColumn\":61}},{\"code\":22,\"kind\":\"arith_error\",\"item\":\"action spread\",\"detail\":\"sum(c: Cell: acc): overflow\",\"range\":{\"line\":46,\"column\":13,\"endLine\":46,\"endColumn\":30}},{\"code\":23,\"kind\":\"arith_error\",\"item\":\"action spread\",\"detail\":\"cells[c]: key out of 'Cell'\",\"range\":{\"line\":46,\"column\":48,\"endLine\":46,\"endColumn\":56}},{\"code\":24,\"kind\":\"bad_argument\",\"item\":\"action shift\",\"detail\":\"k\",\"range\":{\"line\":48,\"column\":16,\"endLine\":48,\"endColumn\":17}},{\"code\":25,\"kind\":\"guard_failed\",\"item\":\"action shift\",\"detail\":\"require forall c: Cell: c < k implies cells[c] <= cells[c + 1]\",\"range\":{\"line\":49,\"column\":5,\"endLine\":49,\"endColumn\":67}},{\"code\":26,\"kind\":\"arith_error\",\"item\":\"action shift\",\"detail\":\"cells[c]: key out of 'Cell'\",\"range\":{\"line\":49,\"column\":43,\"endLine\":49,\"endColumn\":51}},{\"code\":27,\"kind\":\"arith_error\",\"item\":\"action shift\",\"detail\":\"cells[c + 1]: key out of 'Cell'\",\"range\":{\"line\":49,\"column\":55,\"endLine\":49,\"endColumn\":67}},{\"code\":28,\"kind\":\"arith_error\",\"item\":\"action shift\",\"detail\":\"c + 1: overflow\",\"range\":{\"line\":49,\"column\":61,\"endLine\":49,\"endColumn\":66}},{\"code\":29,\"kind\":\"range_violation\",\"item\":\"action shift\",\"detail\":\"cells[k]\",\"range\":{\"line\":50,\"column\":5,\"endLine\":50,\"endColumn\":29}},{\"code\":30,\"kind\":\"arith_error\",\"item\":\"action shift\",\"detail\":\"cells[k]: key out of 'Cell'\",\"range\":{\"line\":50,\"column\":5,\"endLine\":50,\"endColumn\":13}},{\"code\":31,\"kind\":\"arith_error\",\"item\":\"action shift\",\"detail\":\"cells[k] - 1: overflow\",\"range\":{\"line\":50,\"column\":17,\"endLine\":50,\"endColumn\":29}},{\"code\":32,\"kind\":\"arith_error\",\"item\":\"action shift\",\"detail\":\"cells[k]: key out of 'Cell'\",\"range\":{\"line\":50,\"column\":17,\"endLine\":50,\"endColumn\":25}},{\"code\":33,\"kind\":\"arith_error\",\"item\":\"action shift\",\"detail\":\"acc - cells[k]: overflow\",\"range\":{\"line\":51,\"column\":12,\"endLine\":51,\"endColumn\":26}},{\"code\":34,\"kind\":\"arith_error\",\"item\":\"action shift\",\"detail\":\"cells[k]: key out of 'Cell'\",\"range\":{\"line\":51,\"column\":18,\"endLine\":51,\"endColumn\":26}},{\"code\":35,\"kind\":\"invariant_failed\",\"item\":\"invariant CellsBounded\",\"detail\":\"sum(c: Cell: cells[c]) <= Limit\",\"range\":{\"line\":53,\"column\":3,\"endLine\":54,\"endColumn\":36}},{\"code\":36,\"kind\":\"arith_error\",\"item\":\"invariant CellsBounded\",\"detail\":\"sum(c: Cell: cells[c]): overflow\",\"range\":{\"line\":54,\"column\":5,\"endLine\":54,\"endColumn\":27}},{\"code\":37,\"kind\":\"arith_error\",\"item\":\"invariant CellsBounded\",\"detail\":\"cells[c]: key out of 'Cell'\",\"range\":{\"line\":54,\"column\":18,\"endLine\":54,\"endColumn\":26}},{\"code\":38,\"kind\":\"invariant_failed\",\"item\":\"invariant LastNotSeven\",\"detail\":\"last % 1000 != 7\",\"range\":{\"line\":56,\"column\":3,\"endLine\":57,\"endColumn\":21}},{\"code\":39,\"kind\":\"arith_error\",\"item\":\"invariant LastNotSeven\",\"detail\":\"last % 1000: division by zero\",\"range\":{\"line\":57,\"column\":5,\"endLine\":57,\"endColumn\":16}},{\"code\":40,\"kind\":\"liveness_timeout\",\"item\":\"liveness AccReturnsToZero\",\"detail\":\"when 100 / acc > 1 then eventually acc == 0\",\"range\":{\"line\":59,\"column\":3,\"endLine\":60,\"endColumn\":48}},{\"code\":41,\"kind\":\"arith_error\",\"item\":\"liveness AccReturnsToZero\",\"detail\":\"100 / acc: overflow or division by zero\",\"range\":{\"line\":60,\"column\":10,\"endLine\":60,\"endColumn\":19}},{\"code\":42,\"kind\":\"invariant_failed\",\"item\":\"global invariant SmallTotal\",\"detail\":\"sum(n in nodes: n.acc) < 1000000 and count(n in nodes: n.last > 0) <= 3\",\"range\":{\"line\":62,\"column\":3,\"endLine\":63,\"endColumn\":76}},{\"code\":43,\"kind\":\"arith_error\",\"item\":\"global invariant SmallTotal\",\"detail\":\"sum(n in nodes: n.acc): overflow\",\"range\":{\"line\":63,\"column\":5,\"endLine\":63,\"endColumn\":27}},{\"code\":44,\"kind\":\"liveness_timeout\",\"item\":\"global liveness CellsSettle\",\"detail\":\"when exists n in nodes: n.cells[n.last] != 0 then eventually forall a, b in nodes: a == b or a.acc != b.acc\",\"range\":{\"line\":65,\"column\":3,\"endLine\":67,\"endColumn\":67}},{\"code\":45,\"kind\":\"arith_error\",\"item\":\"global liveness CellsSettle\",\"detail\":\"n.cells[n.last]: key out of 'Cell'\",\"range\":{\"line\":66,\"column\":29,\"endLine\":66,\"endColumn\":44}}],\"range\":{\"line\":5,\"column\":1,\"endLine\":5,\"endColumn\":10}}"
)
