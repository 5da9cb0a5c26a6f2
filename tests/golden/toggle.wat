(module
 (type $0 (func (param i32) (result i32)))
 (type $1 (func (param i32 i32 i32) (result i32)))
 (type $2 (func (result i32)))
 (type $3 (func (param i32 i32 f64) (result i32)))
 (type $4 (func (param i32 i32 i32 i32) (result i32)))
 (type $5 (func (param i32)))
 (type $6 (func (param i32 i32) (result i64)))
 (type $7 (func (param i32 i32 i64) (result i32)))
 (type $8 (func (param i32 i32) (result i32)))
 (type $9 (func (param i32 i32 i32 i32 i32 i32) (result i32)))
 (global $instance_count (mut i32) (i32.const 0))
 (memory $0 1 65536)
 (data $0 (i32.const 24) "\01")
 (data $0.1 (i32.const 36) "\01")
 (export "memory" (memory $0))
 (export "create" (func $create))
 (export "reset" (func $reset))
 (export "instance-count" (func $instance-count))
 (export "state-ptr" (func $state-ptr))
 (export "read-slot" (func $read-slot))
 (export "write-slot" (func $write-slot))
 (export "check-invariants" (func $check-invariants))
 (export "liveness" (func $check-invariants))
 (export "global-check" (func $global-check))
 (export "global-check-node" (func $global-check-node))
 (export "global-liveness" (func $global-check))
 (export "global-agg-size" (func $global-agg-size))
 (export "global-agg-add" (func $global-agg-add))
 (export "global-check-agg" (func $global-check-agg))
 (export "global-liveness-agg" (func $global-liveness-agg))
 (export "step-flip" (func $step-flip))
 (export "check-flip" (func $check-flip))
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
     (i64.sub
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
      (i64.const -64)
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
      (i32.sub
       (i32.shl
        (local.get $0)
        (i32.const 3)
       )
       (i32.const -64)
      )
      (i64.load align=1
       (i32.const 40)
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
     (i32.sub
      (i32.shl
       (local.get $0)
       (i32.const 3)
      )
      (i32.const -64)
     )
     (i64.load align=1
      (i32.const 40)
     )
    )
   )
  )
 )
 (func $instance-count (result i32)
  (global.get $instance_count)
 )
 (func $state-ptr (param $0 i32) (result i32)
  (i32.sub
   (i32.shl
    (local.get $0)
    (i32.const 3)
   )
   (i32.const -64)
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
    (local.get $1)
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
    (i32.sub
     (i32.shl
      (local.get $0)
      (i32.const 3)
     )
     (i32.const -64)
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
    (local.get $1)
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
    (i32.sub
     (i32.shl
      (local.get $0)
      (i32.const 3)
     )
     (i32.const -64)
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
 (func $step-flip (param $0 i32) (result i32)
  (i64.store8
   (local.tee $0
    (i32.sub
     (i32.shl
      (local.get $0)
      (i32.const 3)
     )
     (i32.const -64)
    )
   )
   (i64.extend_i32_u
    (i64.eqz
     (i64.load8_u
      (local.get $0)
     )
    )
   )
  )
  (i32.const 0)
 )
 (func $check-flip (param $0 i32) (result i32)
  (drop
   (i64.load8_u
    (i32.sub
     (i32.shl
      (local.get $0)
      (i32.const 3)
     )
     (i32.const -64)
    )
   )
  )
  (i32.const 0)
 )
 (func $dispatch-step (param $0 i32) (param $1 i32) (param $2 f64) (result i32)
  (if
   (i32.eqz
    (local.get $1)
   )
   (then
    (return
     (call $step-flip
      (local.get $0)
     )
    )
   )
  )
  (i32.const 1)
 )
 (func $dispatch-check (param $0 i32) (param $1 i32) (param $2 f64) (result i32)
  (if
   (i32.eqz
    (local.get $1)
   )
   (then
    (return
     (call $check-flip
      (local.get $0)
     )
    )
   )
  )
  (i32.const 1)
 )
 (func $check-invariants (param $0 i32) (result i32)
  (i32.const 0)
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
    (i32.sub
     (i32.shl
      (local.get $1)
      (i32.const 3)
     )
     (i32.const -64)
    )
   )
  )
 )
 (func $global-check-agg (param $0 i32) (param $1 i32) (param $2 i32) (param $3 i32) (result i32)
  (if
   (i64.ne
    (i64.load align=1
     (i32.sub
      (i32.shl
       (local.get $3)
       (i32.const 3)
      )
      (i32.const -64)
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
     (i32.sub
      (i32.shl
       (local.get $2)
       (i32.const 3)
      )
      (i32.const -64)
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
  (i32.const 0)
 )
 ;; custom section "vigil", size 847, contents: "{\"abi\":1,\"name\":\"Toggle\",\"sourceHash\":\"2f6997930e6c3e1f4338760f7e1ce9e71a846dbb64916362385447c8c9c572f5\",\"stride\":8,\"slots\":[{\"offset\":0,\"width\":1,\"signed\":false}],\"vars\":[{\"name\":\"on\",\"type\":{\"kind\":\"bool\"},\"base\":0,\"size\":1,\"range\":{\"line\":3,\"column\":3,\"endLine\":3,\"endColumn\":25}}],\"initial\":[\"0\"],\"actions\":[{\"name\":\"flip\",\"stepExport\":\"step-flip\",\"checkExport\":\"check-flip\",\"params\":[],\"range\":{\"line\":5,\"column\":3,\"endLine\":6,\"endColumn\":17}}],\"invariants\":[],\"globalInvariants\":[],\"globalSlots\":[],\"liveness\":[],\"globalLiveness\":[],\"verdicts\":[{\"code\":0,\"kind\":\"ok\",\"item\":\"spec Toggle\",\"detail\":\"\",\"range\":{\"line\":2,\"column\":1,\"endLine\":2,\"endColumn\":12}},{\"code\":1,\"kind\":\"unknown_action\",\"item\":\"spec Toggle\",\"detail\":\"\",\"range\":{\"line\":2,\"column\":1,\"endLine\":2,\"endColumn\":12}}],\"range\":{\"line\":2,\"column\":1,\"endLine\":2,\"endColumn\":12}}"
)
