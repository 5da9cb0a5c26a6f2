(module
 (type $0 (func (param i32) (result i32)))
 (type $1 (func (param i32 f64) (result i32)))
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
 (data $0 (i32.const 24) "\01\00\00\00\00\00\00\00(\00\00\00\01")
 (data $0.1 (i32.const 48) "\03\00\00\00\00\00\00\00)\00\00\00\01")
 (data $0.2 (i32.const 71) "\80\ff\ff\ff\ff\ff\ff\ff\7f\00\00\00\00\08\01")
 (data $0.3 (i32.const 95) "\80\ff\ff\ff\ff\ff\ff\ff\7f\08\00\00\00\08\01")
 (data $0.4 (i32.const 119) "\80\ff\ff\ff\ff\ff\ff\ff\7f\10\00\00\00\08\01")
 (data $0.5 (i32.const 143) "\80\ff\ff\ff\ff\ff\ff\ff\7f\18\00\00\00\08\01")
 (data $0.6 (i32.const 167) "\80\ff\ff\ff\ff\ff\ff\ff\7f \00\00\00\08\01")
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
 (export "step-acquire" (func $step-acquire))
 (export "check-acquire" (func $check-acquire))
 (export "step-release" (func $step-release))
 (export "check-release" (func $check-release))
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
       (i64.const 44)
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
        (i32.const 44)
       )
       (i32.const 256)
      )
      (i32.const 184)
      (i32.const 44)
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
       (i32.const 44)
      )
      (i32.const 256)
     )
     (i32.const 184)
     (i32.const 44)
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
    (i32.const 44)
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
      (i32.const 44)
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
      (i32.const 44)
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
 (func $step-acquire (param $0 i32) (param $1 f64) (result i32)
  (local $2 i64)
  (local $3 i64)
  (local $4 i64)
  (local $5 i64)
  (local.set $0
   (i32.add
    (i32.mul
     (local.get $0)
     (i32.const 44)
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
       (f64.const 3)
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
  (local.set $3
   (i64.trunc_f64_s
    (local.get $1)
   )
  )
  (if
   (i32.eqz
    (i64.eqz
     (i64.load8_u offset=40
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
   (i64.eq
    (local.tee $2
     (i64.load
      (local.get $0)
     )
    )
    (i64.const 9223372036854775807)
   )
   (then
    (return
     (i32.const 5)
    )
   )
  )
  (local.set $4
   (i64.add
    (local.get $2)
    (i64.const 1)
   )
  )
  (if
   (i64.eq
    (local.tee $2
     (i64.load
      (local.get $0)
     )
    )
    (i64.const 9223372036854775807)
   )
   (then
    (return
     (i32.const 7)
    )
   )
  )
  (local.set $5
   (i64.add
    (local.get $2)
    (i64.const 1)
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
   (i64.gt_s
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
  (if
   (i64.gt_u
    (local.tee $2
     (local.get $3)
    )
    (i64.const 3)
   )
   (then
    (return
     (i32.const 12)
    )
   )
  )
  (if
   (i64.ne
    (select
     (local.get $5)
     (i64.load offset=8
      (i32.add
       (local.get $0)
       (i32.shl
        (i32.wrap_i64
         (local.get $2)
        )
        (i32.const 3)
       )
      )
     )
     (i64.eq
      (local.get $2)
      (local.get $3)
     )
    )
    (local.get $4)
   )
   (then
    (return
     (i32.const 11)
    )
   )
  )
  (i64.store8 offset=40
   (local.get $0)
   (i64.const 1)
  )
  (i64.store8 offset=41
   (local.get $0)
   (local.get $2)
  )
  (i64.store
   (local.get $0)
   (local.get $4)
  )
  (i64.store offset=8
   (i32.add
    (local.get $0)
    (i32.shl
     (i32.wrap_i64
      (local.get $3)
     )
     (i32.const 3)
    )
   )
   (local.get $5)
  )
  (i32.const 0)
 )
 (func $check-acquire (param $0 i32) (param $1 f64) (result i32)
  (local $2 i64)
  (local $3 i64)
  (local $4 i64)
  (local $5 i64)
  (local.set $0
   (i32.add
    (i32.mul
     (local.get $0)
     (i32.const 44)
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
       (f64.const 3)
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
     (i64.load8_u offset=40
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
   (i64.eq
    (local.tee $3
     (i64.load
      (local.get $0)
     )
    )
    (i64.const 9223372036854775807)
   )
   (then
    (return
     (i32.const 5)
    )
   )
  )
  (local.set $5
   (i64.add
    (local.get $3)
    (i64.const 1)
   )
  )
  (local.set $3
   (local.get $2)
  )
  (if
   (i64.eq
    (local.tee $4
     (i64.load
      (local.get $0)
     )
    )
    (i64.const 9223372036854775807)
   )
   (then
    (return
     (i32.const 7)
    )
   )
  )
  (local.set $4
   (i64.add
    (local.get $4)
    (i64.const 1)
   )
  )
  (if
   (i64.gt_u
    (local.get $2)
    (i64.const 3)
   )
   (then
    (return
     (i32.const 4)
    )
   )
  )
  (if
   (i64.gt_s
    (i64.load
     (local.get $0)
    )
    (local.get $5)
   )
   (then
    (return
     (i32.const 10)
    )
   )
  )
  (if
   (i64.gt_u
    (local.get $2)
    (i64.const 3)
   )
   (then
    (return
     (i32.const 12)
    )
   )
  )
  (if
   (i64.ne
    (select
     (local.get $4)
     (i64.load offset=8
      (i32.add
       (local.get $0)
       (i32.shl
        (i32.wrap_i64
         (local.get $2)
        )
        (i32.const 3)
       )
      )
     )
     (i64.eq
      (local.get $2)
      (local.get $3)
     )
    )
    (local.get $5)
   )
   (then
    (return
     (i32.const 11)
    )
   )
  )
  (i32.const 0)
 )
 (func $step-release (param $0 i32) (param $1 f64) (result i32)
  (local $2 i64)
  (local.set $0
   (i32.add
    (i32.mul
     (local.get $0)
     (i32.const 44)
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
       (f64.const 3)
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
     (i32.const 8)
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
     (i64.eq
      (i64.load8_u offset=40
       (local.get $0)
      )
      (i64.const 1)
     )
     (then
      (i64.eq
       (i64.load8_u offset=41
        (local.get $0)
       )
       (local.get $2)
      )
     )
     (else
      (i32.const 0)
     )
    )
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
    (i64.load
     (local.get $0)
    )
   )
   (then
    (return
     (i32.const 10)
    )
   )
  )
  (i64.store8 offset=40
   (local.get $0)
   (i64.const 0)
  )
  (i32.const 0)
 )
 (func $check-release (param $0 i32) (param $1 f64) (result i32)
  (local $2 i64)
  (local.set $0
   (i32.add
    (i32.mul
     (local.get $0)
     (i32.const 44)
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
       (f64.const 3)
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
     (i32.const 8)
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
     (i64.eq
      (i64.load8_u offset=40
       (local.get $0)
      )
      (i64.const 1)
     )
     (then
      (i64.eq
       (i64.load8_u offset=41
        (local.get $0)
       )
       (local.get $2)
      )
     )
     (else
      (i32.const 0)
     )
    )
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
    (i64.load
     (local.get $0)
    )
   )
   (then
    (return
     (i32.const 10)
    )
   )
  )
  (i32.const 0)
 )
 (func $dispatch-step (param $0 i32) (param $1 i32) (param $2 f64) (result i32)
  (block $default
   (block $case1
    (block $case0
     (br_table $case0 $case1 $default
      (local.get $1)
     )
    )
    (return
     (call $step-acquire
      (local.get $0)
      (local.get $2)
     )
    )
   )
   (return
    (call $step-release
     (local.get $0)
     (local.get $2)
    )
   )
  )
  (i32.const 1)
 )
 (func $dispatch-check (param $0 i32) (param $1 i32) (param $2 f64) (result i32)
  (block $default
   (block $case1
    (block $case0
     (br_table $case0 $case1 $default
      (local.get $1)
     )
    )
    (return
     (call $check-acquire
      (local.get $0)
      (local.get $2)
     )
    )
   )
   (return
    (call $check-release
     (local.get $0)
     (local.get $2)
    )
   )
  )
  (i32.const 1)
 )
 (func $check-invariants (param $0 i32) (result i32)
  (local $1 i64)
  (if
   (i64.lt_s
    (i64.load
     (local.tee $0
      (i32.add
       (i32.mul
        (local.get $0)
        (i32.const 44)
       )
       (i32.const 256)
      )
     )
    )
    (i64.load
     (local.get $0)
    )
   )
   (then
    (return
     (i32.const 10)
    )
   )
  )
  (if
   (i32.eqz
    (if (result i32)
     (i64.eq
      (i64.load8_u offset=40
       (local.get $0)
      )
      (i64.const 1)
     )
     (then
      (if
       (i64.gt_u
        (local.tee $1
         (i64.load8_u offset=41
          (local.get $0)
         )
        )
        (i64.const 3)
       )
       (then
        (return
         (i32.const 12)
        )
       )
      )
      (i64.eq
       (i64.load offset=8
        (i32.add
         (local.get $0)
         (i32.shl
          (i32.wrap_i64
           (local.get $1)
          )
          (i32.const 3)
         )
        )
       )
       (i64.load
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
     (i32.const 11)
    )
   )
  )
  (i32.const 0)
 )
 (func $liveness (param $0 i32) (result i32)
  (i32.or
   (i64.eq
    (i64.load8_u offset=40
     (local.tee $0
      (i32.add
       (i32.mul
        (local.get $0)
        (i32.const 44)
       )
       (i32.const 256)
      )
     )
    )
    (i64.const 1)
   )
   (i32.shl
    (i64.eqz
     (i64.load8_u offset=40
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
          (i64.eq
           (i64.load8_u offset=40
            (i32.add
             (i32.mul
              (i32.add
               (local.get $0)
               (i32.wrap_i64
                (local.get $2)
               )
              )
              (i32.const 44)
             )
             (i32.const 256)
            )
           )
           (i64.const 1)
          )
          (then
           (i64.eq
            (i64.load8_u offset=40
             (i32.add
              (i32.mul
               (i32.add
                (local.get $0)
                (i32.wrap_i64
                 (local.get $3)
                )
               )
               (i32.const 44)
              )
              (i32.const 256)
             )
            )
            (i64.const 1)
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
     (i32.const 14)
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
           (i64.eq
            (i64.load8_u offset=40
             (i32.add
              (i32.mul
               (i32.add
                (local.get $0)
                (i32.wrap_i64
                 (local.get $3)
                )
               )
               (i32.const 44)
              )
              (i32.const 256)
             )
            )
            (i64.const 1)
           )
           (then
            (i64.eq
             (i64.load8_u offset=40
              (i32.add
               (i32.mul
                (i32.add
                 (local.get $0)
                 (i32.wrap_i64
                  (local.get $4)
                 )
                )
                (i32.const 44)
               )
               (i32.const 256)
              )
             )
             (i64.const 1)
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
           (i32.const 14)
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
          (i64.eq
           (i64.load8_u offset=40
            (i32.add
             (i32.mul
              (i32.add
               (local.get $0)
               (i32.wrap_i64
                (local.get $3)
               )
              )
              (i32.const 44)
             )
             (i32.const 256)
            )
           )
           (i64.const 1)
          )
          (then
           (i64.eq
            (i64.load8_u offset=40
             (i32.add
              (i32.mul
               (i32.add
                (local.get $0)
                (i32.wrap_i64
                 (local.get $5)
                )
               )
               (i32.const 44)
              )
              (i32.const 256)
             )
            )
            (i64.const 1)
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
         (i32.const 14)
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
      (i64.load8_u offset=40
       (i32.add
        (i32.mul
         (i32.add
          (local.get $0)
          (i32.wrap_i64
           (local.get $2)
          )
         )
         (i32.const 44)
        )
        (i32.const 256)
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
     (i64.const 1)
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
       (i32.eqz
        (i64.eqz
         (i64.load8_u offset=40
          (i32.add
           (i32.mul
            (i32.add
             (local.get $0)
             (i32.wrap_i64
              (local.get $2)
             )
            )
            (i32.const 44)
           )
           (i32.const 256)
          )
         )
        )
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
  (i32.const 80)
 )
 (func $global-agg-add (param $0 i32) (param $1 i32) (param $2 i32) (result i32)
  (local $3 i64)
  (local $4 i64)
  (local $5 i64)
  (local.set $4
   (i64.extend_i32_u
    (i64.eq
     (i64.load8_u offset=40
      (i32.add
       (i32.mul
        (local.get $0)
        (i32.const 44)
       )
       (i32.const 256)
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
      (i32.mul
       (local.get $1)
       (i32.const 44)
      )
      (i32.const 256)
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
     (i64.load8_u offset=40
      (i32.add
       (i32.mul
        (local.get $0)
        (i32.const 44)
       )
       (i32.const 256)
      )
     )
     (i64.const 1)
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
  (local.set $4
   (i64.extend_i32_u
    (i32.eqz
     (i64.eqz
      (i64.load8_u offset=40
       (i32.add
        (i32.mul
         (local.get $0)
         (i32.const 44)
        )
        (i32.const 256)
       )
      )
     )
    )
   )
  )
  (block $term_done4
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
           (i32.const 44)
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
   (i64.gt_s
    (i64.load offset=8 align=1
     (local.get $2)
    )
    (i64.const 1)
   )
   (then
    (return
     (i32.const 14)
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
      (i64.or
       (i64.load align=1
        (local.tee $2
         (i32.add
          (i32.mul
           (local.get $2)
           (i32.const 44)
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
  (i32.or
   (i32.shl
    (i64.eqz
     (i64.load offset=56 align=1
      (local.get $2)
     )
    )
    (i32.const 1)
   )
   (i64.ne
    (i64.load offset=32 align=1
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
 ;; custom section "vigil", size 4810, contents: "{\"abi\":1,\"name\":\"Lease\",\"sourceHash\":\"6110469a61fcc5807d6260f27bb81a71b129a54eedd23feb9e2511f72284b652\",\"stride\":44,\"slots\":[{\"offset\":40,\"width\":1,\"signed\":false},{\"offset\":41,\"width\":1,\"signed\":false},{\"offset\":0,\"width\":8,\"signed\":true},{\"offset\":8,\"width\":8,\"signed\":true},{\"offset\":16,\"width\":8,\"signed\":true},{\"offset\":24,\"width\":8,\"signed\":true},{\"offset\":32,\"width\":8,\"signed\":true}],\"vars\":[{\"name\":\"mode\",\"type\":{\"kind\":\"enum\",\"name\":\"Mode\",\"labels\":[\"free\",\"held\"]},\"base\":0,\"size\":1,\"range\":{\"line\":5,\"column\":3,\"endLine\":5,\"endColumn\":26}},{\"name\":\"owner\",\"type\":{\"kind\":\"range\",\"lo\":\"0\",\"hi\":\"3\",\"name\":\"Client\"},\"base\":1,\"size\":1,\"range\":{\"line\":6,\"column\":3,\"endLine\":6,\"endColumn\":26}},{\"name\":\"token\",\"type\":{\"kind\":\"int\"},\"base\":2,\"size\":1,\"range\":{\"line\":7,\"column\":3,\"endLine\":7,\"endColumn\":23}},{\"name\":\"granted\",\"type\":{\"kind\":\"map\",\"key\":{\"kind\":\"range\",\"lo\":\"0\",\"hi\":\"3\",\"name\":\"Client\"},\"value\":{\"kind\":\"int\"}},\"base\":3,\"size\":4,\"range\":{\"line\":8,\"column\":3,\"endLine\":8,\"endColumn\":38}}],\"initial\":[\"0\",\"0\",\"0\",\"0\",\"0\",\"0\",\"0\"],\"actions\":[{\"name\":\"acquire\",\"stepExport\":\"step-acquire\",\"checkExport\":\"check-acquire\",\"params\":[{\"name\":\"c\",\"type\":{\"kind\":\"range\",\"lo\":\"0\",\"hi\":\"3\",\"name\":\"Client\"},\"code\":2}],\"range\":{\"line\":13,\"column\":3,\"endLine\":18,\"endColumn\":28}},{\"name\":\"release\",\"stepExport\":\"step-release\",\"checkExport\":\"check-release\",\"params\":[{\"name\":\"c\",\"type\":{\"kind\":\"range\",\"lo\":\"0\",\"hi\":\"3\",\"name\":\"Client\"},\"code\":8}],\"range\":{\"line\":20,\"column\":3,\"endLine\":22,\"endColumn\":17}}],\"invariants\":[{\"name\":\"TokenNeverGoesBack\",\"code\":10,\"range\":{\"line\":24,\"column\":3,\"endLine\":25,\"endColumn\":25}},{\"name\":\"OwnerHasLatestToken\",\"code\":11,\"range\":{\"line\":27,\"column\":3,\"endLine\":28,\"endColumn\":49}}],\"globalInvariants\":[{\"name\":\"OneHolder\",\"code\":14,\"range\":{\"line\":33,\"column\":3,\"endLine\":34,\"endColumn\":75}}],\"globalSlots\":[0],\"globalShape\":\"exclusion\",\"liveness\":[{\"name\":\"HolderReleases\",\"code\":13,\"range\":{\"line\":30,\"column\":3,\"endLine\":31,\"endColumn\":51},\"withinMs\":30000,\"bit\":0}],\"globalLiveness\":[{\"name\":\"SomeoneCanAcquire\",\"code\":15,\"range\":{\"line\":36,\"column\":3,\"endLine\":37,\"endColumn\":93},\"withinMs\":60000,\"bit\":0}],\"verdicts\":[{\"code\":0,\"kind\":\"ok\",\"item\":\"spec Lease\",\"detail\":\"\",\"range\":{\"line\":1,\"column\":1,\"endLine\":1,\"endColumn\":11}},{\"code\":1,\"kind\":\"unknown_action\",\"item\":\"spec Lease\",\"detail\":\"\",\"range\":{\"line\":1,\"column\":1,\"endLine\":1,\"endColumn\":11}},{\"code\":2,\"kind\":\"bad_argument\",\"item\":\"action acquire\",\"detail\":\"c\",\"range\":{\"line\":13,\"column\":18,\"endLine\":13,\"endColumn\":19}},{\"code\":3,\"kind\":\"guard_failed\",\"item\":\"action acquire\",\"detail\":\"require mode == free\",\"range\":{\"line\":14,\"column\":5,\"endLine\":14,\"endColumn\":25}},{\"code\":4,\"kind\":\"range_violation\",\"item\":\"action acquire\",\"detail\":\"owner\",\"range\":{\"line\":16,\"column\":5,\"endLine\":16,\"endColumn\":15}},{\"code\":5,\"kind\":\"arith_error\",\"item\":\"action acquire\",\"detail\":\"token + 1: overflow\",\"range\":{\"line\":17,\"column\":14,\"endLine\":17,\"endColumn\":23}},{\"code\":6,\"kind\":\"arith_error\",\"item\":\"action acquire\",\"detail\":\"granted[c]: key out of 'Client'\",\"range\":{\"line\":18,\"column\":5,\"endLine\":18,\"endColumn\":15}},{\"code\":7,\"kind\":\"arith_error\",\"item\":\"action acquire\",\"detail\":\"token + 1: overflow\",\"range\":{\"line\":18,\"column\":19,\"endLine\":18,\"endColumn\":28}},{\"code\":8,\"kind\":\"bad_argument\",\"item\":\"action release\",\"detail\":\"c\",\"range\":{\"line\":20,\"column\":18,\"endLine\":20,\"endColumn\":19}},{\"code\":9,\"kind\":\"guard_failed\",\"item\":\"action release\",\"detail\":\"require mode == held and owner == c\",\"range\":{\"line\":21,\"column\":5,\"endLine\":21,\"endColumn\":40}},{\"code\":10,\"kind\":\"invariant_failed\",\"item\":\"invariant TokenNeverGoesBack\",\"detail\":\"token >= prev(token)\",\"range\":{\"line\":24,\"column\":3,\"endLine\":25,\"endColumn\":25}},{\"code\":11,\"kind\":\"invariant_failed\",\"item\":\"invariant OwnerHasLatestToken\",\"detail\":\"mode == held implies granted[owner] == token\",\"range\":{\"line\":27,\"column\":3,\"endLine\":28,\"endColumn\":49}},{\"code\":12,\"kind\":\"arith_error\",\"item\":\"invariant OwnerHasLatestToken\",\"detail\":\"granted[owner]: key out of 'Client'\",\"range\":{\"line\":28,\"column\":26,\"endLine\":28,\"endColumn\":40}},{\"code\":13,\"kind\":\"liveness_timeout\",\"item\":\"liveness HolderReleases\",\"detail\":\"when mode == held then eventually mode == free\",\"range\":{\"line\":30,\"column\":3,\"endLine\":31,\"endColumn\":51}},{\"code\":14,\"kind\":\"invariant_failed\",\"item\":\"global invariant OneHolder\",\"detail\":\"forall a, b in nodes: a.mode == held and b.mode == held implies a == b\",\"range\":{\"line\":33,\"column\":3,\"endLine\":34,\"endColumn\":75}},{\"code\":15,\"kind\":\"liveness_timeout\",\"item\":\"global liveness SomeoneCanAcquire\",\"detail\":\"when exists n in nodes: n.mode == held then eventually forall n in nodes: n.mode == free\",\"range\":{\"line\":36,\"column\":3,\"endLine\":37,\"endColumn\":93}}],\"range\":{\"line\":1,\"column\":1,\"endLine\":1,\"endColumn\":11}}"
)
