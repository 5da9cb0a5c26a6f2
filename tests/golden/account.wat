(module
 (type $0 (func (param i32) (result i32)))
 (type $1 (func (param i32 i32 i32) (result i32)))
 (type $2 (func (result i32)))
 (type $3 (func (param i32 f64) (result i32)))
 (type $4 (func (param i32 f64 f64) (result i32)))
 (type $5 (func (param i32 i32 f64 f64) (result i32)))
 (type $6 (func (param i32 i32 i32 i32) (result i32)))
 (type $7 (func (param i32)))
 (type $8 (func (param i32 i32) (result i64)))
 (type $9 (func (param i32 i32 i64) (result i32)))
 (type $10 (func (param i32 i32) (result i32)))
 (type $11 (func (param i32 i32 i32 i32 i32 i32) (result i32)))
 (global $instance_count (mut i32) (i32.const 0))
 (memory $0 1 65536)
 (data $0 (i32.const 23) "\80\ff\ff\ff\ff\ff\ff\ff\7f\00\00\00\00\08\01")
 (data $0.1 (i32.const 47) "\80\ff\ff\ff\ff\ff\ff\ff\7f\08\00\00\00\08\01")
 (data $0.2 (i32.const 73) "\ca\9a;\00\00\00\00\10\00\00\00\04")
 (data $0.3 (i32.const 97) "\ca\9a;\00\00\00\00\14\00\00\00\04")
 (data $0.4 (i32.const 121) "\ca\9a;\00\00\00\00\18\00\00\00\04")
 (data $0.5 (i32.const 144) "\01\00\00\00\00\00\00\00\1c\00\00\00\01")
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
 (export "global-liveness" (func $global-check))
 (export "global-agg-size" (func $global-agg-size))
 (export "global-agg-add" (func $global-agg-add))
 (export "global-check-agg" (func $global-check-agg))
 (export "global-liveness-agg" (func $global-liveness-agg))
 (export "step-deposit" (func $step-deposit))
 (export "check-deposit" (func $check-deposit))
 (export "step-withdraw" (func $step-withdraw))
 (export "check-withdraw" (func $check-withdraw))
 (export "step-new-day" (func $step-new-day))
 (export "check-new-day" (func $check-new-day))
 (export "step-freeze" (func $step-freeze))
 (export "check-freeze" (func $check-freeze))
 (export "step-unfreeze" (func $step-unfreeze))
 (export "check-unfreeze" (func $check-unfreeze))
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
       (i64.const 5)
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
     (memory.copy
      (i32.add
       (i32.shl
        (local.get $0)
        (i32.const 5)
       )
       (i32.const 192)
      )
      (i32.const 160)
      (i32.const 32)
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
      (i32.shl
       (local.get $0)
       (i32.const 5)
      )
      (i32.const 192)
     )
     (i32.const 160)
     (i32.const 32)
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
    (i32.const 5)
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
     (i32.const 6)
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
      (i32.const 5)
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
     (i32.const 6)
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
      (i32.const 5)
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
 (func $step-deposit (param $0 i32) (param $1 f64) (result i32)
  (local $2 i64)
  (local $3 i64)
  (local $4 i64)
  (local $5 i64)
  (local.set $0
   (i32.add
    (i32.shl
     (local.get $0)
     (i32.const 5)
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
       (f64.const 1e9)
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
     (i32.const 2)
    )
   )
  )
  (local.set $2
   (i64.trunc_f64_s
    (local.get $1)
   )
  )
  (if
   (i32.eqz
    (i64.eqz
     (i64.load8_u offset=28
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
   (i64.le_s
    (local.get $2)
    (i64.const 0)
   )
   (then
    (return
     (i32.const 4)
    )
   )
  )
  (local.set $3
   (i64.add
    (local.get $2)
    (local.tee $4
     (i64.load
      (local.get $0)
     )
    )
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
      (local.get $2)
      (local.get $3)
     )
    )
    (i64.const 0)
   )
   (then
    (return
     (i32.const 5)
    )
   )
  )
  (if
   (i64.lt_s
    (local.tee $4
     (local.get $3)
    )
    (i64.const 0)
   )
   (then
    (return
     (i32.const 32)
    )
   )
  )
  (local.set $3
   (i64.const 0)
  )
  (local.set $2
   (i64.const 0)
  )
  (loop $q_next1
   (if
    (i64.lt_s
     (i64.and
      (i64.xor
       (local.get $3)
       (local.tee $3
        (i64.add
         (local.tee $5
          (i64.load32_u offset=16
           (i32.add
            (local.get $0)
            (i32.shl
             (i32.wrap_i64
              (local.get $2)
             )
             (i32.const 2)
            )
           )
          )
         )
         (local.get $3)
        )
       )
      )
      (i64.xor
       (local.get $3)
       (local.get $5)
      )
     )
     (i64.const 0)
    )
    (then
     (return
      (i32.const 34)
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
    (i64.const 1000)
   )
   (then
    (return
     (i32.const 33)
    )
   )
  )
  (if
   (i64.gt_u
    (i64.load32_u offset=16
     (local.get $0)
    )
    (i64.const 400)
   )
   (then
    (return
     (i32.const 36)
    )
   )
  )
  (if
   (i64.lt_s
    (i64.load offset=8
     (local.get $0)
    )
    (i64.load offset=8
     (local.get $0)
    )
   )
   (then
    (return
     (i32.const 38)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (i64.eq
      (i64.load offset=8
       (local.get $0)
      )
      (i64.load offset=8
       (local.get $0)
      )
     )
     (then
      (local.set $3
       (i64.const 1)
      )
      (local.set $2
       (i64.const 0)
      )
      (loop $q_next3
       (block $q_end2
        (if
         (i64.lt_s
          (local.tee $5
           (i64.load32_u offset=16
            (i32.add
             (local.get $0)
             (i32.shl
              (i32.wrap_i64
               (local.get $2)
              )
              (i32.const 2)
             )
            )
           )
          )
          (local.get $5)
         )
         (then
          (local.set $3
           (i64.const 0)
          )
          (br $q_end2)
         )
        )
        (br_if $q_end2
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
        (br $q_next3)
       )
      )
      (i64.ne
       (local.get $3)
       (i64.const 0)
      )
     )
     (else
      (i32.const 1)
     )
    )
   )
   (then
    (return
     (i32.const 39)
    )
   )
  )
  (i64.store
   (local.get $0)
   (local.get $4)
  )
  (i32.const 0)
 )
 (func $check-deposit (param $0 i32) (param $1 f64) (result i32)
  (local $2 i64)
  (local $3 i64)
  (local $4 i64)
  (local.set $0
   (i32.add
    (i32.shl
     (local.get $0)
     (i32.const 5)
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
       (f64.const 1e9)
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
     (i32.const 2)
    )
   )
  )
  (local.set $2
   (i64.trunc_f64_s
    (local.get $1)
   )
  )
  (if
   (i32.eqz
    (i64.eqz
     (i64.load8_u offset=28
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
   (i64.le_s
    (local.get $2)
    (i64.const 0)
   )
   (then
    (return
     (i32.const 4)
    )
   )
  )
  (local.set $3
   (i64.add
    (local.get $2)
    (local.tee $4
     (i64.load
      (local.get $0)
     )
    )
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
      (local.get $2)
      (local.get $3)
     )
    )
    (i64.const 0)
   )
   (then
    (return
     (i32.const 5)
    )
   )
  )
  (if
   (i64.lt_s
    (local.get $3)
    (i64.const 0)
   )
   (then
    (return
     (i32.const 32)
    )
   )
  )
  (local.set $3
   (i64.const 0)
  )
  (local.set $2
   (i64.const 0)
  )
  (loop $q_next1
   (if
    (i64.lt_s
     (i64.and
      (i64.xor
       (local.get $3)
       (local.tee $3
        (i64.add
         (local.tee $4
          (i64.load32_u offset=16
           (i32.add
            (local.get $0)
            (i32.shl
             (i32.wrap_i64
              (local.get $2)
             )
             (i32.const 2)
            )
           )
          )
         )
         (local.get $3)
        )
       )
      )
      (i64.xor
       (local.get $3)
       (local.get $4)
      )
     )
     (i64.const 0)
    )
    (then
     (return
      (i32.const 34)
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
    (i64.const 1000)
   )
   (then
    (return
     (i32.const 33)
    )
   )
  )
  (if
   (i64.gt_u
    (i64.load32_u offset=16
     (local.get $0)
    )
    (i64.const 400)
   )
   (then
    (return
     (i32.const 36)
    )
   )
  )
  (if
   (i64.lt_s
    (i64.load offset=8
     (local.get $0)
    )
    (i64.load offset=8
     (local.get $0)
    )
   )
   (then
    (return
     (i32.const 38)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (i64.eq
      (i64.load offset=8
       (local.get $0)
      )
      (i64.load offset=8
       (local.get $0)
      )
     )
     (then
      (local.set $3
       (i64.const 1)
      )
      (local.set $2
       (i64.const 0)
      )
      (loop $q_next3
       (block $q_end2
        (if
         (i64.lt_s
          (local.tee $4
           (i64.load32_u offset=16
            (i32.add
             (local.get $0)
             (i32.shl
              (i32.wrap_i64
               (local.get $2)
              )
              (i32.const 2)
             )
            )
           )
          )
          (local.get $4)
         )
         (then
          (local.set $3
           (i64.const 0)
          )
          (br $q_end2)
         )
        )
        (br_if $q_end2
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
        (br $q_next3)
       )
      )
      (i64.ne
       (local.get $3)
       (i64.const 0)
      )
     )
     (else
      (i32.const 1)
     )
    )
   )
   (then
    (return
     (i32.const 39)
    )
   )
  )
  (i32.const 0)
 )
 (func $step-withdraw (param $0 i32) (param $1 f64) (param $2 f64) (result i32)
  (local $3 i64)
  (local $4 i64)
  (local $5 i64)
  (local $6 i64)
  (local $7 i64)
  (local $8 i64)
  (local.set $0
   (i32.add
    (i32.shl
     (local.get $0)
     (i32.const 5)
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
       (f64.const 2)
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
     (i32.const 6)
    )
   )
  )
  (local.set $6
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
       (f64.const 1e9)
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
     (i32.const 7)
    )
   )
  )
  (local.set $4
   (i64.trunc_f64_s
    (local.get $2)
   )
  )
  (if
   (i32.eqz
    (i64.eqz
     (i64.load8_u offset=28
      (local.get $0)
     )
    )
   )
   (then
    (return
     (i32.const 8)
    )
   )
  )
  (if
   (i64.le_s
    (local.get $4)
    (i64.const 0)
   )
   (then
    (return
     (i32.const 9)
    )
   )
  )
  (if
   (i64.lt_s
    (i64.load
     (local.get $0)
    )
    (local.get $4)
   )
   (then
    (return
     (i32.const 10)
    )
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
         (local.tee $7
          (i64.load32_u offset=16
           (i32.add
            (local.get $0)
            (i32.shl
             (i32.wrap_i64
              (local.get $5)
             )
             (i32.const 2)
            )
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
      (i32.const 13)
     )
    )
   )
   (if
    (i32.eqz
     (i64.eq
      (local.get $5)
      (i64.const 2)
     )
    )
    (then
     (local.set $5
      (i64.add
       (local.get $5)
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
      (local.get $3)
      (local.tee $3
       (i64.add
        (local.get $3)
        (local.get $4)
       )
      )
     )
     (i64.xor
      (local.get $3)
      (local.get $4)
     )
    )
    (i64.const 0)
   )
   (then
    (return
     (i32.const 12)
    )
   )
  )
  (if
   (i64.gt_s
    (local.get $3)
    (i64.const 1000)
   )
   (then
    (return
     (i32.const 11)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (i64.ne
      (local.get $6)
      (i64.const 0)
     )
     (then
      (i32.const 1)
     )
     (else
      (local.set $3
       (i64.add
        (local.get $4)
        (local.tee $5
         (i64.load32_u offset=16
          (local.get $0)
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
        (return
         (i32.const 16)
        )
       )
      )
      (i64.le_s
       (local.get $3)
       (i64.const 400)
      )
     )
    )
   )
   (then
    (return
     (i32.const 15)
    )
   )
  )
  (local.set $5
   (i64.sub
    (local.tee $3
     (i64.load
      (local.get $0)
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
    (return
     (i32.const 18)
    )
   )
  )
  (local.set $7
   (local.get $5)
  )
  (local.set $3
   (i64.add
    (local.get $4)
    (local.tee $5
     (i64.load32_u offset=16
      (i32.add
       (local.get $0)
       (i32.shl
        (i32.wrap_i64
         (local.get $6)
        )
        (i32.const 2)
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
    (return
     (i32.const 21)
    )
   )
  )
  (if
   (i64.gt_u
    (local.get $3)
    (i64.const 1000000000)
   )
   (then
    (return
     (i32.const 19)
    )
   )
  )
  (if
   (i64.lt_s
    (local.get $7)
    (i64.const 0)
   )
   (then
    (return
     (i32.const 32)
    )
   )
  )
  (local.set $5
   (i64.const 0)
  )
  (local.set $4
   (i64.const 0)
  )
  (loop $q_next3
   (if
    (i64.lt_s
     (i64.and
      (i64.xor
       (local.get $5)
       (local.tee $5
        (i64.add
         (local.tee $8
          (select
           (local.get $3)
           (i64.load32_u offset=16
            (i32.add
             (local.get $0)
             (i32.shl
              (i32.wrap_i64
               (local.get $4)
              )
              (i32.const 2)
             )
            )
           )
           (i64.eq
            (local.get $4)
            (local.get $6)
           )
          )
         )
         (local.get $5)
        )
       )
      )
      (i64.xor
       (local.get $5)
       (local.get $8)
      )
     )
     (i64.const 0)
    )
    (then
     (return
      (i32.const 34)
     )
    )
   )
   (if
    (i32.eqz
     (i64.eq
      (local.get $4)
      (i64.const 2)
     )
    )
    (then
     (local.set $4
      (i64.add
       (local.get $4)
       (i64.const 1)
      )
     )
     (br $q_next3)
    )
   )
  )
  (if
   (i64.gt_s
    (local.get $5)
    (i64.const 1000)
   )
   (then
    (return
     (i32.const 33)
    )
   )
  )
  (if
   (i64.gt_s
    (select
     (local.get $3)
     (i64.load32_u offset=16
      (local.get $0)
     )
     (i64.eqz
      (local.get $6)
     )
    )
    (i64.const 400)
   )
   (then
    (return
     (i32.const 36)
    )
   )
  )
  (if
   (i64.lt_s
    (i64.load offset=8
     (local.get $0)
    )
    (i64.load offset=8
     (local.get $0)
    )
   )
   (then
    (return
     (i32.const 38)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (i64.eq
      (i64.load offset=8
       (local.get $0)
      )
      (i64.load offset=8
       (local.get $0)
      )
     )
     (then
      (local.set $5
       (i64.const 1)
      )
      (local.set $4
       (i64.const 0)
      )
      (loop $q_next5
       (block $q_end4
        (if
         (i64.lt_s
          (select
           (local.get $3)
           (local.tee $8
            (i64.load32_u offset=16
             (i32.add
              (local.get $0)
              (i32.shl
               (i32.wrap_i64
                (local.get $4)
               )
               (i32.const 2)
              )
             )
            )
           )
           (i64.eq
            (local.get $4)
            (local.get $6)
           )
          )
          (local.get $8)
         )
         (then
          (local.set $5
           (i64.const 0)
          )
          (br $q_end4)
         )
        )
        (br_if $q_end4
         (i64.eq
          (local.get $4)
          (i64.const 2)
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
      (i64.ne
       (local.get $5)
       (i64.const 0)
      )
     )
     (else
      (i32.const 1)
     )
    )
   )
   (then
    (return
     (i32.const 39)
    )
   )
  )
  (i64.store
   (local.get $0)
   (local.get $7)
  )
  (i64.store32 offset=16
   (i32.add
    (local.get $0)
    (i32.shl
     (i32.wrap_i64
      (local.get $6)
     )
     (i32.const 2)
    )
   )
   (local.get $3)
  )
  (i32.const 0)
 )
 (func $check-withdraw (param $0 i32) (param $1 f64) (param $2 f64) (result i32)
  (local $3 i64)
  (local $4 i64)
  (local $5 i64)
  (local $6 i64)
  (local $7 i64)
  (local.set $0
   (i32.add
    (i32.shl
     (local.get $0)
     (i32.const 5)
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
       (f64.const 2)
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
     (i32.const 6)
    )
   )
  )
  (local.set $7
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
       (f64.const 1e9)
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
     (i32.const 7)
    )
   )
  )
  (local.set $4
   (i64.trunc_f64_s
    (local.get $2)
   )
  )
  (if
   (i32.eqz
    (i64.eqz
     (i64.load8_u offset=28
      (local.get $0)
     )
    )
   )
   (then
    (return
     (i32.const 8)
    )
   )
  )
  (if
   (i64.le_s
    (local.get $4)
    (i64.const 0)
   )
   (then
    (return
     (i32.const 9)
    )
   )
  )
  (if
   (i64.lt_s
    (i64.load
     (local.get $0)
    )
    (local.get $4)
   )
   (then
    (return
     (i32.const 10)
    )
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
          (i64.load32_u offset=16
           (i32.add
            (local.get $0)
            (i32.shl
             (i32.wrap_i64
              (local.get $5)
             )
             (i32.const 2)
            )
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
      (i32.const 13)
     )
    )
   )
   (if
    (i32.eqz
     (i64.eq
      (local.get $5)
      (i64.const 2)
     )
    )
    (then
     (local.set $5
      (i64.add
       (local.get $5)
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
      (local.get $3)
      (local.tee $3
       (i64.add
        (local.get $3)
        (local.get $4)
       )
      )
     )
     (i64.xor
      (local.get $3)
      (local.get $4)
     )
    )
    (i64.const 0)
   )
   (then
    (return
     (i32.const 12)
    )
   )
  )
  (if
   (i64.gt_s
    (local.get $3)
    (i64.const 1000)
   )
   (then
    (return
     (i32.const 11)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (i64.ne
      (local.get $7)
      (i64.const 0)
     )
     (then
      (i32.const 1)
     )
     (else
      (local.set $3
       (i64.add
        (local.get $4)
        (local.tee $5
         (i64.load32_u offset=16
          (local.get $0)
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
        (return
         (i32.const 16)
        )
       )
      )
      (i64.le_s
       (local.get $3)
       (i64.const 400)
      )
     )
    )
   )
   (then
    (return
     (i32.const 15)
    )
   )
  )
  (local.set $5
   (i64.sub
    (local.tee $3
     (i64.load
      (local.get $0)
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
    (return
     (i32.const 18)
    )
   )
  )
  (local.set $6
   (local.get $5)
  )
  (local.set $3
   (i64.add
    (local.get $4)
    (local.tee $5
     (i64.load32_u offset=16
      (i32.add
       (local.get $0)
       (i32.shl
        (i32.wrap_i64
         (local.get $7)
        )
        (i32.const 2)
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
    (return
     (i32.const 21)
    )
   )
  )
  (if
   (i64.gt_u
    (local.tee $5
     (local.get $3)
    )
    (i64.const 1000000000)
   )
   (then
    (return
     (i32.const 19)
    )
   )
  )
  (if
   (i64.lt_s
    (local.get $6)
    (i64.const 0)
   )
   (then
    (return
     (i32.const 32)
    )
   )
  )
  (local.set $3
   (i64.const 0)
  )
  (local.set $4
   (i64.const 0)
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
           (i64.load32_u offset=16
            (i32.add
             (local.get $0)
             (i32.shl
              (i32.wrap_i64
               (local.get $4)
              )
              (i32.const 2)
             )
            )
           )
           (i64.eq
            (local.get $4)
            (local.get $7)
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
      (i32.const 34)
     )
    )
   )
   (if
    (i32.eqz
     (i64.eq
      (local.get $4)
      (i64.const 2)
     )
    )
    (then
     (local.set $4
      (i64.add
       (local.get $4)
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
    (i64.const 1000)
   )
   (then
    (return
     (i32.const 33)
    )
   )
  )
  (if
   (i64.gt_s
    (select
     (local.get $5)
     (i64.load32_u offset=16
      (local.get $0)
     )
     (i64.eqz
      (local.get $7)
     )
    )
    (i64.const 400)
   )
   (then
    (return
     (i32.const 36)
    )
   )
  )
  (if
   (i64.lt_s
    (i64.load offset=8
     (local.get $0)
    )
    (i64.load offset=8
     (local.get $0)
    )
   )
   (then
    (return
     (i32.const 38)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (i64.eq
      (i64.load offset=8
       (local.get $0)
      )
      (i64.load offset=8
       (local.get $0)
      )
     )
     (then
      (local.set $3
       (i64.const 1)
      )
      (local.set $4
       (i64.const 0)
      )
      (loop $q_next5
       (block $q_end4
        (if
         (i64.lt_s
          (select
           (local.get $5)
           (local.tee $6
            (i64.load32_u offset=16
             (i32.add
              (local.get $0)
              (i32.shl
               (i32.wrap_i64
                (local.get $4)
               )
               (i32.const 2)
              )
             )
            )
           )
           (i64.eq
            (local.get $4)
            (local.get $7)
           )
          )
          (local.get $6)
         )
         (then
          (local.set $3
           (i64.const 0)
          )
          (br $q_end4)
         )
        )
        (br_if $q_end4
         (i64.eq
          (local.get $4)
          (i64.const 2)
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
      (i64.ne
       (local.get $3)
       (i64.const 0)
      )
     )
     (else
      (i32.const 1)
     )
    )
   )
   (then
    (return
     (i32.const 39)
    )
   )
  )
  (i32.const 0)
 )
 (func $step-new-day (param $0 i32) (result i32)
  (local $1 i64)
  (local $2 i64)
  (local $3 i64)
  (local $4 i64)
  (if
   (i64.eq
    (local.tee $1
     (i64.load offset=8
      (local.tee $0
       (i32.add
        (i32.shl
         (local.get $0)
         (i32.const 5)
        )
        (i32.const 192)
       )
      )
     )
    )
    (i64.const 9223372036854775807)
   )
   (then
    (return
     (i32.const 23)
    )
   )
  )
  (local.set $3
   (i64.add
    (local.get $1)
    (i64.const 1)
   )
  )
  (if
   (i64.lt_s
    (i64.load
     (local.get $0)
    )
    (i64.const 0)
   )
   (then
    (return
     (i32.const 32)
    )
   )
  )
  (local.set $1
   (i64.const 0)
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
          (select
           (select
            (select
             (i64.const 0)
             (i64.load32_u offset=16
              (i32.add
               (local.get $0)
               (i32.shl
                (i32.wrap_i64
                 (local.get $1)
                )
                (i32.const 2)
               )
              )
             )
             (i64.eqz
              (local.get $1)
             )
            )
            (i64.const 0)
            (i64.ne
             (local.get $1)
             (i64.const 1)
            )
           )
           (i64.const 0)
           (i64.ne
            (local.get $1)
            (i64.const 2)
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
      (i32.const 34)
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
   (i64.gt_s
    (local.get $2)
    (i64.const 1000)
   )
   (then
    (return
     (i32.const 33)
    )
   )
  )
  (if
   (i64.gt_s
    (select
     (i64.const 0)
     (i64.load32_u offset=16
      (local.get $0)
     )
     (i32.const 1)
    )
    (i64.const 400)
   )
   (then
    (return
     (i32.const 36)
    )
   )
  )
  (if
   (i64.gt_s
    (i64.load offset=8
     (local.get $0)
    )
    (local.get $3)
   )
   (then
    (return
     (i32.const 38)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (i64.eq
      (local.get $3)
      (i64.load offset=8
       (local.get $0)
      )
     )
     (then
      (local.set $2
       (i64.const 1)
      )
      (local.set $1
       (i64.const 0)
      )
      (loop $q_next3
       (block $q_end2
        (if
         (i64.lt_s
          (select
           (select
            (select
             (i64.const 0)
             (local.tee $4
              (i64.load32_u offset=16
               (i32.add
                (local.get $0)
                (i32.shl
                 (i32.wrap_i64
                  (local.get $1)
                 )
                 (i32.const 2)
                )
               )
              )
             )
             (i64.eqz
              (local.get $1)
             )
            )
            (i64.const 0)
            (i64.ne
             (local.get $1)
             (i64.const 1)
            )
           )
           (i64.const 0)
           (i64.ne
            (local.get $1)
            (i64.const 2)
           )
          )
          (local.get $4)
         )
         (then
          (local.set $2
           (i64.const 0)
          )
          (br $q_end2)
         )
        )
        (br_if $q_end2
         (i64.eq
          (local.get $1)
          (i64.const 2)
         )
        )
        (local.set $1
         (i64.add
          (local.get $1)
          (i64.const 1)
         )
        )
        (br $q_next3)
       )
      )
      (i64.ne
       (local.get $2)
       (i64.const 0)
      )
     )
     (else
      (i32.const 1)
     )
    )
   )
   (then
    (return
     (i32.const 39)
    )
   )
  )
  (i64.store offset=8
   (local.get $0)
   (local.get $3)
  )
  (i64.store32 offset=16
   (local.get $0)
   (i64.const 0)
  )
  (i64.store32 offset=20
   (local.get $0)
   (i64.const 0)
  )
  (i64.store32 offset=24
   (local.get $0)
   (i64.const 0)
  )
  (i32.const 0)
 )
 (func $check-new-day (param $0 i32) (result i32)
  (local $1 i64)
  (local $2 i64)
  (local $3 i64)
  (local $4 i64)
  (if
   (i64.eq
    (local.tee $1
     (i64.load offset=8
      (local.tee $0
       (i32.add
        (i32.shl
         (local.get $0)
         (i32.const 5)
        )
        (i32.const 192)
       )
      )
     )
    )
    (i64.const 9223372036854775807)
   )
   (then
    (return
     (i32.const 23)
    )
   )
  )
  (local.set $3
   (i64.add
    (local.get $1)
    (i64.const 1)
   )
  )
  (if
   (i64.lt_s
    (i64.load
     (local.get $0)
    )
    (i64.const 0)
   )
   (then
    (return
     (i32.const 32)
    )
   )
  )
  (local.set $1
   (i64.const 0)
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
          (select
           (select
            (select
             (i64.const 0)
             (i64.load32_u offset=16
              (i32.add
               (local.get $0)
               (i32.shl
                (i32.wrap_i64
                 (local.get $1)
                )
                (i32.const 2)
               )
              )
             )
             (i64.eqz
              (local.get $1)
             )
            )
            (i64.const 0)
            (i64.ne
             (local.get $1)
             (i64.const 1)
            )
           )
           (i64.const 0)
           (i64.ne
            (local.get $1)
            (i64.const 2)
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
      (i32.const 34)
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
   (i64.gt_s
    (local.get $2)
    (i64.const 1000)
   )
   (then
    (return
     (i32.const 33)
    )
   )
  )
  (if
   (i64.gt_s
    (select
     (i64.const 0)
     (i64.load32_u offset=16
      (local.get $0)
     )
     (i32.const 1)
    )
    (i64.const 400)
   )
   (then
    (return
     (i32.const 36)
    )
   )
  )
  (if
   (i64.gt_s
    (i64.load offset=8
     (local.get $0)
    )
    (local.get $3)
   )
   (then
    (return
     (i32.const 38)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (i64.eq
      (local.get $3)
      (i64.load offset=8
       (local.get $0)
      )
     )
     (then
      (local.set $2
       (i64.const 1)
      )
      (local.set $1
       (i64.const 0)
      )
      (loop $q_next3
       (block $q_end2
        (if
         (i64.lt_s
          (select
           (select
            (select
             (i64.const 0)
             (local.tee $3
              (i64.load32_u offset=16
               (i32.add
                (local.get $0)
                (i32.shl
                 (i32.wrap_i64
                  (local.get $1)
                 )
                 (i32.const 2)
                )
               )
              )
             )
             (i64.eqz
              (local.get $1)
             )
            )
            (i64.const 0)
            (i64.ne
             (local.get $1)
             (i64.const 1)
            )
           )
           (i64.const 0)
           (i64.ne
            (local.get $1)
            (i64.const 2)
           )
          )
          (local.get $3)
         )
         (then
          (local.set $2
           (i64.const 0)
          )
          (br $q_end2)
         )
        )
        (br_if $q_end2
         (i64.eq
          (local.get $1)
          (i64.const 2)
         )
        )
        (local.set $1
         (i64.add
          (local.get $1)
          (i64.const 1)
         )
        )
        (br $q_next3)
       )
      )
      (i64.ne
       (local.get $2)
       (i64.const 0)
      )
     )
     (else
      (i32.const 1)
     )
    )
   )
   (then
    (return
     (i32.const 39)
    )
   )
  )
  (i32.const 0)
 )
 (func $step-freeze (param $0 i32) (result i32)
  (local $1 i64)
  (local $2 i64)
  (local $3 i64)
  (if
   (i32.eqz
    (i64.eqz
     (i64.load8_u offset=28
      (local.tee $0
       (i32.add
        (i32.shl
         (local.get $0)
         (i32.const 5)
        )
        (i32.const 192)
       )
      )
     )
    )
   )
   (then
    (return
     (i32.const 30)
    )
   )
  )
  (if
   (i64.lt_s
    (i64.load
     (local.get $0)
    )
    (i64.const 0)
   )
   (then
    (return
     (i32.const 32)
    )
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
         (local.tee $3
          (i64.load32_u offset=16
           (i32.add
            (local.get $0)
            (i32.shl
             (i32.wrap_i64
              (local.get $1)
             )
             (i32.const 2)
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
       (local.get $3)
      )
     )
     (i64.const 0)
    )
    (then
     (return
      (i32.const 34)
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
   (i64.gt_s
    (local.get $2)
    (i64.const 1000)
   )
   (then
    (return
     (i32.const 33)
    )
   )
  )
  (if
   (i64.gt_u
    (i64.load32_u offset=16
     (local.get $0)
    )
    (i64.const 400)
   )
   (then
    (return
     (i32.const 36)
    )
   )
  )
  (if
   (i64.lt_s
    (i64.load offset=8
     (local.get $0)
    )
    (i64.load offset=8
     (local.get $0)
    )
   )
   (then
    (return
     (i32.const 38)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (i64.eq
      (i64.load offset=8
       (local.get $0)
      )
      (i64.load offset=8
       (local.get $0)
      )
     )
     (then
      (local.set $2
       (i64.const 1)
      )
      (local.set $1
       (i64.const 0)
      )
      (loop $q_next3
       (block $q_end2
        (if
         (i64.lt_s
          (local.tee $3
           (i64.load32_u offset=16
            (i32.add
             (local.get $0)
             (i32.shl
              (i32.wrap_i64
               (local.get $1)
              )
              (i32.const 2)
             )
            )
           )
          )
          (local.get $3)
         )
         (then
          (local.set $2
           (i64.const 0)
          )
          (br $q_end2)
         )
        )
        (br_if $q_end2
         (i64.eq
          (local.get $1)
          (i64.const 2)
         )
        )
        (local.set $1
         (i64.add
          (local.get $1)
          (i64.const 1)
         )
        )
        (br $q_next3)
       )
      )
      (i64.ne
       (local.get $2)
       (i64.const 0)
      )
     )
     (else
      (i32.const 1)
     )
    )
   )
   (then
    (return
     (i32.const 39)
    )
   )
  )
  (i64.store8 offset=28
   (local.get $0)
   (i64.const 1)
  )
  (i32.const 0)
 )
 (func $check-freeze (param $0 i32) (result i32)
  (local $1 i64)
  (local $2 i64)
  (local $3 i64)
  (if
   (i32.eqz
    (i64.eqz
     (i64.load8_u offset=28
      (local.tee $0
       (i32.add
        (i32.shl
         (local.get $0)
         (i32.const 5)
        )
        (i32.const 192)
       )
      )
     )
    )
   )
   (then
    (return
     (i32.const 30)
    )
   )
  )
  (if
   (i64.lt_s
    (i64.load
     (local.get $0)
    )
    (i64.const 0)
   )
   (then
    (return
     (i32.const 32)
    )
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
         (local.tee $3
          (i64.load32_u offset=16
           (i32.add
            (local.get $0)
            (i32.shl
             (i32.wrap_i64
              (local.get $1)
             )
             (i32.const 2)
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
       (local.get $3)
      )
     )
     (i64.const 0)
    )
    (then
     (return
      (i32.const 34)
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
   (i64.gt_s
    (local.get $2)
    (i64.const 1000)
   )
   (then
    (return
     (i32.const 33)
    )
   )
  )
  (if
   (i64.gt_u
    (i64.load32_u offset=16
     (local.get $0)
    )
    (i64.const 400)
   )
   (then
    (return
     (i32.const 36)
    )
   )
  )
  (if
   (i64.lt_s
    (i64.load offset=8
     (local.get $0)
    )
    (i64.load offset=8
     (local.get $0)
    )
   )
   (then
    (return
     (i32.const 38)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (i64.eq
      (i64.load offset=8
       (local.get $0)
      )
      (i64.load offset=8
       (local.get $0)
      )
     )
     (then
      (local.set $2
       (i64.const 1)
      )
      (local.set $1
       (i64.const 0)
      )
      (loop $q_next3
       (block $q_end2
        (if
         (i64.lt_s
          (local.tee $3
           (i64.load32_u offset=16
            (i32.add
             (local.get $0)
             (i32.shl
              (i32.wrap_i64
               (local.get $1)
              )
              (i32.const 2)
             )
            )
           )
          )
          (local.get $3)
         )
         (then
          (local.set $2
           (i64.const 0)
          )
          (br $q_end2)
         )
        )
        (br_if $q_end2
         (i64.eq
          (local.get $1)
          (i64.const 2)
         )
        )
        (local.set $1
         (i64.add
          (local.get $1)
          (i64.const 1)
         )
        )
        (br $q_next3)
       )
      )
      (i64.ne
       (local.get $2)
       (i64.const 0)
      )
     )
     (else
      (i32.const 1)
     )
    )
   )
   (then
    (return
     (i32.const 39)
    )
   )
  )
  (i32.const 0)
 )
 (func $step-unfreeze (param $0 i32) (result i32)
  (local $1 i64)
  (local $2 i64)
  (local $3 i64)
  (if
   (i64.eqz
    (i64.load8_u offset=28
     (local.tee $0
      (i32.add
       (i32.shl
        (local.get $0)
        (i32.const 5)
       )
       (i32.const 192)
      )
     )
    )
   )
   (then
    (return
     (i32.const 31)
    )
   )
  )
  (if
   (i64.lt_s
    (i64.load
     (local.get $0)
    )
    (i64.const 0)
   )
   (then
    (return
     (i32.const 32)
    )
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
         (local.tee $3
          (i64.load32_u offset=16
           (i32.add
            (local.get $0)
            (i32.shl
             (i32.wrap_i64
              (local.get $1)
             )
             (i32.const 2)
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
       (local.get $3)
      )
     )
     (i64.const 0)
    )
    (then
     (return
      (i32.const 34)
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
   (i64.gt_s
    (local.get $2)
    (i64.const 1000)
   )
   (then
    (return
     (i32.const 33)
    )
   )
  )
  (if
   (i64.gt_u
    (i64.load32_u offset=16
     (local.get $0)
    )
    (i64.const 400)
   )
   (then
    (return
     (i32.const 36)
    )
   )
  )
  (if
   (i64.lt_s
    (i64.load offset=8
     (local.get $0)
    )
    (i64.load offset=8
     (local.get $0)
    )
   )
   (then
    (return
     (i32.const 38)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (i64.eq
      (i64.load offset=8
       (local.get $0)
      )
      (i64.load offset=8
       (local.get $0)
      )
     )
     (then
      (local.set $2
       (i64.const 1)
      )
      (local.set $1
       (i64.const 0)
      )
      (loop $q_next3
       (block $q_end2
        (if
         (i64.lt_s
          (local.tee $3
           (i64.load32_u offset=16
            (i32.add
             (local.get $0)
             (i32.shl
              (i32.wrap_i64
               (local.get $1)
              )
              (i32.const 2)
             )
            )
           )
          )
          (local.get $3)
         )
         (then
          (local.set $2
           (i64.const 0)
          )
          (br $q_end2)
         )
        )
        (br_if $q_end2
         (i64.eq
          (local.get $1)
          (i64.const 2)
         )
        )
        (local.set $1
         (i64.add
          (local.get $1)
          (i64.const 1)
         )
        )
        (br $q_next3)
       )
      )
      (i64.ne
       (local.get $2)
       (i64.const 0)
      )
     )
     (else
      (i32.const 1)
     )
    )
   )
   (then
    (return
     (i32.const 39)
    )
   )
  )
  (i64.store8 offset=28
   (local.get $0)
   (i64.const 0)
  )
  (i32.const 0)
 )
 (func $check-unfreeze (param $0 i32) (result i32)
  (local $1 i64)
  (local $2 i64)
  (local $3 i64)
  (if
   (i64.eqz
    (i64.load8_u offset=28
     (local.tee $0
      (i32.add
       (i32.shl
        (local.get $0)
        (i32.const 5)
       )
       (i32.const 192)
      )
     )
    )
   )
   (then
    (return
     (i32.const 31)
    )
   )
  )
  (if
   (i64.lt_s
    (i64.load
     (local.get $0)
    )
    (i64.const 0)
   )
   (then
    (return
     (i32.const 32)
    )
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
         (local.tee $3
          (i64.load32_u offset=16
           (i32.add
            (local.get $0)
            (i32.shl
             (i32.wrap_i64
              (local.get $1)
             )
             (i32.const 2)
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
       (local.get $3)
      )
     )
     (i64.const 0)
    )
    (then
     (return
      (i32.const 34)
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
   (i64.gt_s
    (local.get $2)
    (i64.const 1000)
   )
   (then
    (return
     (i32.const 33)
    )
   )
  )
  (if
   (i64.gt_u
    (i64.load32_u offset=16
     (local.get $0)
    )
    (i64.const 400)
   )
   (then
    (return
     (i32.const 36)
    )
   )
  )
  (if
   (i64.lt_s
    (i64.load offset=8
     (local.get $0)
    )
    (i64.load offset=8
     (local.get $0)
    )
   )
   (then
    (return
     (i32.const 38)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (i64.eq
      (i64.load offset=8
       (local.get $0)
      )
      (i64.load offset=8
       (local.get $0)
      )
     )
     (then
      (local.set $2
       (i64.const 1)
      )
      (local.set $1
       (i64.const 0)
      )
      (loop $q_next3
       (block $q_end2
        (if
         (i64.lt_s
          (local.tee $3
           (i64.load32_u offset=16
            (i32.add
             (local.get $0)
             (i32.shl
              (i32.wrap_i64
               (local.get $1)
              )
              (i32.const 2)
             )
            )
           )
          )
          (local.get $3)
         )
         (then
          (local.set $2
           (i64.const 0)
          )
          (br $q_end2)
         )
        )
        (br_if $q_end2
         (i64.eq
          (local.get $1)
          (i64.const 2)
         )
        )
        (local.set $1
         (i64.add
          (local.get $1)
          (i64.const 1)
         )
        )
        (br $q_next3)
       )
      )
      (i64.ne
       (local.get $2)
       (i64.const 0)
      )
     )
     (else
      (i32.const 1)
     )
    )
   )
   (then
    (return
     (i32.const 39)
    )
   )
  )
  (i32.const 0)
 )
 (func $dispatch-step (param $0 i32) (param $1 i32) (param $2 f64) (param $3 f64) (result i32)
  (block $default
   (block $case4
    (block $case3
     (block $case2
      (block $case1
       (block $case0
        (br_table $case0 $case1 $case2 $case3 $case4 $default
         (local.get $1)
        )
       )
       (return
        (call $step-deposit
         (local.get $0)
         (local.get $2)
        )
       )
      )
      (return
       (call $step-withdraw
        (local.get $0)
        (local.get $2)
        (local.get $3)
       )
      )
     )
     (return
      (call $step-new-day
       (local.get $0)
      )
     )
    )
    (return
     (call $step-freeze
      (local.get $0)
     )
    )
   )
   (return
    (call $step-unfreeze
     (local.get $0)
    )
   )
  )
  (i32.const 1)
 )
 (func $dispatch-check (param $0 i32) (param $1 i32) (param $2 f64) (param $3 f64) (result i32)
  (block $default
   (block $case4
    (block $case3
     (block $case2
      (block $case1
       (block $case0
        (br_table $case0 $case1 $case2 $case3 $case4 $default
         (local.get $1)
        )
       )
       (return
        (call $check-deposit
         (local.get $0)
         (local.get $2)
        )
       )
      )
      (return
       (call $check-withdraw
        (local.get $0)
        (local.get $2)
        (local.get $3)
       )
      )
     )
     (return
      (call $check-new-day
       (local.get $0)
      )
     )
    )
    (return
     (call $check-freeze
      (local.get $0)
     )
    )
   )
   (return
    (call $check-unfreeze
     (local.get $0)
    )
   )
  )
  (i32.const 1)
 )
 (func $check-invariants (param $0 i32) (result i32)
  (local $1 i64)
  (local $2 i64)
  (local $3 i64)
  (if
   (i64.lt_s
    (i64.load
     (local.tee $0
      (i32.add
       (i32.shl
        (local.get $0)
        (i32.const 5)
       )
       (i32.const 192)
      )
     )
    )
    (i64.const 0)
   )
   (then
    (return
     (i32.const 32)
    )
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
         (local.tee $3
          (i64.load32_u offset=16
           (i32.add
            (local.get $0)
            (i32.shl
             (i32.wrap_i64
              (local.get $1)
             )
             (i32.const 2)
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
       (local.get $3)
      )
     )
     (i64.const 0)
    )
    (then
     (return
      (i32.const 34)
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
   (i64.gt_s
    (local.get $2)
    (i64.const 1000)
   )
   (then
    (return
     (i32.const 33)
    )
   )
  )
  (if
   (i64.gt_u
    (i64.load32_u offset=16
     (local.get $0)
    )
    (i64.const 400)
   )
   (then
    (return
     (i32.const 36)
    )
   )
  )
  (if
   (i64.lt_s
    (i64.load offset=8
     (local.get $0)
    )
    (i64.load offset=8
     (local.get $0)
    )
   )
   (then
    (return
     (i32.const 38)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (i64.eq
      (i64.load offset=8
       (local.get $0)
      )
      (i64.load offset=8
       (local.get $0)
      )
     )
     (then
      (local.set $2
       (i64.const 1)
      )
      (local.set $1
       (i64.const 0)
      )
      (loop $q_next3
       (block $q_end2
        (if
         (i64.lt_s
          (local.tee $3
           (i64.load32_u offset=16
            (i32.add
             (local.get $0)
             (i32.shl
              (i32.wrap_i64
               (local.get $1)
              )
              (i32.const 2)
             )
            )
           )
          )
          (local.get $3)
         )
         (then
          (local.set $2
           (i64.const 0)
          )
          (br $q_end2)
         )
        )
        (br_if $q_end2
         (i64.eq
          (local.get $1)
          (i64.const 2)
         )
        )
        (local.set $1
         (i64.add
          (local.get $1)
          (i64.const 1)
         )
        )
        (br $q_next3)
       )
      )
      (i64.ne
       (local.get $2)
       (i64.const 0)
      )
     )
     (else
      (i32.const 1)
     )
    )
   )
   (then
    (return
     (i32.const 39)
    )
   )
  )
  (i32.const 0)
 )
 (func $liveness (param $0 i32) (result i32)
  (i32.or
   (i64.ne
    (i64.load8_u offset=28
     (local.tee $0
      (i32.add
       (i32.shl
        (local.get $0)
        (i32.const 5)
       )
       (i32.const 192)
      )
     )
    )
    (i64.const 0)
   )
   (i32.shl
    (i64.eqz
     (i64.load8_u offset=28
      (local.get $0)
     )
    )
    (i32.const 1)
   )
  )
 )
 (func $global-check (param $0 i32) (param $1 i32) (result i32)
  (i32.const 0)
 )
 (func $global-check-node (param $0 i32) (param $1 i32) (param $2 i32) (result i32)
  (i32.const 0)
 )
 (func $global-agg-size (result i32)
  (i32.const 0)
 )
 (func $global-agg-add (param $0 i32) (param $1 i32) (param $2 i32) (result i32)
  (i32.wrap_i64
   (i64.load align=1
    (i32.add
     (i32.shl
      (local.get $1)
      (i32.const 5)
     )
     (i32.const 192)
    )
   )
  )
 )
 (func $global-check-agg (param $0 i32) (param $1 i32) (param $2 i32) (param $3 i32) (result i32)
  (if
   (i64.ne
    (i64.load align=1
     (i32.add
      (i32.shl
       (local.get $3)
       (i32.const 5)
      )
      (i32.const 192)
     )
    )
    (i64.const 0)
   )
   (then
    (return
     (i32.const 0)
    )
   )
  )
  (i32.const 0)
 )
 (func $global-liveness-agg (param $0 i32) (param $1 i32) (param $2 i32) (result i32)
  (if
   (i64.ne
    (i64.load align=1
     (i32.add
      (i32.shl
       (local.get $2)
       (i32.const 5)
      )
      (i32.const 192)
     )
    )
    (i64.const 0)
   )
   (then
    (return
     (i32.const 0)
    )
   )
  )
  (i32.const 0)
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
 ;; custom section "vigil", size 9732, contents: "{\"abi\":1,\"name\":\"Account\",\"sourceHash\":\"5d8843f22d0c206f427e35da12a1183b854b6710ec15775b0f8658a09c1d1994\",\"stride\":32,\"slots\":[{\"offset\":0,\"width\":8,\"signed\":true},{\"offset\":8,\"width\":8,\"signed\":true},{\"offset\":16,\"width\":4,\"signed\":false},{\"offset\":20,\"width\":4,\"signed\":false},{\"offset\":24,\"width\":4,\"signed\":false},{\"offset\":28,\"width\":1,\"signed\":false}],\"vars\":[{\"name\":\"balance\",\"type\":{\"kind\":\"int\"},\"base\":0,\"size\":1,\"range\":{\"line\":10,\"column\":3,\"endLine\":10,\"endColumn\":25}},{\"name\":\"day\",\"type\":{\"kind\":\"int\"},\"base\":1,\"size\":1,\"range\":{\"line\":11,\"column\":3,\"endLine\":11,\"endColumn\":21}},{\"name\":\"withdrawn\",\"type\":{\"kind\":\"map\",\"key\":{\"kind\":\"enum\",\"name\":\"Channel\",\"labels\":[\"atm\",\"card\",\"transfer\"]},\"value\":{\"kind\":\"range\",\"lo\":\"0\",\"hi\":\"1000000000\",\"name\":\"Money\"}},\"base\":2,\"size\":3,\"range\":{\"line\":12,\"column\":3,\"endLine\":12,\"endColumn\":43}},{\"name\":\"frozen\",\"type\":{\"kind\":\"bool\"},\"base\":5,\"size\":1,\"range\":{\"line\":13,\"column\":3,\"endLine\":13,\"endColumn\":29}}],\"initial\":[\"0\",\"0\",\"0\",\"0\",\"0\",\"0\"],\"actions\":[{\"name\":\"deposit\",\"stepExport\":\"step-deposit\",\"checkExport\":\"check-deposit\",\"params\":[{\"name\":\"amount\",\"type\":{\"kind\":\"range\",\"lo\":\"0\",\"hi\":\"1000000000\",\"name\":\"Money\"},\"code\":2}],\"range\":{\"line\":15,\"column\":3,\"endLine\":18,\"endColumn\":32}},{\"name\":\"withdraw\",\"stepExport\":\"step-withdraw\",\"checkExport\":\"check-withdraw\",\"params\":[{\"name\":\"ch\",\"type\":{\"kind\":\"enum\",\"name\":\"Channel\",\"labels\":[\"atm\",\"card\",\"transfer\"]},\"code\":6},{\"name\":\"amount\",\"type\":{\"kind\":\"range\",\"lo\":\"0\",\"hi\":\"1000000000\",\"name\":\"Money\"},\"code\":7}],\"range\":{\"line\":20,\"column\":3,\"endLine\":27,\"endColumn\":44}},{\"name\":\"newDay\",\"stepExport\":\"step-new-day\",\"checkExport\":\"check-new-day\",\"params\":[],\"range\":{\"line\":29,\"column\":3,\"endLine\":33,\"endColumn\":29}},{\"name\":\"freeze\",\"stepExport\":\"step-freeze\",\"checkExport\":\"check-freeze\",\"params\":[],\"range\":{\"line\":35,\"column\":3,\"endLine\":37,\"endColumn\":19}},{\"name\":\"unfreeze\",\"stepExport\":\"step-unfreeze\",\"checkExport\":\"check-unfreeze\",\"params\":[],\"range\":{\"line\":39,\"column\":3,\"endLine\":41,\"endColumn\":20}}],\"invariants\":[{\"name\":\"BalanceNeverNegative\",\"code\":32,\"range\":{\"line\":43,\"column\":3,\"endLine\":44,\"endColumn\":17}},{\"name\":\"WithinDailyLimit\",\"code\":33,\"range\":{\"line\":46,\"column\":3,\"endLine\":47,\"endColumn\":48}},{\"name\":\"AtmWithinLimit\",\"code\":36,\"range\":{\"line\":49,\"column\":3,\"endLine\":50,\"endColumn\":31}},{\"name\":\"DayOnlyAdvances\",\"code\":38,\"range\":{\"line\":52,\"column\":3,\"endLine\":53,\"endColumn\":21}},{\"name\":\"WithdrawalsGrowWithinADay\",\"code\":39,\"range\":{\"line\":55,\"column\":3,\"endLine\":56,\"endColumn\":83}}],\"globalInvariants\":[],\"globalSlots\":[],\"liveness\":[{\"name\":\"FrozenIsResolved\",\"code\":42,\"range\":{\"line\":58,\"column\":3,\"endLine\":59,\"endColumn\":43},\"withinMs\":3600000,\"bit\":0}],\"globalLiveness\":[],\"verdicts\":[{\"code\":0,\"kind\":\"ok\",\"item\":\"spec Account\",\"detail\":\"\",\"range\":{\"line\":4,\"column\":1,\"endLine\":4,\"endColumn\":13}},{\"code\":1,\"kind\":\"unknown_action\",\"item\":\"spec Account\",\"detail\":\"\",\"range\":{\"line\":4,\"column\":1,\"endLine\":4,\"endColumn\":13}},{\"code\":2,\"kind\":\"bad_argument\",\"item\":\"action deposit\",\"detail\":\"amount\",\"range\":{\"line\":15,\"column\":18,\"endLine\":15,\"endColumn\":24}},{\"code\":3,\"kind\":\"guard_failed\",\"item\":\"action deposit\",\"detail\":\"require not frozen\",\"range\":{\"line\":16,\"column\":5,\"endLine\":16,\"endColumn\":23}},{\"code\":4,\"kind\":\"guard_failed\",\"item\":\"action deposit\",\"detail\":\"require amount > 0\",\"range\":{\"line\":17,\"column\":5,\"endLine\":17,\"endColumn\":23}},{\"code\":5,\"kind\":\"arith_error\",\"item\":\"action deposit\",\"detail\":\"balance + amount: overflow\",\"range\":{\"line\":18,\"column\":16,\"endLine\":18,\"endColumn\":32}},{\"code\":6,\"kind\":\"bad_argument\",\"item\":\"action withdraw\",\"detail\":\"ch\",\"range\":{\"line\":20,\"column\":19,\"endLine\":20,\"endColumn\":21}},{\"code\":7,\"kind\":\"bad_argument\",\"item\":\"action withdraw\",\"detail\":\"amount\",\"range\":{\"line\":20,\"column\":32,\"endLine\":20,\"endColumn\":38}},{\"code\":8,\"kind\":\"guard_failed\",\"item\":\"action withdraw\",\"detail\":\"require not frozen\",\"range\":{\"line\":21,\"column\":5,\"endLine\":21,\"endColumn\":23}},{\"code\":9,\"kind\":\"guard_failed\",\"item\":\"action withdraw\",\"detail\":\"require amount > 0\",\"range\":{\"line\":22,\"column\":5,\"endLine\":22,\"endColumn\":23}},{\"code\":10,\"kind\":\"guard_failed\",\"item\":\"action withdraw\",\"detail\":\"require amount <= balance\",\"range\":{\"line\":23,\"column\":5,\"endLine\":23,\"endColumn\":30}},{\"code\":11,\"kind\":\"guard_failed\",\"item\":\"action withdraw\",\"detail\":\"require sum(c: Channel: withdrawn[c]) + amount <= DailyLimit\",\"range\":{\"line\":24,\"column\":5,\"endLine\":24,\"endColumn\":65}},{\"code\":12,\"kind\":\"arith_error\",\"item\":\"action withdraw\",\"detail\":\"sum(c: Channel: withdrawn[c]) + amount: overflow\",\"range\":{\"line\":24,\"column\":13,\"endLine\":24,\"endColumn\":51}},{\"code\":13,\"kind\":\"arith_error\",\"item\":\"action withdraw\",\"detail\":\"sum(c: Channel: withdrawn[c]): overflow\",\"range\":{\"line\":24,\"column\":13,\"endLine\":24,\"endColumn\":42}},{\"code\":14,\"kind\":\"arith_error\",\"item\":\"action withdraw\",\"detail\":\"withdrawn[c]: key out of 'Channel'\",\"range\":{\"line\":24,\"column\":29,\"endLine\":24,\"endColumn\":41}},{\"code\":15,\"kind\":\"guard_failed\",\"item\":\"action withdraw\",\"detail\":\"require ch != atm or withdrawn[atm] + amount <= AtmLimit\",\"range\":{\"line\":25,\"column\":5,\"endLine\":25,\"endColumn\":61}},{\"code\":16,\"kind\":\"arith_error\",\"item\":\"action withdraw\",\"detail\":\"withdrawn[atm] + amount: overflow\",\"range\":{\"line\":25,\"column\":26,\"endLine\":25,\"endColumn\":49}},{\"code\":17,\"kind\":\"arith_error\",\"item\":\"action withdraw\",\"detail\":\"withdrawn[atm]: key out of 'Channel'\",\"range\":{\"line\":25,\"column\":26,\"endLine\":25,\"endColumn\":40}},{\"code\":18,\"kind\":\"arith_error\",\"item\":\"action withdraw\",\"detail\":\"balance - amount: overflow\",\"range\":{\"line\":26,\"column\":16,\"endLine\":26,\"endColumn\":32}},{\"code\":19,\"kind\":\"range_violation\",\"item\":\"action withdraw\",\"detail\":\"withdrawn[ch]\",\"range\":{\"line\":27,\"column\":5,\"endLine\":27,\"endColumn\":44}},{\"code\":20,\"kind\":\"arith_error\",\"item\":\"action withdraw\",\"detail\":\"withdrawn[ch]: key out of 'Channel'\",\"range\":{\"line\":27,\"column\":5,\"endLine\":27,\"endColumn\":18}},{\"code\":21,\"kind\":\"arith_error\",\"item\":\"action withdraw\",\"detail\":\"withdrawn[ch] + amount: overflow\",\"range\":{\"line\":27,\"column\":22,\"endLine\":27,\"endColumn\":44}},{\"code\":22,\"kind\":\"arith_error\",\"item\":\"action withdraw\",\"detail\":\"withdrawn[ch]: key out of 'Channel'\",\"range\":{\"line\":27,\"column\":22,\"endLine\":27,\"endColumn\":35}},{\"code\":23,\"kind\":\"arith_error\",\"item\":\"action newDay\",\"detail\":\"day + 1: overflow\",\"range\":{\"line\":30,\"column\":12,\"endLine\":30,\"endColumn\":19}},{\"code\":24,\"kind\":\"range_violation\",\"item\":\"action newDay\",\"detail\":\"withdrawn[atm]\",\"range\":{\"line\":31,\"column\":5,\"endLine\":31,\"endColumn\":24}},{\"code\":25,\"kind\":\"arith_error\",\"item\":\"action newDay\",\"detail\":\"withdrawn[atm]: key out of 'Channel'\",\"range\":{\"line\":31,\"column\":5,\"endLine\":31,\"endColumn\":19}},{\"code\":26,\"kind\":\"range_violation\",\"item\":\"action newDay\",\"detail\":\"withdrawn[card]\",\"range\":{\"line\":32,\"column\":5,\"endLine\":32,\"endColumn\":25}},{\"code\":27,\"kind\":\"arith_error\",\"item\":\"action newDay\",\"detail\":\"withdrawn[card]: key out of 'Channel'\",\"range\":{\"line\":32,\"column\":5,\"endLine\":32,\"endColumn\":20}},{\"code\":28,\"kind\":\"range_violation\",\"item\":\"action newDay\",\"detail\":\"withdrawn[transfer]\",\"range\":{\"line\":33,\"column\":5,\"endLine\":33,\"endColumn\":29}},{\"code\":29,\"kind\":\"arith_error\",\"item\":\"action newDay\",\"detail\":\"withdrawn[transfer]: key out of 'Channel'\",\"range\":{\"line\":33,\"column\":5,\"endLine\":33,\"endColumn\":24}},{\"code\":30,\"kind\":\"guard_failed\",\"item\":\"action freeze\",\"detail\":\"require not frozen\",\"range\":{\"line\":36,\"column\":5,\"endLine\":36,\"endColumn\":23}},{\"code\":31,\"kind\":\"guard_failed\",\"item\":\"action unfreeze\",\"detail\":\"require frozen\",\"range\":{\"line\":40,\"column\":5,\"endLine\":40,\"endColumn\":19}},{\"code\":32,\"kind\":\"invariant_failed\",\"item\":\"invariant BalanceNeverNegative\",\"detail\":\"balance >= 0\",\"range\":{\"line\":43,\"column\":3,\"endLine\":44,\"endColumn\":17}},{\"code\":33,\"kind\":\"invariant_failed\",\"item\":\"invariant WithinDailyLimit\",\"detail\":\"sum(c: Channel: withdrawn[c]) <= DailyLimit\",\"range\":{\"line\":46,\"column\":3,\"endLine\":47,\"endColumn\":48}},{\"code\":34,\"kind\":\"arith_error\",\"item\":\"invariant WithinDailyLimit\",\"detail\":\"sum(c: Channel: withdrawn[c]): overflow\",\"range\":{\"line\":47,\"column\":5,\"endLine\":47,\"endColumn\":34}},{\"code\":35,\"kind\":\"arith_error\",\"item\":\"invariant WithinDailyLimit\",\"detail\":\"withdrawn[c]: key out of 'Channel'\",\"range\":{\"line\":47,\"column\":21,\"endLine\":47,\"endColumn\":33}},{\"code\":36,\"kind\":\"invariant_failed\",\"item\":\"invariant AtmWithinLimit\",\"detail\":\"withdrawn[atm] <= AtmLimit\",\"range\":{\"line\":49,\"column\":3,\"endLine\":50,\"endColumn\":31}},{\"code\":37,\"kind\":\"arith_error\",\"item\":\"invariant AtmWithinLimit\",\"detail\":\"withdrawn[atm]: key out of 'Channel'\",\"range\":{\"line\":50,\"column\":5,\"endLine\":50,\"endColumn\":19}},{\"code\":38,\"kind\":\"invariant_failed\",\"item\":\"invariant DayOnlyAdvances\",\"detail\":\"day >= prev(day)\",\"range\":{\"line\":52,\"column\":3,\"endLine\":53,\"endColumn\":21}},{\"code\":39,\"kind\":\"invariant_failed\",\"item\":\"invariant WithdrawalsGrowWithinADay\",\"detail\":\"day == prev(day) implies forall c: Channel: withdrawn[c] >= prev(withdrawn[c])\",\"range\":{\"line\":55,\"column\":3,\"endLine\":56,\"endColumn\":83}},{\"code\":40,\"kind\":\"arith_error\",\"item\":\"invariant WithdrawalsGrowWithinADay\",\"detail\":\"withdrawn[c]: key out of 'Channel'\",\"range\":{\"line\":56,\"column\":49,\"endLine\":56,\"endColumn\":61}},{\"code\":41,\"kind\":\"arith_error\",\"item\":\"invariant WithdrawalsGrowWithinADay\",\"detail\":\"withdrawn[c]: key out of 'Channel'\",\"range\":{\"line\":56,\"column\":70,\"endLine\":56,\"endColumn\":82}},{\"code\":42,\"kind\":\"liveness_timeout\",\"item\":\"liveness FrozenIsResolved\",\"detail\":\"when frozen then eventually not frozen\",\"range\":{\"line\":58,\"column\":3,\"endLine\":59,\"endColumn\":43}}],\"range\":{\"line\":4,\"column\":1,\"endLine\":4,\"endColumn\":13}}"
)
