(module
 (type $0 (func (param i32) (result i32)))
 (type $1 (func (param i32 f64) (result i32)))
 (type $2 (func (param i32 i32 i32) (result i32)))
 (type $3 (func (result i32)))
 (type $4 (func (param i32 i32 f64) (result i32)))
 (type $5 (func (param i32 i32 i32 i32) (result i32)))
 (type $6 (func (param i32)))
 (type $7 (func (param i32 i32) (result i64)))
 (type $8 (func (param i32 i32 i64) (result i32)))
 (type $9 (func (param i32 i32) (result i32)))
 (type $10 (func (param i32 i32 i32 i32 i32 i32) (result i32)))
 (global $instance_count (mut i32) (i32.const 0))
 (memory $0 1 65536)
 (data $0 (i32.const 24) "\04\00\00\00\00\00\00\00\0c\00\00\00\01")
 (data $0.1 (i32.const 48) "@B\0f")
 (data $0.2 (i32.const 60) "\04")
 (data $0.3 (i32.const 72) "@B\0f\00\00\00\00\00\04\00\00\00\04")
 (data $0.4 (i32.const 96) "@B\0f\00\00\00\00\00\08\00\00\00\04")
 (data $0.5 (i32.const 120) "\05\00\00\00\00\00\00\00\r\00\00\00\01")
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
 (export "step-set-price" (func $step-set-price))
 (export "check-set-price" (func $check-set-price))
 (export "step-pay" (func $step-pay))
 (export "check-pay" (func $check-pay))
 (export "step-ship" (func $step-ship))
 (export "check-ship" (func $check-ship))
 (export "step-deliver" (func $step-deliver))
 (export "check-deliver" (func $check-deliver))
 (export "step-cancel" (func $step-cancel))
 (export "check-cancel" (func $check-cancel))
 (export "step-refund" (func $step-refund))
 (export "check-refund" (func $check-refund))
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
       (i64.const 4)
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
        (i32.const 4)
       )
       (i32.const 192)
      )
      (i32.const 136)
      (i32.const 16)
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
       (i32.const 4)
      )
      (i32.const 192)
     )
     (i32.const 136)
     (i32.const 16)
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
    (i32.const 4)
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
     (i32.const 5)
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
      (i32.const 4)
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
     (i32.const 5)
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
      (i32.const 4)
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
 (func $step-set-price (param $0 i32) (param $1 f64) (result i32)
  (local $2 i64)
  (local $3 i32)
  (local.set $0
   (i32.add
    (i32.shl
     (local.get $0)
     (i32.const 4)
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
       (f64.const 1e6)
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
     (i64.load8_u offset=12
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
  (if
   (i64.gt_u
    (local.get $2)
    (i64.const 1000000)
   )
   (then
    (return
     (i32.const 5)
    )
   )
  )
  (if
   (i64.gt_s
    (i64.load32_u offset=8
     (local.get $0)
    )
    (i64.load32_u offset=4
     (local.get $0)
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
     (if (result i32)
      (i64.eq
       (i64.load8_u offset=12
        (local.get $0)
       )
       (i64.const 2)
      )
      (then
       (i32.const 1)
      )
      (else
       (i64.eq
        (i64.load8_u offset=12
         (local.get $0)
        )
        (i64.const 3)
       )
      )
     )
     (then
      (i64.ne
       (i64.load32_u offset=4
        (local.get $0)
       )
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
     (i32.const 26)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (i64.eqz
      (i64.load32_u offset=4
       (local.get $0)
      )
     )
     (then
      (i32.const 1)
     )
     (else
      (i64.eq
       (i64.load32_u offset=4
        (local.get $0)
       )
       (local.get $2)
      )
     )
    )
   )
   (then
    (return
     (i32.const 27)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (i64.ge_s
      (i64.load32_u offset=8
       (local.get $0)
      )
      (i64.load32_u offset=8
       (local.get $0)
      )
     )
     (then
      (i64.ge_s
       (i64.load8_u offset=13
        (local.get $0)
       )
       (i64.load8_u offset=13
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
     (i32.const 28)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (local.tee $3
      (i64.eq
       (i64.load8_u offset=12
        (local.get $0)
       )
       (i64.const 2)
      )
     )
     (then
      (if (result i32)
       (local.get $3)
       (then
        (i32.const 1)
       )
       (else
        (i64.eq
         (i64.load8_u offset=12
          (local.get $0)
         )
         (i64.const 3)
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
    (return
     (i32.const 29)
    )
   )
  )
  (i64.store32
   (local.get $0)
   (local.get $2)
  )
  (i32.const 0)
 )
 (func $check-set-price (param $0 i32) (param $1 f64) (result i32)
  (local $2 i64)
  (local $3 i32)
  (local.set $0
   (i32.add
    (i32.shl
     (local.get $0)
     (i32.const 4)
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
       (f64.const 1e6)
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
     (i64.load8_u offset=12
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
  (if
   (i64.gt_u
    (local.get $2)
    (i64.const 1000000)
   )
   (then
    (return
     (i32.const 5)
    )
   )
  )
  (if
   (i64.gt_s
    (i64.load32_u offset=8
     (local.get $0)
    )
    (i64.load32_u offset=4
     (local.get $0)
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
     (if (result i32)
      (i64.eq
       (i64.load8_u offset=12
        (local.get $0)
       )
       (i64.const 2)
      )
      (then
       (i32.const 1)
      )
      (else
       (i64.eq
        (i64.load8_u offset=12
         (local.get $0)
        )
        (i64.const 3)
       )
      )
     )
     (then
      (i64.ne
       (i64.load32_u offset=4
        (local.get $0)
       )
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
     (i32.const 26)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (i64.eqz
      (i64.load32_u offset=4
       (local.get $0)
      )
     )
     (then
      (i32.const 1)
     )
     (else
      (i64.eq
       (i64.load32_u offset=4
        (local.get $0)
       )
       (local.get $2)
      )
     )
    )
   )
   (then
    (return
     (i32.const 27)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (i64.ge_s
      (i64.load32_u offset=8
       (local.get $0)
      )
      (i64.load32_u offset=8
       (local.get $0)
      )
     )
     (then
      (i64.ge_s
       (i64.load8_u offset=13
        (local.get $0)
       )
       (i64.load8_u offset=13
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
     (i32.const 28)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (local.tee $3
      (i64.eq
       (i64.load8_u offset=12
        (local.get $0)
       )
       (i64.const 2)
      )
     )
     (then
      (if (result i32)
       (local.get $3)
       (then
        (i32.const 1)
       )
       (else
        (i64.eq
         (i64.load8_u offset=12
          (local.get $0)
         )
         (i64.const 3)
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
    (return
     (i32.const 29)
    )
   )
  )
  (i32.const 0)
 )
 (func $step-pay (param $0 i32) (param $1 f64) (result i32)
  (local $2 i64)
  (local.set $0
   (i32.add
    (i32.shl
     (local.get $0)
     (i32.const 4)
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
       (f64.const 1e6)
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
  (local.set $2
   (i64.trunc_f64_s
    (local.get $1)
   )
  )
  (if
   (i32.eqz
    (i64.eqz
     (i64.load8_u offset=12
      (local.get $0)
     )
    )
   )
   (then
    (return
     (i32.const 7)
    )
   )
  )
  (if
   (i64.eqz
    (i64.load32_u
     (local.get $0)
    )
   )
   (then
    (return
     (i32.const 8)
    )
   )
  )
  (if
   (i64.ne
    (i64.load32_u
     (local.get $0)
    )
    (local.get $2)
   )
   (then
    (return
     (i32.const 9)
    )
   )
  )
  (if
   (i64.gt_u
    (local.get $2)
    (i64.const 1000000)
   )
   (then
    (return
     (i32.const 10)
    )
   )
  )
  (if
   (i64.lt_s
    (local.get $2)
    (i64.load32_u offset=8
     (local.get $0)
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
     (i64.eqz
      (local.get $2)
     )
     (then
      (i32.const 1)
     )
     (else
      (i64.eq
       (local.get $2)
       (i64.load32_u
        (local.get $0)
       )
      )
     )
    )
   )
   (then
    (return
     (i32.const 27)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (i64.ge_s
      (i64.load32_u offset=8
       (local.get $0)
      )
      (i64.load32_u offset=8
       (local.get $0)
      )
     )
     (then
      (i64.ge_s
       (i64.load8_u offset=13
        (local.get $0)
       )
       (i64.load8_u offset=13
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
     (i32.const 28)
    )
   )
  )
  (if
   (i64.eq
    (i64.load8_u offset=12
     (local.get $0)
    )
    (i64.const 2)
   )
   (then
    (return
     (i32.const 29)
    )
   )
  )
  (i64.store8 offset=12
   (local.get $0)
   (i64.const 1)
  )
  (i64.store32 offset=4
   (local.get $0)
   (local.get $2)
  )
  (i32.const 0)
 )
 (func $check-pay (param $0 i32) (param $1 f64) (result i32)
  (local $2 i64)
  (local.set $0
   (i32.add
    (i32.shl
     (local.get $0)
     (i32.const 4)
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
       (f64.const 1e6)
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
  (local.set $2
   (i64.trunc_f64_s
    (local.get $1)
   )
  )
  (if
   (i32.eqz
    (i64.eqz
     (i64.load8_u offset=12
      (local.get $0)
     )
    )
   )
   (then
    (return
     (i32.const 7)
    )
   )
  )
  (if
   (i64.eqz
    (i64.load32_u
     (local.get $0)
    )
   )
   (then
    (return
     (i32.const 8)
    )
   )
  )
  (if
   (i64.ne
    (i64.load32_u
     (local.get $0)
    )
    (local.get $2)
   )
   (then
    (return
     (i32.const 9)
    )
   )
  )
  (if
   (i64.gt_u
    (local.get $2)
    (i64.const 1000000)
   )
   (then
    (return
     (i32.const 10)
    )
   )
  )
  (if
   (i64.lt_s
    (local.get $2)
    (i64.load32_u offset=8
     (local.get $0)
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
     (i64.eqz
      (local.get $2)
     )
     (then
      (i32.const 1)
     )
     (else
      (i64.eq
       (local.get $2)
       (i64.load32_u
        (local.get $0)
       )
      )
     )
    )
   )
   (then
    (return
     (i32.const 27)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (i64.ge_s
      (i64.load32_u offset=8
       (local.get $0)
      )
      (i64.load32_u offset=8
       (local.get $0)
      )
     )
     (then
      (i64.ge_s
       (i64.load8_u offset=13
        (local.get $0)
       )
       (i64.load8_u offset=13
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
     (i32.const 28)
    )
   )
  )
  (if
   (i64.eq
    (i64.load8_u offset=12
     (local.get $0)
    )
    (i64.const 2)
   )
   (then
    (return
     (i32.const 29)
    )
   )
  )
  (i32.const 0)
 )
 (func $step-ship (param $0 i32) (result i32)
  (if
   (i64.ne
    (i64.load8_u offset=12
     (local.tee $0
      (i32.add
       (i32.shl
        (local.get $0)
        (i32.const 4)
       )
       (i32.const 192)
      )
     )
    )
    (i64.const 1)
   )
   (then
    (return
     (i32.const 11)
    )
   )
  )
  (if
   (i64.ge_s
    (i64.load32_u offset=8
     (local.get $0)
    )
    (i64.load32_u offset=4
     (local.get $0)
    )
   )
   (then
    (return
     (i32.const 12)
    )
   )
  )
  (if
   (i64.gt_s
    (i64.load32_u offset=8
     (local.get $0)
    )
    (i64.load32_u offset=4
     (local.get $0)
    )
   )
   (then
    (return
     (i32.const 25)
    )
   )
  )
  (if
   (i64.eqz
    (i64.load32_u offset=4
     (local.get $0)
    )
   )
   (then
    (return
     (i32.const 26)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (i64.eqz
      (i64.load32_u offset=4
       (local.get $0)
      )
     )
     (then
      (i32.const 1)
     )
     (else
      (i64.eq
       (i64.load32_u offset=4
        (local.get $0)
       )
       (i64.load32_u
        (local.get $0)
       )
      )
     )
    )
   )
   (then
    (return
     (i32.const 27)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (i64.ge_s
      (i64.load32_u offset=8
       (local.get $0)
      )
      (i64.load32_u offset=8
       (local.get $0)
      )
     )
     (then
      (i64.ge_s
       (i64.load8_u offset=13
        (local.get $0)
       )
       (i64.load8_u offset=13
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
     (i32.const 28)
    )
   )
  )
  (if
   (i32.eqz
    (i32.or
     (i64.ne
      (i64.load8_u offset=12
       (local.get $0)
      )
      (i64.const 2)
     )
     (i32.const 1)
    )
   )
   (then
    (return
     (i32.const 29)
    )
   )
  )
  (i64.store8 offset=12
   (local.get $0)
   (i64.const 2)
  )
  (i32.const 0)
 )
 (func $check-ship (param $0 i32) (result i32)
  (if
   (i64.ne
    (i64.load8_u offset=12
     (local.tee $0
      (i32.add
       (i32.shl
        (local.get $0)
        (i32.const 4)
       )
       (i32.const 192)
      )
     )
    )
    (i64.const 1)
   )
   (then
    (return
     (i32.const 11)
    )
   )
  )
  (if
   (i64.ge_s
    (i64.load32_u offset=8
     (local.get $0)
    )
    (i64.load32_u offset=4
     (local.get $0)
    )
   )
   (then
    (return
     (i32.const 12)
    )
   )
  )
  (if
   (i64.gt_s
    (i64.load32_u offset=8
     (local.get $0)
    )
    (i64.load32_u offset=4
     (local.get $0)
    )
   )
   (then
    (return
     (i32.const 25)
    )
   )
  )
  (if
   (i64.eqz
    (i64.load32_u offset=4
     (local.get $0)
    )
   )
   (then
    (return
     (i32.const 26)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (i64.eqz
      (i64.load32_u offset=4
       (local.get $0)
      )
     )
     (then
      (i32.const 1)
     )
     (else
      (i64.eq
       (i64.load32_u offset=4
        (local.get $0)
       )
       (i64.load32_u
        (local.get $0)
       )
      )
     )
    )
   )
   (then
    (return
     (i32.const 27)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (i64.ge_s
      (i64.load32_u offset=8
       (local.get $0)
      )
      (i64.load32_u offset=8
       (local.get $0)
      )
     )
     (then
      (i64.ge_s
       (i64.load8_u offset=13
        (local.get $0)
       )
       (i64.load8_u offset=13
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
     (i32.const 28)
    )
   )
  )
  (if
   (i32.eqz
    (i32.or
     (i64.ne
      (i64.load8_u offset=12
       (local.get $0)
      )
      (i64.const 2)
     )
     (i32.const 1)
    )
   )
   (then
    (return
     (i32.const 29)
    )
   )
  )
  (i32.const 0)
 )
 (func $step-deliver (param $0 i32) (result i32)
  (if
   (i64.ne
    (i64.load8_u offset=12
     (local.tee $0
      (i32.add
       (i32.shl
        (local.get $0)
        (i32.const 4)
       )
       (i32.const 192)
      )
     )
    )
    (i64.const 2)
   )
   (then
    (return
     (i32.const 13)
    )
   )
  )
  (if
   (i64.gt_s
    (i64.load32_u offset=8
     (local.get $0)
    )
    (i64.load32_u offset=4
     (local.get $0)
    )
   )
   (then
    (return
     (i32.const 25)
    )
   )
  )
  (if
   (i64.eqz
    (i64.load32_u offset=4
     (local.get $0)
    )
   )
   (then
    (return
     (i32.const 26)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (i64.eqz
      (i64.load32_u offset=4
       (local.get $0)
      )
     )
     (then
      (i32.const 1)
     )
     (else
      (i64.eq
       (i64.load32_u offset=4
        (local.get $0)
       )
       (i64.load32_u
        (local.get $0)
       )
      )
     )
    )
   )
   (then
    (return
     (i32.const 27)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (i64.ge_s
      (i64.load32_u offset=8
       (local.get $0)
      )
      (i64.load32_u offset=8
       (local.get $0)
      )
     )
     (then
      (i64.ge_s
       (i64.load8_u offset=13
        (local.get $0)
       )
       (i64.load8_u offset=13
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
     (i32.const 28)
    )
   )
  )
  (if
   (i32.eqz
    (i32.or
     (i64.ne
      (i64.load8_u offset=12
       (local.get $0)
      )
      (i64.const 2)
     )
     (i32.const 1)
    )
   )
   (then
    (return
     (i32.const 29)
    )
   )
  )
  (i64.store8 offset=12
   (local.get $0)
   (i64.const 3)
  )
  (i32.const 0)
 )
 (func $check-deliver (param $0 i32) (result i32)
  (if
   (i64.ne
    (i64.load8_u offset=12
     (local.tee $0
      (i32.add
       (i32.shl
        (local.get $0)
        (i32.const 4)
       )
       (i32.const 192)
      )
     )
    )
    (i64.const 2)
   )
   (then
    (return
     (i32.const 13)
    )
   )
  )
  (if
   (i64.gt_s
    (i64.load32_u offset=8
     (local.get $0)
    )
    (i64.load32_u offset=4
     (local.get $0)
    )
   )
   (then
    (return
     (i32.const 25)
    )
   )
  )
  (if
   (i64.eqz
    (i64.load32_u offset=4
     (local.get $0)
    )
   )
   (then
    (return
     (i32.const 26)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (i64.eqz
      (i64.load32_u offset=4
       (local.get $0)
      )
     )
     (then
      (i32.const 1)
     )
     (else
      (i64.eq
       (i64.load32_u offset=4
        (local.get $0)
       )
       (i64.load32_u
        (local.get $0)
       )
      )
     )
    )
   )
   (then
    (return
     (i32.const 27)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (i64.ge_s
      (i64.load32_u offset=8
       (local.get $0)
      )
      (i64.load32_u offset=8
       (local.get $0)
      )
     )
     (then
      (i64.ge_s
       (i64.load8_u offset=13
        (local.get $0)
       )
       (i64.load8_u offset=13
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
     (i32.const 28)
    )
   )
  )
  (if
   (i32.eqz
    (i32.or
     (i64.ne
      (i64.load8_u offset=12
       (local.get $0)
      )
      (i64.const 2)
     )
     (i32.const 1)
    )
   )
   (then
    (return
     (i32.const 29)
    )
   )
  )
  (i32.const 0)
 )
 (func $step-cancel (param $0 i32) (result i32)
  (if
   (i32.eqz
    (if (result i32)
     (i64.eqz
      (i64.load8_u offset=12
       (local.tee $0
        (i32.add
         (i32.shl
          (local.get $0)
          (i32.const 4)
         )
         (i32.const 192)
        )
       )
      )
     )
     (then
      (i32.const 1)
     )
     (else
      (i64.eq
       (i64.load8_u offset=12
        (local.get $0)
       )
       (i64.const 1)
      )
     )
    )
   )
   (then
    (return
     (i32.const 14)
    )
   )
  )
  (if
   (i64.gt_s
    (i64.load32_u offset=8
     (local.get $0)
    )
    (i64.load32_u offset=4
     (local.get $0)
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
     (i64.eqz
      (i64.load32_u offset=4
       (local.get $0)
      )
     )
     (then
      (i32.const 1)
     )
     (else
      (i64.eq
       (i64.load32_u offset=4
        (local.get $0)
       )
       (i64.load32_u
        (local.get $0)
       )
      )
     )
    )
   )
   (then
    (return
     (i32.const 27)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (i64.ge_s
      (i64.load32_u offset=8
       (local.get $0)
      )
      (i64.load32_u offset=8
       (local.get $0)
      )
     )
     (then
      (i64.ge_s
       (i64.load8_u offset=13
        (local.get $0)
       )
       (i64.load8_u offset=13
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
     (i32.const 28)
    )
   )
  )
  (if
   (i64.eq
    (i64.load8_u offset=12
     (local.get $0)
    )
    (i64.const 2)
   )
   (then
    (return
     (i32.const 29)
    )
   )
  )
  (i64.store8 offset=12
   (local.get $0)
   (i64.const 4)
  )
  (i32.const 0)
 )
 (func $check-cancel (param $0 i32) (result i32)
  (if
   (i32.eqz
    (if (result i32)
     (i64.eqz
      (i64.load8_u offset=12
       (local.tee $0
        (i32.add
         (i32.shl
          (local.get $0)
          (i32.const 4)
         )
         (i32.const 192)
        )
       )
      )
     )
     (then
      (i32.const 1)
     )
     (else
      (i64.eq
       (i64.load8_u offset=12
        (local.get $0)
       )
       (i64.const 1)
      )
     )
    )
   )
   (then
    (return
     (i32.const 14)
    )
   )
  )
  (if
   (i64.gt_s
    (i64.load32_u offset=8
     (local.get $0)
    )
    (i64.load32_u offset=4
     (local.get $0)
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
     (i64.eqz
      (i64.load32_u offset=4
       (local.get $0)
      )
     )
     (then
      (i32.const 1)
     )
     (else
      (i64.eq
       (i64.load32_u offset=4
        (local.get $0)
       )
       (i64.load32_u
        (local.get $0)
       )
      )
     )
    )
   )
   (then
    (return
     (i32.const 27)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (i64.ge_s
      (i64.load32_u offset=8
       (local.get $0)
      )
      (i64.load32_u offset=8
       (local.get $0)
      )
     )
     (then
      (i64.ge_s
       (i64.load8_u offset=13
        (local.get $0)
       )
       (i64.load8_u offset=13
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
     (i32.const 28)
    )
   )
  )
  (if
   (i64.eq
    (i64.load8_u offset=12
     (local.get $0)
    )
    (i64.const 2)
   )
   (then
    (return
     (i32.const 29)
    )
   )
  )
  (i32.const 0)
 )
 (func $step-refund (param $0 i32) (param $1 f64) (result i32)
  (local $2 i64)
  (local $3 i64)
  (local $4 i64)
  (local $5 i32)
  (local.set $0
   (i32.add
    (i32.shl
     (local.get $0)
     (i32.const 4)
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
       (f64.const 1e6)
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
     (i32.const 15)
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
    (if (result i32)
     (if (result i32)
      (i64.eq
       (i64.load8_u offset=12
        (local.get $0)
       )
       (i64.const 1)
      )
      (then
       (i32.const 1)
      )
      (else
       (i64.eq
        (i64.load8_u offset=12
         (local.get $0)
        )
        (i64.const 3)
       )
      )
     )
     (then
      (i32.const 1)
     )
     (else
      (i64.eq
       (i64.load8_u offset=12
        (local.get $0)
       )
       (i64.const 4)
      )
     )
    )
   )
   (then
    (return
     (i32.const 16)
    )
   )
  )
  (if
   (i64.le_s
    (local.get $3)
    (i64.const 0)
   )
   (then
    (return
     (i32.const 17)
    )
   )
  )
  (local.set $2
   (i64.add
    (local.get $3)
    (local.tee $4
     (i64.load32_u offset=8
      (local.get $0)
     )
    )
   )
  )
  (if
   (i64.lt_s
    (i64.and
     (i64.xor
      (local.get $2)
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
     (i32.const 19)
    )
   )
  )
  (if
   (i64.lt_s
    (i64.load32_u offset=4
     (local.get $0)
    )
    (local.get $2)
   )
   (then
    (return
     (i32.const 18)
    )
   )
  )
  (if
   (i64.ge_u
    (i64.load8_u offset=13
     (local.get $0)
    )
    (i64.const 5)
   )
   (then
    (return
     (i32.const 20)
    )
   )
  )
  (local.set $2
   (i64.add
    (local.get $3)
    (local.tee $4
     (i64.load32_u offset=8
      (local.get $0)
     )
    )
   )
  )
  (if
   (i64.lt_s
    (i64.and
     (i64.xor
      (local.get $2)
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
     (i32.const 22)
    )
   )
  )
  (local.set $3
   (local.get $2)
  )
  (local.set $2
   (i64.add
    (i64.load8_u offset=13
     (local.get $0)
    )
    (i64.const 1)
   )
  )
  (if
   (i64.gt_u
    (local.get $3)
    (i64.const 1000000)
   )
   (then
    (return
     (i32.const 21)
    )
   )
  )
  (if
   (i64.gt_u
    (local.get $2)
    (i64.const 5)
   )
   (then
    (return
     (i32.const 23)
    )
   )
  )
  (if
   (i64.lt_s
    (i64.load32_u offset=4
     (local.get $0)
    )
    (local.get $3)
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
     (if (result i32)
      (i64.eq
       (i64.load8_u offset=12
        (local.get $0)
       )
       (i64.const 2)
      )
      (then
       (i32.const 1)
      )
      (else
       (i64.eq
        (i64.load8_u offset=12
         (local.get $0)
        )
        (i64.const 3)
       )
      )
     )
     (then
      (i64.ne
       (i64.load32_u offset=4
        (local.get $0)
       )
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
     (i32.const 26)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (i64.eqz
      (i64.load32_u offset=4
       (local.get $0)
      )
     )
     (then
      (i32.const 1)
     )
     (else
      (i64.eq
       (i64.load32_u offset=4
        (local.get $0)
       )
       (i64.load32_u
        (local.get $0)
       )
      )
     )
    )
   )
   (then
    (return
     (i32.const 27)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (i64.ge_s
      (local.get $3)
      (i64.load32_u offset=8
       (local.get $0)
      )
     )
     (then
      (i64.ge_s
       (local.get $2)
       (i64.load8_u offset=13
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
     (i32.const 28)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (local.tee $5
      (i64.eq
       (i64.load8_u offset=12
        (local.get $0)
       )
       (i64.const 2)
      )
     )
     (then
      (if (result i32)
       (local.get $5)
       (then
        (i32.const 1)
       )
       (else
        (i64.eq
         (i64.load8_u offset=12
          (local.get $0)
         )
         (i64.const 3)
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
    (return
     (i32.const 29)
    )
   )
  )
  (i64.store32 offset=8
   (local.get $0)
   (local.get $3)
  )
  (i64.store8 offset=13
   (local.get $0)
   (local.get $2)
  )
  (i32.const 0)
 )
 (func $check-refund (param $0 i32) (param $1 f64) (result i32)
  (local $2 i64)
  (local $3 i64)
  (local $4 i64)
  (local $5 i32)
  (local.set $0
   (i32.add
    (i32.shl
     (local.get $0)
     (i32.const 4)
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
       (f64.const 1e6)
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
     (i32.const 15)
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
    (if (result i32)
     (if (result i32)
      (i64.eq
       (i64.load8_u offset=12
        (local.get $0)
       )
       (i64.const 1)
      )
      (then
       (i32.const 1)
      )
      (else
       (i64.eq
        (i64.load8_u offset=12
         (local.get $0)
        )
        (i64.const 3)
       )
      )
     )
     (then
      (i32.const 1)
     )
     (else
      (i64.eq
       (i64.load8_u offset=12
        (local.get $0)
       )
       (i64.const 4)
      )
     )
    )
   )
   (then
    (return
     (i32.const 16)
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
     (i32.const 17)
    )
   )
  )
  (local.set $3
   (i64.add
    (local.get $2)
    (local.tee $4
     (i64.load32_u offset=8
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
     (i32.const 19)
    )
   )
  )
  (if
   (i64.lt_s
    (i64.load32_u offset=4
     (local.get $0)
    )
    (local.get $3)
   )
   (then
    (return
     (i32.const 18)
    )
   )
  )
  (if
   (i64.ge_u
    (i64.load8_u offset=13
     (local.get $0)
    )
    (i64.const 5)
   )
   (then
    (return
     (i32.const 20)
    )
   )
  )
  (local.set $3
   (i64.add
    (local.get $2)
    (local.tee $4
     (i64.load32_u offset=8
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
     (i32.const 22)
    )
   )
  )
  (local.set $2
   (local.get $3)
  )
  (local.set $4
   (i64.add
    (i64.load8_u offset=13
     (local.get $0)
    )
    (i64.const 1)
   )
  )
  (if
   (i64.gt_u
    (local.get $2)
    (i64.const 1000000)
   )
   (then
    (return
     (i32.const 21)
    )
   )
  )
  (if
   (i64.gt_u
    (local.get $4)
    (i64.const 5)
   )
   (then
    (return
     (i32.const 23)
    )
   )
  )
  (if
   (i64.lt_s
    (i64.load32_u offset=4
     (local.get $0)
    )
    (local.get $2)
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
     (if (result i32)
      (i64.eq
       (i64.load8_u offset=12
        (local.get $0)
       )
       (i64.const 2)
      )
      (then
       (i32.const 1)
      )
      (else
       (i64.eq
        (i64.load8_u offset=12
         (local.get $0)
        )
        (i64.const 3)
       )
      )
     )
     (then
      (i64.ne
       (i64.load32_u offset=4
        (local.get $0)
       )
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
     (i32.const 26)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (i64.eqz
      (i64.load32_u offset=4
       (local.get $0)
      )
     )
     (then
      (i32.const 1)
     )
     (else
      (i64.eq
       (i64.load32_u offset=4
        (local.get $0)
       )
       (i64.load32_u
        (local.get $0)
       )
      )
     )
    )
   )
   (then
    (return
     (i32.const 27)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (i64.ge_s
      (local.get $2)
      (i64.load32_u offset=8
       (local.get $0)
      )
     )
     (then
      (i64.ge_s
       (local.get $4)
       (i64.load8_u offset=13
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
     (i32.const 28)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (local.tee $5
      (i64.eq
       (i64.load8_u offset=12
        (local.get $0)
       )
       (i64.const 2)
      )
     )
     (then
      (if (result i32)
       (local.get $5)
       (then
        (i32.const 1)
       )
       (else
        (i64.eq
         (i64.load8_u offset=12
          (local.get $0)
         )
         (i64.const 3)
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
    (return
     (i32.const 29)
    )
   )
  )
  (i32.const 0)
 )
 (func $dispatch-step (param $0 i32) (param $1 i32) (param $2 f64) (result i32)
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
         (call $step-set-price
          (local.get $0)
          (local.get $2)
         )
        )
       )
       (return
        (call $step-pay
         (local.get $0)
         (local.get $2)
        )
       )
      )
      (return
       (call $step-ship
        (local.get $0)
       )
      )
     )
     (return
      (call $step-deliver
       (local.get $0)
      )
     )
    )
    (return
     (call $step-cancel
      (local.get $0)
     )
    )
   )
   (return
    (call $step-refund
     (local.get $0)
     (local.get $2)
    )
   )
  )
  (i32.const 1)
 )
 (func $dispatch-check (param $0 i32) (param $1 i32) (param $2 f64) (result i32)
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
         (call $check-set-price
          (local.get $0)
          (local.get $2)
         )
        )
       )
       (return
        (call $check-pay
         (local.get $0)
         (local.get $2)
        )
       )
      )
      (return
       (call $check-ship
        (local.get $0)
       )
      )
     )
     (return
      (call $check-deliver
       (local.get $0)
      )
     )
    )
    (return
     (call $check-cancel
      (local.get $0)
     )
    )
   )
   (return
    (call $check-refund
     (local.get $0)
     (local.get $2)
    )
   )
  )
  (i32.const 1)
 )
 (func $check-invariants (param $0 i32) (result i32)
  (local $1 i32)
  (if
   (i64.gt_s
    (i64.load32_u offset=8
     (local.tee $0
      (i32.add
       (i32.shl
        (local.get $0)
        (i32.const 4)
       )
       (i32.const 192)
      )
     )
    )
    (i64.load32_u offset=4
     (local.get $0)
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
     (if (result i32)
      (i64.eq
       (i64.load8_u offset=12
        (local.get $0)
       )
       (i64.const 2)
      )
      (then
       (i32.const 1)
      )
      (else
       (i64.eq
        (i64.load8_u offset=12
         (local.get $0)
        )
        (i64.const 3)
       )
      )
     )
     (then
      (i64.ne
       (i64.load32_u offset=4
        (local.get $0)
       )
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
     (i32.const 26)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (i64.eqz
      (i64.load32_u offset=4
       (local.get $0)
      )
     )
     (then
      (i32.const 1)
     )
     (else
      (i64.eq
       (i64.load32_u offset=4
        (local.get $0)
       )
       (i64.load32_u
        (local.get $0)
       )
      )
     )
    )
   )
   (then
    (return
     (i32.const 27)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (i64.ge_s
      (i64.load32_u offset=8
       (local.get $0)
      )
      (i64.load32_u offset=8
       (local.get $0)
      )
     )
     (then
      (i64.ge_s
       (i64.load8_u offset=13
        (local.get $0)
       )
       (i64.load8_u offset=13
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
     (i32.const 28)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (local.tee $1
      (i64.eq
       (i64.load8_u offset=12
        (local.get $0)
       )
       (i64.const 2)
      )
     )
     (then
      (if (result i32)
       (local.get $1)
       (then
        (i32.const 1)
       )
       (else
        (i64.eq
         (i64.load8_u offset=12
          (local.get $0)
         )
         (i64.const 3)
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
    (return
     (i32.const 29)
    )
   )
  )
  (i32.const 0)
 )
 (func $liveness (param $0 i32) (result i32)
  (i32.or
   (i32.or
    (i32.or
     (i64.eq
      (i64.load8_u offset=12
       (local.tee $0
        (i32.add
         (i32.shl
          (local.get $0)
          (i32.const 4)
         )
         (i32.const 192)
        )
       )
      )
      (i64.const 1)
     )
     (i32.shl
      (if (result i32)
       (i64.eq
        (i64.load8_u offset=12
         (local.get $0)
        )
        (i64.const 2)
       )
       (then
        (i32.const 1)
       )
       (else
        (i64.eq
         (i64.load32_u offset=8
          (local.get $0)
         )
         (i64.load32_u offset=4
          (local.get $0)
         )
        )
       )
      )
      (i32.const 1)
     )
    )
    (i32.shl
     (if (result i32)
      (i64.eq
       (i64.load8_u offset=12
        (local.get $0)
       )
       (i64.const 4)
      )
      (then
       (i64.lt_s
        (i64.load32_u offset=8
         (local.get $0)
        )
        (i64.load32_u offset=4
         (local.get $0)
        )
       )
      )
      (else
       (i32.const 0)
      )
     )
     (i32.const 2)
    )
   )
   (i32.shl
    (i64.eq
     (i64.load32_u offset=8
      (local.get $0)
     )
     (i64.load32_u offset=4
      (local.get $0)
     )
    )
    (i32.const 3)
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
      (i32.const 4)
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
       (i32.const 4)
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
       (i32.const 4)
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
 ;; custom section "vigil", size 8395, contents: "{\"abi\":1,\"name\":\"Order\",\"sourceHash\":\"4a0513ddd99684355208cfab2f0aeabf144bfbde7366afa3d51144c2c7f80b70\",\"stride\":16,\"slots\":[{\"offset\":12,\"width\":1,\"signed\":false},{\"offset\":0,\"width\":4,\"signed\":false},{\"offset\":4,\"width\":4,\"signed\":false},{\"offset\":8,\"width\":4,\"signed\":false},{\"offset\":13,\"width\":1,\"signed\":false}],\"vars\":[{\"name\":\"status\",\"type\":{\"kind\":\"enum\",\"name\":\"Status\",\"labels\":[\"created\",\"paid\",\"shipped\",\"delivered\",\"cancelled\"]},\"base\":0,\"size\":1,\"range\":{\"line\":10,\"column\":3,\"endLine\":10,\"endColumn\":33}},{\"name\":\"price\",\"type\":{\"kind\":\"range\",\"lo\":\"0\",\"hi\":\"1000000\",\"name\":\"Amount\"},\"base\":1,\"size\":1,\"range\":{\"line\":11,\"column\":3,\"endLine\":11,\"endColumn\":26}},{\"name\":\"paidAmount\",\"type\":{\"kind\":\"range\",\"lo\":\"0\",\"hi\":\"1000000\",\"name\":\"Amount\"},\"base\":2,\"size\":1,\"range\":{\"line\":12,\"column\":3,\"endLine\":12,\"endColumn\":31}},{\"name\":\"refunded\",\"type\":{\"kind\":\"range\",\"lo\":\"0\",\"hi\":\"1000000\",\"name\":\"Amount\"},\"base\":3,\"size\":1,\"range\":{\"line\":13,\"column\":3,\"endLine\":13,\"endColumn\":29}},{\"name\":\"refundCount\",\"type\":{\"kind\":\"range\",\"lo\":\"0\",\"hi\":\"5\"},\"base\":4,\"size\":1,\"range\":{\"line\":14,\"column\":3,\"endLine\":14,\"endColumn\":39}}],\"initial\":[\"0\",\"0\",\"0\",\"0\",\"0\"],\"actions\":[{\"name\":\"setPrice\",\"stepExport\":\"step-set-price\",\"checkExport\":\"check-set-price\",\"params\":[{\"name\":\"amount\",\"type\":{\"kind\":\"range\",\"lo\":\"0\",\"hi\":\"1000000\",\"name\":\"Amount\"},\"code\":2}],\"range\":{\"line\":16,\"column\":3,\"endLine\":19,\"endColumn\":20}},{\"name\":\"pay\",\"stepExport\":\"step-pay\",\"checkExport\":\"check-pay\",\"params\":[{\"name\":\"amount\",\"type\":{\"kind\":\"range\",\"lo\":\"0\",\"hi\":\"1000000\",\"name\":\"Amount\"},\"code\":6}],\"range\":{\"line\":21,\"column\":3,\"endLine\":26,\"endColumn\":25}},{\"name\":\"ship\",\"stepExport\":\"step-ship\",\"checkExport\":\"check-ship\",\"params\":[],\"range\":{\"line\":28,\"column\":3,\"endLine\":31,\"endColumn\":22}},{\"name\":\"deliver\",\"stepExport\":\"step-deliver\",\"checkExport\":\"check-deliver\",\"params\":[],\"range\":{\"line\":33,\"column\":3,\"endLine\":35,\"endColumn\":24}},{\"name\":\"cancel\",\"stepExport\":\"step-cancel\",\"checkExport\":\"check-cancel\",\"params\":[],\"range\":{\"line\":37,\"column\":3,\"endLine\":39,\"endColumn\":24}},{\"name\":\"refund\",\"stepExport\":\"step-refund\",\"checkExport\":\"check-refund\",\"params\":[{\"name\":\"amount\",\"type\":{\"kind\":\"range\",\"lo\":\"0\",\"hi\":\"1000000\",\"name\":\"Amount\"},\"code\":15}],\"range\":{\"line\":41,\"column\":3,\"endLine\":47,\"endColumn\":35}}],\"invariants\":[{\"name\":\"RefundsWithinPayment\",\"code\":25,\"range\":{\"line\":49,\"column\":3,\"endLine\":50,\"endColumn\":27}},{\"name\":\"PaidBeforeShipping\",\"code\":26,\"range\":{\"line\":52,\"column\":3,\"endLine\":53,\"endColumn\":68}},{\"name\":\"PaymentMatchesPrice\",\"code\":27,\"range\":{\"line\":55,\"column\":3,\"endLine\":56,\"endColumn\":43}},{\"name\":\"RefundsOnlyGrow\",\"code\":28,\"range\":{\"line\":58,\"column\":3,\"endLine\":59,\"endColumn\":68}},{\"name\":\"NoWayBackFromShipping\",\"code\":29,\"range\":{\"line\":61,\"column\":3,\"endLine\":62,\"endColumn\":77}}],\"globalInvariants\":[],\"globalSlots\":[],\"liveness\":[{\"name\":\"PaidIsShippedOrRefunded\",\"code\":30,\"range\":{\"line\":64,\"column\":3,\"endLine\":65,\"endColumn\":84},\"withinMs\":3600000,\"bit\":0},{\"name\":\"CancelledIsRefunded\",\"code\":31,\"range\":{\"line\":67,\"column\":3,\"endLine\":68,\"endColumn\":94},\"withinMs\":1800000,\"bit\":1}],\"globalLiveness\":[],\"verdicts\":[{\"code\":0,\"kind\":\"ok\",\"item\":\"spec Order\",\"detail\":\"\",\"range\":{\"line\":4,\"column\":1,\"endLine\":4,\"endColumn\":11}},{\"code\":1,\"kind\":\"unknown_action\",\"item\":\"spec Order\",\"detail\":\"\",\"range\":{\"line\":4,\"column\":1,\"endLine\":4,\"endColumn\":11}},{\"code\":2,\"kind\":\"bad_argument\",\"item\":\"action setPrice\",\"detail\":\"amount\",\"range\":{\"line\":16,\"column\":19,\"endLine\":16,\"endColumn\":25}},{\"code\":3,\"kind\":\"guard_failed\",\"item\":\"action setPrice\",\"detail\":\"require status == created\",\"range\":{\"line\":17,\"column\":5,\"endLine\":17,\"endColumn\":30}},{\"code\":4,\"kind\":\"guard_failed\",\"item\":\"action setPrice\",\"detail\":\"require amount > 0\",\"range\":{\"line\":18,\"column\":5,\"endLine\":18,\"endColumn\":23}},{\"code\":5,\"kind\":\"range_violation\",\"item\":\"action setPrice\",\"detail\":\"price\",\"range\":{\"line\":19,\"column\":5,\"endLine\":19,\"endColumn\":20}},{\"code\":6,\"kind\":\"bad_argument\",\"item\":\"action pay\",\"detail\":\"amount\",\"range\":{\"line\":21,\"column\":14,\"endLine\":21,\"endColumn\":20}},{\"code\":7,\"kind\":\"guard_failed\",\"item\":\"action pay\",\"detail\":\"require status == created\",\"range\":{\"line\":22,\"column\":5,\"endLine\":22,\"endColumn\":30}},{\"code\":8,\"kind\":\"guard_failed\",\"item\":\"action pay\",\"detail\":\"require price > 0\",\"range\":{\"line\":23,\"column\":5,\"endLine\":23,\"endColumn\":22}},{\"code\":9,\"kind\":\"guard_failed\",\"item\":\"action pay\",\"detail\":\"require amount == price\",\"range\":{\"line\":24,\"column\":5,\"endLine\":24,\"endColumn\":28}},{\"code\":10,\"kind\":\"range_violation\",\"item\":\"action pay\",\"detail\":\"paidAmount\",\"range\":{\"line\":26,\"column\":5,\"endLine\":26,\"endColumn\":25}},{\"code\":11,\"kind\":\"guard_failed\",\"item\":\"action ship\",\"detail\":\"require status == paid\",\"range\":{\"line\":29,\"column\":5,\"endLine\":29,\"endColumn\":27}},{\"code\":12,\"kind\":\"guard_failed\",\"item\":\"action ship\",\"detail\":\"require refunded < paidAmount\",\"range\":{\"line\":30,\"column\":5,\"endLine\":30,\"endColumn\":34}},{\"code\":13,\"kind\":\"guard_failed\",\"item\":\"action deliver\",\"detail\":\"require status == shipped\",\"range\":{\"line\":34,\"column\":5,\"endLine\":34,\"endColumn\":30}},{\"code\":14,\"kind\":\"guard_failed\",\"item\":\"action cancel\",\"detail\":\"require status == created or status == paid\",\"range\":{\"line\":38,\"column\":5,\"endLine\":38,\"endColumn\":48}},{\"code\":15,\"kind\":\"bad_argument\",\"item\":\"action refund\",\"detail\":\"amount\",\"range\":{\"line\":41,\"column\":17,\"endLine\":41,\"endColumn\":23}},{\"code\":16,\"kind\":\"guard_failed\",\"item\":\"action refund\",\"detail\":\"require status == paid or status == delivered or status == cancelled\",\"range\":{\"line\":42,\"column\":5,\"endLine\":42,\"endColumn\":73}},{\"code\":17,\"kind\":\"guard_failed\",\"item\":\"action refund\",\"detail\":\"require amount > 0\",\"range\":{\"line\":43,\"column\":5,\"endLine\":43,\"endColumn\":23}},{\"code\":18,\"kind\":\"guard_failed\",\"item\":\"action refund\",\"detail\":\"require refunded + amount <= paidAmount\",\"range\":{\"line\":44,\"column\":5,\"endLine\":44,\"endColumn\":44}},{\"code\":19,\"kind\":\"arith_error\",\"item\":\"action refund\",\"detail\":\"refunded + amount: overflow\",\"range\":{\"line\":44,\"column\":13,\"endLine\":44,\"endColumn\":30}},{\"code\":20,\"kind\":\"guard_failed\",\"item\":\"action refund\",\"detail\":\"require refundCount < MaxRefunds\",\"range\":{\"line\":45,\"column\":5,\"endLine\":45,\"endColumn\":37}},{\"code\":21,\"kind\":\"range_violation\",\"item\":\"action refund\",\"detail\":\"refunded\",\"range\":{\"line\":46,\"column\":5,\"endLine\":46,\"endColumn\":34}},{\"code\":22,\"kind\":\"arith_error\",\"item\":\"action refund\",\"detail\":\"refunded + amount: overflow\",\"range\":{\"line\":46,\"column\":17,\"endLine\":46,\"endColumn\":34}},{\"code\":23,\"kind\":\"range_violation\",\"item\":\"action refund\",\"detail\":\"refundCount\",\"range\":{\"line\":47,\"column\":5,\"endLine\":47,\"endColumn\":35}},{\"code\":24,\"kind\":\"arith_error\",\"item\":\"action refund\",\"detail\":\"refundCount + 1: overflow\",\"range\":{\"line\":47,\"column\":20,\"endLine\":47,\"endColumn\":35}},{\"code\":25,\"kind\":\"invariant_failed\",\"item\":\"invariant RefundsWithinPayment\",\"detail\":\"refunded <= paidAmount\",\"range\":{\"line\":49,\"column\":3,\"endLine\":50,\"endColumn\":27}},{\"code\":26,\"kind\":\"invariant_failed\",\"item\":\"invariant PaidBeforeShipping\",\"detail\":\"status == shipped or status == delivered implies paidAmount > 0\",\"range\":{\"line\":52,\"column\":3,\"endLine\":53,\"endColumn\":68}},{\"code\":27,\"kind\":\"invariant_failed\",\"item\":\"invariant PaymentMatchesPrice\",\"detail\":\"paidAmount == 0 or paidAmount == price\",\"range\":{\"line\":55,\"column\":3,\"endLine\":56,\"endColumn\":43}},{\"code\":28,\"kind\":\"invariant_failed\",\"item\":\"invariant RefundsOnlyGrow\",\"detail\":\"refunded >= prev(refunded) and refundCount >= prev(refundCount)\",\"range\":{\"line\":58,\"column\":3,\"endLine\":59,\"endColumn\":68}},{\"code\":29,\"kind\":\"invariant_failed\",\"item\":\"invariant NoWayBackFromShipping\",\"detail\":\"prev(status) == shipped implies status == shipped or status == delivered\",\"range\":{\"line\":61,\"column\":3,\"endLine\":62,\"endColumn\":77}},{\"code\":30,\"kind\":\"liveness_timeout\",\"item\":\"liveness PaidIsShippedOrRefunded\",\"detail\":\"when status == paid then eventually status == shipped or refunded == paidAmount\",\"range\":{\"line\":64,\"column\":3,\"endLine\":65,\"endColumn\":84}},{\"code\":31,\"kind\":\"liveness_timeout\",\"item\":\"liveness CancelledIsRefunded\",\"detail\":\"when status == cancelled and refunded < paidAmount then eventually refunded == paidAmount\",\"range\":{\"line\":67,\"column\":3,\"endLine\":68,\"endColumn\":94}}],\"range\":{\"line\":4,\"column\":1,\"endLine\":4,\"endColumn\":11}}"
)
