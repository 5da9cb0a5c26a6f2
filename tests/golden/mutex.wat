(module
 (type $0 (func (param i32 f64) (result i32)))
 (type $1 (func (param i32) (result i32)))
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
 (data $0 (i32.const 24) "\01")
 (data $0.1 (i32.const 36) "\01")
 (data $0.2 (i32.const 48) "\01\00\00\00\00\00\00\00\01\00\00\00\01")
 (data $0.3 (i32.const 72) "\03\00\00\00\00\00\00\00\02\00\00\00\01")
 (data $0.4 (i32.const 96) "\03\00\00\00\00\00\00\00\03\00\00\00\01")
 (data $0.5 (i32.const 120) "\01\00\00\00\00\00\00\00\04\00\00\00\01")
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
 (export "step-request" (func $step-request))
 (export "check-request" (func $check-request))
 (export "step-give-turn" (func $step-give-turn))
 (export "check-give-turn" (func $check-give-turn))
 (export "step-enter" (func $step-enter))
 (export "check-enter" (func $check-enter))
 (export "step-leave" (func $step-leave))
 (export "check-leave" (func $check-leave))
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
       (i32.const 136)
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
      (i32.const 136)
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
 (func $step-request (param $0 i32) (param $1 f64) (result i32)
  (local $2 i64)
  (local $3 i64)
  (local $4 i64)
  (local $5 i32)
  (local $6 i32)
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
       (f64.const 1)
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
  (if
   (i32.eqz
    (i64.eqz
     (i64.load8_u offset=2
      (i32.add
       (local.get $0)
       (i32.wrap_i64
        (local.tee $3
         (i64.trunc_f64_s
          (local.get $1)
         )
        )
       )
      )
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
   (if (result i32)
    (i64.eq
     (select
      (i64.const 1)
      (i64.load8_u offset=2
       (local.get $0)
      )
      (i64.eqz
       (local.get $3)
      )
     )
     (i64.const 3)
    )
    (then
     (i64.eq
      (select
       (i64.const 1)
       (i64.load8_u offset=2
        (i32.add
         (local.get $0)
         (i32.const 1)
        )
       )
       (i64.eq
        (local.get $3)
        (i64.const 1)
       )
      )
      (i64.const 3)
     )
    )
    (else
     (i32.const 0)
    )
   )
   (then
    (return
     (i32.const 25)
    )
   )
  )
  (local.set $4
   (i64.const 1)
  )
  (loop $q_next1
   (block $q_end0
    (if
     (i64.ne
      (select
       (i64.const 1)
       (i64.load8_u
        (local.tee $5
         (i32.add
          (local.get $0)
          (i32.wrap_i64
           (local.get $2)
          )
         )
        )
       )
       (local.tee $6
        (i64.eq
         (local.get $2)
         (local.get $3)
        )
       )
      )
      (i64.extend_i32_u
       (i64.ne
        (select
         (i64.const 1)
         (i64.load8_u offset=2
          (local.get $5)
         )
         (local.get $6)
        )
        (i64.const 0)
       )
      )
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
      (i64.const 1)
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
     (i32.const 28)
    )
   )
  )
  (i64.store8
   (local.tee $0
    (i32.add
     (local.get $0)
     (i32.wrap_i64
      (local.get $3)
     )
    )
   )
   (i64.const 1)
  )
  (i64.store8 offset=2
   (local.get $0)
   (i64.const 1)
  )
  (i32.const 0)
 )
 (func $check-request (param $0 i32) (param $1 f64) (result i32)
  (local $2 i64)
  (local $3 i64)
  (local $4 i64)
  (local $5 i32)
  (local $6 i32)
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
       (f64.const 1)
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
  (if
   (i32.eqz
    (i64.eqz
     (i64.load8_u offset=2
      (i32.add
       (local.get $0)
       (i32.wrap_i64
        (local.tee $3
         (i64.trunc_f64_s
          (local.get $1)
         )
        )
       )
      )
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
   (if (result i32)
    (i64.eq
     (select
      (i64.const 1)
      (i64.load8_u offset=2
       (local.get $0)
      )
      (i64.eqz
       (local.get $3)
      )
     )
     (i64.const 3)
    )
    (then
     (i64.eq
      (select
       (i64.const 1)
       (i64.load8_u offset=2
        (i32.add
         (local.get $0)
         (i32.const 1)
        )
       )
       (i64.eq
        (local.get $3)
        (i64.const 1)
       )
      )
      (i64.const 3)
     )
    )
    (else
     (i32.const 0)
    )
   )
   (then
    (return
     (i32.const 25)
    )
   )
  )
  (local.set $4
   (i64.const 1)
  )
  (loop $q_next1
   (block $q_end0
    (if
     (i64.ne
      (select
       (i64.const 1)
       (i64.load8_u
        (local.tee $5
         (i32.add
          (local.get $0)
          (i32.wrap_i64
           (local.get $2)
          )
         )
        )
       )
       (local.tee $6
        (i64.eq
         (local.get $2)
         (local.get $3)
        )
       )
      )
      (i64.extend_i32_u
       (i64.ne
        (select
         (i64.const 1)
         (i64.load8_u offset=2
          (local.get $5)
         )
         (local.get $6)
        )
        (i64.const 0)
       )
      )
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
      (i64.const 1)
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
     (i32.const 28)
    )
   )
  )
  (i32.const 0)
 )
 (func $step-give-turn (param $0 i32) (param $1 f64) (result i32)
  (local $2 i64)
  (local $3 i64)
  (local $4 i64)
  (local $5 i64)
  (local $6 i32)
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
       (f64.const 1)
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
     (i32.const 7)
    )
   )
  )
  (if
   (i64.ne
    (i64.load8_u offset=2
     (i32.add
      (local.get $0)
      (i32.wrap_i64
       (local.tee $3
        (i64.trunc_f64_s
         (local.get $1)
        )
       )
      )
     )
    )
    (i64.const 1)
   )
   (then
    (return
     (i32.const 8)
    )
   )
  )
  (if
   (i64.lt_s
    (i64.and
     (i64.xor
      (local.get $3)
      (i64.const 1)
     )
     (i64.xor
      (local.tee $2
       (i64.sub
        (i64.const 1)
        (local.get $3)
       )
      )
      (i64.const 1)
     )
    )
    (i64.const 0)
   )
   (then
    (return
     (i32.const 11)
    )
   )
  )
  (if
   (i64.gt_u
    (local.tee $5
     (local.get $2)
    )
    (i64.const 1)
   )
   (then
    (return
     (i32.const 10)
    )
   )
  )
  (if
   (if (result i32)
    (i64.eq
     (select
      (i64.const 2)
      (i64.load8_u offset=2
       (local.get $0)
      )
      (i64.eqz
       (local.get $3)
      )
     )
     (i64.const 3)
    )
    (then
     (i64.eq
      (select
       (i64.const 2)
       (i64.load8_u offset=2
        (i32.add
         (local.get $0)
         (i32.const 1)
        )
       )
       (i64.eq
        (local.get $3)
        (i64.const 1)
       )
      )
      (i64.const 3)
     )
    )
    (else
     (i32.const 0)
    )
   )
   (then
    (return
     (i32.const 25)
    )
   )
  )
  (local.set $4
   (i64.const 1)
  )
  (local.set $2
   (i64.const 0)
  )
  (loop $q_next1
   (block $q_end0
    (if
     (i64.ne
      (i64.load8_u
       (local.tee $6
        (i32.add
         (local.get $0)
         (i32.wrap_i64
          (local.get $2)
         )
        )
       )
      )
      (i64.extend_i32_u
       (i64.ne
        (select
         (i64.const 2)
         (i64.load8_u offset=2
          (local.get $6)
         )
         (i64.eq
          (local.get $2)
          (local.get $3)
         )
        )
        (i64.const 0)
       )
      )
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
      (i64.const 1)
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
     (i32.const 28)
    )
   )
  )
  (i64.store8 offset=4
   (local.get $0)
   (local.get $5)
  )
  (i64.store8 offset=2
   (i32.add
    (local.get $0)
    (i32.wrap_i64
     (local.get $3)
    )
   )
   (i64.const 2)
  )
  (i32.const 0)
 )
 (func $check-give-turn (param $0 i32) (param $1 f64) (result i32)
  (local $2 i64)
  (local $3 i64)
  (local $4 i64)
  (local $5 i32)
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
       (f64.const 1)
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
     (i32.const 7)
    )
   )
  )
  (if
   (i64.ne
    (i64.load8_u offset=2
     (i32.add
      (local.get $0)
      (i32.wrap_i64
       (local.tee $3
        (i64.trunc_f64_s
         (local.get $1)
        )
       )
      )
     )
    )
    (i64.const 1)
   )
   (then
    (return
     (i32.const 8)
    )
   )
  )
  (if
   (i64.lt_s
    (i64.and
     (i64.xor
      (local.get $3)
      (i64.const 1)
     )
     (i64.xor
      (local.tee $2
       (i64.sub
        (i64.const 1)
        (local.get $3)
       )
      )
      (i64.const 1)
     )
    )
    (i64.const 0)
   )
   (then
    (return
     (i32.const 11)
    )
   )
  )
  (if
   (i64.gt_u
    (local.get $2)
    (i64.const 1)
   )
   (then
    (return
     (i32.const 10)
    )
   )
  )
  (if
   (if (result i32)
    (i64.eq
     (select
      (i64.const 2)
      (i64.load8_u offset=2
       (local.get $0)
      )
      (i64.eqz
       (local.get $3)
      )
     )
     (i64.const 3)
    )
    (then
     (i64.eq
      (select
       (i64.const 2)
       (i64.load8_u offset=2
        (i32.add
         (local.get $0)
         (i32.const 1)
        )
       )
       (i64.eq
        (local.get $3)
        (i64.const 1)
       )
      )
      (i64.const 3)
     )
    )
    (else
     (i32.const 0)
    )
   )
   (then
    (return
     (i32.const 25)
    )
   )
  )
  (local.set $4
   (i64.const 1)
  )
  (local.set $2
   (i64.const 0)
  )
  (loop $q_next1
   (block $q_end0
    (if
     (i64.ne
      (i64.load8_u
       (local.tee $5
        (i32.add
         (local.get $0)
         (i32.wrap_i64
          (local.get $2)
         )
        )
       )
      )
      (i64.extend_i32_u
       (i64.ne
        (select
         (i64.const 2)
         (i64.load8_u offset=2
          (local.get $5)
         )
         (i64.eq
          (local.get $2)
          (local.get $3)
         )
        )
        (i64.const 0)
       )
      )
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
      (i64.const 1)
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
     (i32.const 28)
    )
   )
  )
  (i32.const 0)
 )
 (func $step-enter (param $0 i32) (param $1 f64) (result i32)
  (local $2 i64)
  (local $3 i64)
  (local $4 i64)
  (local $5 i32)
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
       (f64.const 1)
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
     (i32.const 13)
    )
   )
  )
  (if
   (i64.ne
    (i64.load8_u offset=2
     (i32.add
      (local.get $0)
      (i32.wrap_i64
       (local.tee $3
        (i64.trunc_f64_s
         (local.get $1)
        )
       )
      )
     )
    )
    (i64.const 2)
   )
   (then
    (return
     (i32.const 14)
    )
   )
  )
  (if
   (i64.lt_s
    (i64.and
     (i64.xor
      (local.get $3)
      (i64.const 1)
     )
     (i64.xor
      (local.tee $2
       (i64.sub
        (i64.const 1)
        (local.get $3)
       )
      )
      (i64.const 1)
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
  (if
   (i64.gt_u
    (local.get $2)
    (i64.const 1)
   )
   (then
    (return
     (i32.const 17)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (i64.eqz
      (i64.load8_u
       (i32.add
        (local.get $0)
        (i32.wrap_i64
         (local.get $2)
        )
       )
      )
     )
     (then
      (i32.const 1)
     )
     (else
      (i64.eq
       (i64.load8_u offset=4
        (local.get $0)
       )
       (local.get $3)
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
   (if (result i32)
    (i64.eq
     (select
      (i64.const 3)
      (i64.load8_u offset=2
       (local.get $0)
      )
      (i64.eqz
       (local.get $3)
      )
     )
     (i64.const 3)
    )
    (then
     (i64.eq
      (select
       (i64.const 3)
       (i64.load8_u offset=2
        (i32.add
         (local.get $0)
         (i32.const 1)
        )
       )
       (i64.eq
        (local.get $3)
        (i64.const 1)
       )
      )
      (i64.const 3)
     )
    )
    (else
     (i32.const 0)
    )
   )
   (then
    (return
     (i32.const 25)
    )
   )
  )
  (local.set $4
   (i64.const 1)
  )
  (local.set $2
   (i64.const 0)
  )
  (loop $q_next1
   (block $q_end0
    (if
     (i64.ne
      (i64.load8_u
       (local.tee $5
        (i32.add
         (local.get $0)
         (i32.wrap_i64
          (local.get $2)
         )
        )
       )
      )
      (i64.extend_i32_u
       (i64.ne
        (select
         (i64.const 3)
         (i64.load8_u offset=2
          (local.get $5)
         )
         (i64.eq
          (local.get $2)
          (local.get $3)
         )
        )
        (i64.const 0)
       )
      )
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
      (i64.const 1)
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
     (i32.const 28)
    )
   )
  )
  (i64.store8 offset=2
   (i32.add
    (local.get $0)
    (i32.wrap_i64
     (local.get $3)
    )
   )
   (i64.const 3)
  )
  (i32.const 0)
 )
 (func $check-enter (param $0 i32) (param $1 f64) (result i32)
  (local $2 i64)
  (local $3 i64)
  (local $4 i64)
  (local $5 i32)
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
       (f64.const 1)
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
     (i32.const 13)
    )
   )
  )
  (if
   (i64.ne
    (i64.load8_u offset=2
     (i32.add
      (local.get $0)
      (i32.wrap_i64
       (local.tee $3
        (i64.trunc_f64_s
         (local.get $1)
        )
       )
      )
     )
    )
    (i64.const 2)
   )
   (then
    (return
     (i32.const 14)
    )
   )
  )
  (if
   (i64.lt_s
    (i64.and
     (i64.xor
      (local.get $3)
      (i64.const 1)
     )
     (i64.xor
      (local.tee $2
       (i64.sub
        (i64.const 1)
        (local.get $3)
       )
      )
      (i64.const 1)
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
  (if
   (i64.gt_u
    (local.get $2)
    (i64.const 1)
   )
   (then
    (return
     (i32.const 17)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (i64.eqz
      (i64.load8_u
       (i32.add
        (local.get $0)
        (i32.wrap_i64
         (local.get $2)
        )
       )
      )
     )
     (then
      (i32.const 1)
     )
     (else
      (i64.eq
       (i64.load8_u offset=4
        (local.get $0)
       )
       (local.get $3)
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
   (if (result i32)
    (i64.eq
     (select
      (i64.const 3)
      (i64.load8_u offset=2
       (local.get $0)
      )
      (i64.eqz
       (local.get $3)
      )
     )
     (i64.const 3)
    )
    (then
     (i64.eq
      (select
       (i64.const 3)
       (i64.load8_u offset=2
        (i32.add
         (local.get $0)
         (i32.const 1)
        )
       )
       (i64.eq
        (local.get $3)
        (i64.const 1)
       )
      )
      (i64.const 3)
     )
    )
    (else
     (i32.const 0)
    )
   )
   (then
    (return
     (i32.const 25)
    )
   )
  )
  (local.set $4
   (i64.const 1)
  )
  (local.set $2
   (i64.const 0)
  )
  (loop $q_next1
   (block $q_end0
    (if
     (i64.ne
      (i64.load8_u
       (local.tee $5
        (i32.add
         (local.get $0)
         (i32.wrap_i64
          (local.get $2)
         )
        )
       )
      )
      (i64.extend_i32_u
       (i64.ne
        (select
         (i64.const 3)
         (i64.load8_u offset=2
          (local.get $5)
         )
         (i64.eq
          (local.get $2)
          (local.get $3)
         )
        )
        (i64.const 0)
       )
      )
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
      (i64.const 1)
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
     (i32.const 28)
    )
   )
  )
  (i32.const 0)
 )
 (func $step-leave (param $0 i32) (param $1 f64) (result i32)
  (local $2 i64)
  (local $3 i64)
  (local $4 i64)
  (local $5 i32)
  (local $6 i32)
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
       (f64.const 1)
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
     (i32.const 20)
    )
   )
  )
  (if
   (i64.ne
    (i64.load8_u offset=2
     (i32.add
      (local.get $0)
      (i32.wrap_i64
       (local.tee $3
        (i64.trunc_f64_s
         (local.get $1)
        )
       )
      )
     )
    )
    (i64.const 3)
   )
   (then
    (return
     (i32.const 21)
    )
   )
  )
  (if
   (if (result i32)
    (i64.eq
     (select
      (i64.const 0)
      (i64.load8_u offset=2
       (local.get $0)
      )
      (i64.eqz
       (local.get $3)
      )
     )
     (i64.const 3)
    )
    (then
     (i64.eq
      (select
       (i64.load8_u offset=2
        (i32.add
         (local.get $0)
         (i32.const 1)
        )
       )
       (i64.const 0)
       (i64.ne
        (local.get $3)
        (i64.const 1)
       )
      )
      (i64.const 3)
     )
    )
    (else
     (i32.const 0)
    )
   )
   (then
    (return
     (i32.const 25)
    )
   )
  )
  (local.set $4
   (i64.const 1)
  )
  (loop $q_next1
   (block $q_end0
    (if
     (i64.ne
      (select
       (i64.const 0)
       (i64.load8_u
        (local.tee $5
         (i32.add
          (local.get $0)
          (i32.wrap_i64
           (local.get $2)
          )
         )
        )
       )
       (local.tee $6
        (i64.eq
         (local.get $2)
         (local.get $3)
        )
       )
      )
      (i64.extend_i32_u
       (i64.ne
        (select
         (i64.const 0)
         (i64.load8_u offset=2
          (local.get $5)
         )
         (local.get $6)
        )
        (i64.const 0)
       )
      )
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
      (i64.const 1)
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
     (i32.const 28)
    )
   )
  )
  (i64.store8
   (local.tee $0
    (i32.add
     (local.get $0)
     (i32.wrap_i64
      (local.get $3)
     )
    )
   )
   (i64.const 0)
  )
  (i64.store8 offset=2
   (local.get $0)
   (i64.const 0)
  )
  (i32.const 0)
 )
 (func $check-leave (param $0 i32) (param $1 f64) (result i32)
  (local $2 i64)
  (local $3 i64)
  (local $4 i64)
  (local $5 i32)
  (local $6 i32)
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
       (f64.const 1)
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
     (i32.const 20)
    )
   )
  )
  (if
   (i64.ne
    (i64.load8_u offset=2
     (i32.add
      (local.get $0)
      (i32.wrap_i64
       (local.tee $3
        (i64.trunc_f64_s
         (local.get $1)
        )
       )
      )
     )
    )
    (i64.const 3)
   )
   (then
    (return
     (i32.const 21)
    )
   )
  )
  (if
   (if (result i32)
    (i64.eq
     (select
      (i64.const 0)
      (i64.load8_u offset=2
       (local.get $0)
      )
      (i64.eqz
       (local.get $3)
      )
     )
     (i64.const 3)
    )
    (then
     (i64.eq
      (select
       (i64.load8_u offset=2
        (i32.add
         (local.get $0)
         (i32.const 1)
        )
       )
       (i64.const 0)
       (i64.ne
        (local.get $3)
        (i64.const 1)
       )
      )
      (i64.const 3)
     )
    )
    (else
     (i32.const 0)
    )
   )
   (then
    (return
     (i32.const 25)
    )
   )
  )
  (local.set $4
   (i64.const 1)
  )
  (loop $q_next1
   (block $q_end0
    (if
     (i64.ne
      (select
       (i64.const 0)
       (i64.load8_u
        (local.tee $5
         (i32.add
          (local.get $0)
          (i32.wrap_i64
           (local.get $2)
          )
         )
        )
       )
       (local.tee $6
        (i64.eq
         (local.get $2)
         (local.get $3)
        )
       )
      )
      (i64.extend_i32_u
       (i64.ne
        (select
         (i64.const 0)
         (i64.load8_u offset=2
          (local.get $5)
         )
         (local.get $6)
        )
        (i64.const 0)
       )
      )
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
      (i64.const 1)
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
     (i32.const 28)
    )
   )
  )
  (i32.const 0)
 )
 (func $dispatch-step (param $0 i32) (param $1 i32) (param $2 f64) (result i32)
  (block $default
   (block $case3
    (block $case2
     (block $case1
      (block $case0
       (br_table $case0 $case1 $case2 $case3 $default
        (local.get $1)
       )
      )
      (return
       (call $step-request
        (local.get $0)
        (local.get $2)
       )
      )
     )
     (return
      (call $step-give-turn
       (local.get $0)
       (local.get $2)
      )
     )
    )
    (return
     (call $step-enter
      (local.get $0)
      (local.get $2)
     )
    )
   )
   (return
    (call $step-leave
     (local.get $0)
     (local.get $2)
    )
   )
  )
  (i32.const 1)
 )
 (func $dispatch-check (param $0 i32) (param $1 i32) (param $2 f64) (result i32)
  (block $default
   (block $case3
    (block $case2
     (block $case1
      (block $case0
       (br_table $case0 $case1 $case2 $case3 $default
        (local.get $1)
       )
      )
      (return
       (call $check-request
        (local.get $0)
        (local.get $2)
       )
      )
     )
     (return
      (call $check-give-turn
       (local.get $0)
       (local.get $2)
      )
     )
    )
    (return
     (call $check-enter
      (local.get $0)
      (local.get $2)
     )
    )
   )
   (return
    (call $check-leave
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
  (local $3 i32)
  (if
   (if (result i32)
    (i64.eq
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
     (i64.const 3)
    )
    (then
     (i64.eq
      (i64.load8_u offset=2
       (i32.add
        (local.get $0)
        (i32.const 1)
       )
      )
      (i64.const 3)
     )
    )
    (else
     (i32.const 0)
    )
   )
   (then
    (return
     (i32.const 25)
    )
   )
  )
  (local.set $2
   (i64.const 1)
  )
  (loop $q_next1
   (block $q_end0
    (if
     (i64.ne
      (i64.load8_u
       (local.tee $3
        (i32.add
         (local.get $0)
         (i32.wrap_i64
          (local.get $1)
         )
        )
       )
      )
      (i64.extend_i32_u
       (i64.ne
        (i64.load8_u offset=2
         (local.get $3)
        )
        (i64.const 0)
       )
      )
     )
     (then
      (local.set $2
       (i64.const 0)
      )
      (br $q_end0)
     )
    )
    (br_if $q_end0
     (i64.eq
      (local.get $1)
      (i64.const 1)
     )
    )
    (local.set $1
     (i64.add
      (local.get $1)
      (i64.const 1)
     )
    )
    (br $q_next1)
   )
  )
  (if
   (i64.eqz
    (local.get $2)
   )
   (then
    (return
     (i32.const 28)
    )
   )
  )
  (i32.const 0)
 )
 (func $liveness (param $0 i32) (result i32)
  (i32.or
   (i64.eq
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
    (i64.const 2)
   )
   (i32.shl
    (i64.eq
     (i64.load8_u offset=2
      (local.get $0)
     )
     (i64.const 3)
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
      (i32.const 3)
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
       (i32.const 3)
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
       (i32.const 3)
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
 ;; custom section "vigil", size 7508, contents: "{\"abi\":1,\"name\":\"Mutex\",\"sourceHash\":\"17e3f73bf84dc6735afe8588d26d89af41c3c39da557b12d54edccb09c3c6fe2\",\"stride\":8,\"slots\":[{\"offset\":0,\"width\":1,\"signed\":false},{\"offset\":1,\"width\":1,\"signed\":false},{\"offset\":2,\"width\":1,\"signed\":false},{\"offset\":3,\"width\":1,\"signed\":false},{\"offset\":4,\"width\":1,\"signed\":false}],\"vars\":[{\"name\":\"flag\",\"type\":{\"kind\":\"map\",\"key\":{\"kind\":\"range\",\"lo\":\"0\",\"hi\":\"1\",\"name\":\"Proc\"},\"value\":{\"kind\":\"bool\"}},\"base\":0,\"size\":2,\"range\":{\"line\":8,\"column\":3,\"endLine\":8,\"endColumn\":38}},{\"name\":\"pc\",\"type\":{\"kind\":\"map\",\"key\":{\"kind\":\"range\",\"lo\":\"0\",\"hi\":\"1\",\"name\":\"Proc\"},\"value\":{\"kind\":\"enum\",\"name\":\"Pc\",\"labels\":[\"idle\",\"trying\",\"waiting\",\"critical\"]}},\"base\":2,\"size\":2,\"range\":{\"line\":9,\"column\":3,\"endLine\":9,\"endColumn\":33}},{\"name\":\"turn\",\"type\":{\"kind\":\"range\",\"lo\":\"0\",\"hi\":\"1\",\"name\":\"Proc\"},\"base\":4,\"size\":1,\"range\":{\"line\":10,\"column\":3,\"endLine\":10,\"endColumn\":23}}],\"initial\":[\"0\",\"0\",\"0\",\"0\",\"0\"],\"actions\":[{\"name\":\"request\",\"stepExport\":\"step-request\",\"checkExport\":\"check-request\",\"params\":[{\"name\":\"p\",\"type\":{\"kind\":\"range\",\"lo\":\"0\",\"hi\":\"1\",\"name\":\"Proc\"},\"code\":2}],\"range\":{\"line\":12,\"column\":3,\"endLine\":15,\"endColumn\":20}},{\"name\":\"giveTurn\",\"stepExport\":\"step-give-turn\",\"checkExport\":\"check-give-turn\",\"params\":[{\"name\":\"p\",\"type\":{\"kind\":\"range\",\"lo\":\"0\",\"hi\":\"1\",\"name\":\"Proc\"},\"code\":7}],\"range\":{\"line\":17,\"column\":3,\"endLine\":20,\"endColumn\":21}},{\"name\":\"enter\",\"stepExport\":\"step-enter\",\"checkExport\":\"check-enter\",\"params\":[{\"name\":\"p\",\"type\":{\"kind\":\"range\",\"lo\":\"0\",\"hi\":\"1\",\"name\":\"Proc\"},\"code\":13}],\"range\":{\"line\":22,\"column\":3,\"endLine\":25,\"endColumn\":22}},{\"name\":\"leave\",\"stepExport\":\"step-leave\",\"checkExport\":\"check-leave\",\"params\":[{\"name\":\"p\",\"type\":{\"kind\":\"range\",\"lo\":\"0\",\"hi\":\"1\",\"name\":\"Proc\"},\"code\":20}],\"range\":{\"line\":27,\"column\":3,\"endLine\":30,\"endColumn\":18}}],\"invariants\":[{\"name\":\"MutualExclusion\",\"code\":25,\"range\":{\"line\":32,\"column\":3,\"endLine\":33,\"endColumn\":50}},{\"name\":\"FlagRaisedWhileBusy\",\"code\":28,\"range\":{\"line\":35,\"column\":3,\"endLine\":36,\"endColumn\":47}}],\"globalInvariants\":[],\"globalSlots\":[],\"liveness\":[{\"name\":\"WaiterEnters\",\"code\":31,\"range\":{\"line\":38,\"column\":3,\"endLine\":39,\"endColumn\":60},\"withinMs\":5000,\"bit\":0}],\"globalLiveness\":[],\"verdicts\":[{\"code\":0,\"kind\":\"ok\",\"item\":\"spec Mutex\",\"detail\":\"\",\"range\":{\"line\":4,\"column\":1,\"endLine\":4,\"endColumn\":11}},{\"code\":1,\"kind\":\"unknown_action\",\"item\":\"spec Mutex\",\"detail\":\"\",\"range\":{\"line\":4,\"column\":1,\"endLine\":4,\"endColumn\":11}},{\"code\":2,\"kind\":\"bad_argument\",\"item\":\"action request\",\"detail\":\"p\",\"range\":{\"line\":12,\"column\":18,\"endLine\":12,\"endColumn\":19}},{\"code\":3,\"kind\":\"guard_failed\",\"item\":\"action request\",\"detail\":\"require pc[p] == idle\",\"range\":{\"line\":13,\"column\":5,\"endLine\":13,\"endColumn\":26}},{\"code\":4,\"kind\":\"arith_error\",\"item\":\"action request\",\"detail\":\"pc[p]: key out of 'Proc'\",\"range\":{\"line\":13,\"column\":13,\"endLine\":13,\"endColumn\":18}},{\"code\":5,\"kind\":\"arith_error\",\"item\":\"action request\",\"detail\":\"flag[p]: key out of 'Proc'\",\"range\":{\"line\":14,\"column\":5,\"endLine\":14,\"endColumn\":12}},{\"code\":6,\"kind\":\"arith_error\",\"item\":\"action request\",\"detail\":\"pc[p]: key out of 'Proc'\",\"range\":{\"line\":15,\"column\":5,\"endLine\":15,\"endColumn\":10}},{\"code\":7,\"kind\":\"bad_argument\",\"item\":\"action giveTurn\",\"detail\":\"p\",\"range\":{\"line\":17,\"column\":19,\"endLine\":17,\"endColumn\":20}},{\"code\":8,\"kind\":\"guard_failed\",\"item\":\"action giveTurn\",\"detail\":\"require pc[p] == trying\",\"range\":{\"line\":18,\"column\":5,\"endLine\":18,\"endColumn\":28}},{\"code\":9,\"kind\":\"arith_error\",\"item\":\"action giveTurn\",\"detail\":\"pc[p]: key out of 'Proc'\",\"range\":{\"line\":18,\"column\":13,\"endLine\":18,\"endColumn\":18}},{\"code\":10,\"kind\":\"range_violation\",\"item\":\"action giveTurn\",\"detail\":\"turn\",\"range\":{\"line\":19,\"column\":5,\"endLine\":19,\"endColumn\":18}},{\"code\":11,\"kind\":\"arith_error\",\"item\":\"action giveTurn\",\"detail\":\"1 - p: overflow\",\"range\":{\"line\":19,\"column\":13,\"endLine\":19,\"endColumn\":18}},{\"code\":12,\"kind\":\"arith_error\",\"item\":\"action giveTurn\",\"detail\":\"pc[p]: key out of 'Proc'\",\"range\":{\"line\":20,\"column\":5,\"endLine\":20,\"endColumn\":10}},{\"code\":13,\"kind\":\"bad_argument\",\"item\":\"action enter\",\"detail\":\"p\",\"range\":{\"line\":22,\"column\":16,\"endLine\":22,\"endColumn\":17}},{\"code\":14,\"kind\":\"guard_failed\",\"item\":\"action enter\",\"detail\":\"require pc[p] == waiting\",\"range\":{\"line\":23,\"column\":5,\"endLine\":23,\"endColumn\":29}},{\"code\":15,\"kind\":\"arith_error\",\"item\":\"action enter\",\"detail\":\"pc[p]: key out of 'Proc'\",\"range\":{\"line\":23,\"column\":13,\"endLine\":23,\"endColumn\":18}},{\"code\":16,\"kind\":\"guard_failed\",\"item\":\"action enter\",\"detail\":\"require flag[1 - p] == false or turn == p\",\"range\":{\"line\":24,\"column\":5,\"endLine\":24,\"endColumn\":46}},{\"code\":17,\"kind\":\"arith_error\",\"item\":\"action enter\",\"detail\":\"flag[1 - p]: key out of 'Proc'\",\"range\":{\"line\":24,\"column\":13,\"endLine\":24,\"endColumn\":24}},{\"code\":18,\"kind\":\"arith_error\",\"item\":\"action enter\",\"detail\":\"1 - p: overflow\",\"range\":{\"line\":24,\"column\":18,\"endLine\":24,\"endColumn\":23}},{\"code\":19,\"kind\":\"arith_error\",\"item\":\"action enter\",\"detail\":\"pc[p]: key out of 'Proc'\",\"range\":{\"line\":25,\"column\":5,\"endLine\":25,\"endColumn\":10}},{\"code\":20,\"kind\":\"bad_argument\",\"item\":\"action leave\",\"detail\":\"p\",\"range\":{\"line\":27,\"column\":16,\"endLine\":27,\"endColumn\":17}},{\"code\":21,\"kind\":\"guard_failed\",\"item\":\"action leave\",\"detail\":\"require pc[p] == critical\",\"range\":{\"line\":28,\"column\":5,\"endLine\":28,\"endColumn\":30}},{\"code\":22,\"kind\":\"arith_error\",\"item\":\"action leave\",\"detail\":\"pc[p]: key out of 'Proc'\",\"range\":{\"line\":28,\"column\":13,\"endLine\":28,\"endColumn\":18}},{\"code\":23,\"kind\":\"arith_error\",\"item\":\"action leave\",\"detail\":\"flag[p]: key out of 'Proc'\",\"range\":{\"line\":29,\"column\":5,\"endLine\":29,\"endColumn\":12}},{\"code\":24,\"kind\":\"arith_error\",\"item\":\"action leave\",\"detail\":\"pc[p]: key out of 'Proc'\",\"range\":{\"line\":30,\"column\":5,\"endLine\":30,\"endColumn\":10}},{\"code\":25,\"kind\":\"invariant_failed\",\"item\":\"invariant MutualExclusion\",\"detail\":\"not (pc[0] == critical and pc[1] == critical)\",\"range\":{\"line\":32,\"column\":3,\"endLine\":33,\"endColumn\":50}},{\"code\":26,\"kind\":\"arith_error\",\"item\":\"invariant MutualExclusion\",\"detail\":\"pc[0]: key out of 'Proc'\",\"range\":{\"line\":33,\"column\":10,\"endLine\":33,\"endColumn\":15}},{\"code\":27,\"kind\":\"arith_error\",\"item\":\"invariant MutualExclusion\",\"detail\":\"pc[1]: key out of 'Proc'\",\"range\":{\"line\":33,\"column\":32,\"endLine\":33,\"endColumn\":37}},{\"code\":28,\"kind\":\"invariant_failed\",\"item\":\"invariant FlagRaisedWhileBusy\",\"detail\":\"forall p: Proc: flag[p] == (pc[p] != idle)\",\"range\":{\"line\":35,\"column\":3,\"endLine\":36,\"endColumn\":47}},{\"code\":29,\"kind\":\"arith_error\",\"item\":\"invariant FlagRaisedWhileBusy\",\"detail\":\"flag[p]: key out of 'Proc'\",\"range\":{\"line\":36,\"column\":21,\"endLine\":36,\"endColumn\":28}},{\"code\":30,\"kind\":\"arith_error\",\"item\":\"invariant FlagRaisedWhileBusy\",\"detail\":\"pc[p]: key out of 'Proc'\",\"range\":{\"line\":36,\"column\":33,\"endLine\":36,\"endColumn\":38}},{\"code\":31,\"kind\":\"liveness_timeout\",\"item\":\"liveness WaiterEnters\",\"detail\":\"when pc[0] == waiting then eventually pc[0] == critical\",\"range\":{\"line\":38,\"column\":3,\"endLine\":39,\"endColumn\":60}},{\"code\":32,\"kind\":\"arith_error\",\"item\":\"liveness WaiterEnters\",\"detail\":\"pc[0]: key out of 'Proc'\",\"range\":{\"line\":39,\"column\":10,\"endLine\":39,\"endColumn\":15}},{\"code\":33,\"kind\":\"arith_error\",\"item\":\"liveness WaiterEnters\",\"detail\":\"pc[0]: key out of 'Proc'\",\"range\":{\"line\":39,\"column\":43,\"endLine\":39,\"endColumn\":48}}],\"range\":{\"line\":4,\"column\":1,\"endLine\":4,\"endColumn\":11}}"
)
