;; The field scanner of `byte_scan.ts` (`FieldFinder.findLine`) over every
;; line of a chunk in one call: `line_scan.ts` copies the chunk's complete
;; lines into this memory, and `scan` writes, per line, where it starts,
;; where its newline is, whether its JSON object was accepted, and the
;; ranges of the wanted top-level fields, exactly as `findLine` finds them
;; (`line_scan_test.ts` compares them on random lines). Assembled by
;; `line_scan_build.ts` into `line_scan_wasm.ts`.
;;
;; Memory: the wanted keys at 0 (offset and length, 8 bytes a key, 128 keys
;; at most), the hash table of the wanted keys at 1024 (i32 slots: key
;; index + 1, 0 empty; 256 slots at most), the keys' bytes at 2048 (4 KiB
;; at most), the chunk and the records where the caller says.
(module
  (memory (export "memory") 1)
  (global $mask (mut i32) (i32.const 0))
  (global $nkeys (mut i32) (i32.const 0))

  ;; The wanted keys are in place: `nkeys` of them, a table of `mask + 1` slots.
  (func (export "setup") (param $nkeys i32) (param $mask i32)
    (global.set $nkeys (local.get $nkeys))
    (global.set $mask (local.get $mask)))

  ;; White space between tokens, but a newline (which ends every scan).
  (func $isWs (param $c i32) (result i32)
    (i32.or
      (i32.or (i32.eq (local.get $c) (i32.const 32)) (i32.eq (local.get $c) (i32.const 9)))
      (i32.eq (local.get $c) (i32.const 13))))

  (func $skipWs (param $i i32) (param $end i32) (result i32)
    (block $out
      (loop $next
        (br_if $out (i32.ge_s (local.get $i) (local.get $end)))
        (br_if $out (i32.eqz (call $isWs (i32.load8_u (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $i))

  ;; Just past the closing quote of the string opening at i, or -1 (a backslash, a newline, no end).
  ;; Sixteen bytes at a time while they lie before end, then byte by byte.
  (func $stringEnd (param $i i32) (param $end i32) (result i32)
    (local $j i32) (local $c i32) (local $v v128) (local $m i32)
    (local.set $j (i32.add (local.get $i) (i32.const 1)))
    (block $tail
      (loop $wide
        (br_if $tail (i32.gt_s (i32.add (local.get $j) (i32.const 16)) (local.get $end)))
        (local.set $v (v128.load align=1 (local.get $j)))
        (local.set $m
          (i8x16.bitmask
            (v128.or
              (v128.or
                (i8x16.eq (local.get $v) (v128.const i8x16 34 34 34 34 34 34 34 34 34 34 34 34 34 34 34 34))
                (i8x16.eq (local.get $v) (v128.const i8x16 92 92 92 92 92 92 92 92 92 92 92 92 92 92 92 92)))
              (i8x16.eq (local.get $v) (v128.const i8x16 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10)))))
        (if (i32.eqz (local.get $m))
          (then
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $wide)))
        (local.set $j (i32.add (local.get $j) (i32.ctz (local.get $m))))
        (return
          (select (i32.add (local.get $j) (i32.const 1)) (i32.const -1)
            (i32.eq (i32.load8_u (local.get $j)) (i32.const 34))))))
    (loop $next
      (if (i32.ge_s (local.get $j) (local.get $end)) (then (return (i32.const -1))))
      (local.set $c (i32.load8_u (local.get $j)))
      (if (i32.eq (local.get $c) (i32.const 34))
        (then (return (i32.add (local.get $j) (i32.const 1)))))
      (if (i32.or (i32.eq (local.get $c) (i32.const 92)) (i32.eq (local.get $c) (i32.const 10)))
        (then (return (i32.const -1))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $next))
    (i32.const -1))

  ;; Just past the object or array opening at i, or -1.
  (func $compositeEnd (param $i i32) (param $end i32) (result i32)
    (local $j i32) (local $c i32) (local $depth i32)
    (local.set $j (local.get $i))
    (loop $next
      (if (i32.ge_s (local.get $j) (local.get $end)) (then (return (i32.const -1))))
      (local.set $c (i32.load8_u (local.get $j)))
      (if (i32.eq (local.get $c) (i32.const 34))
        (then
          (local.set $j (call $stringEnd (local.get $j) (local.get $end)))
          (if (i32.lt_s (local.get $j) (i32.const 0)) (then (return (i32.const -1))))
          (br $next)))
      (if (i32.or (i32.eq (local.get $c) (i32.const 123)) (i32.eq (local.get $c) (i32.const 91)))
        (then (local.set $depth (i32.add (local.get $depth) (i32.const 1))))
        (else
          (if (i32.or (i32.eq (local.get $c) (i32.const 92)) (i32.eq (local.get $c) (i32.const 10)))
            (then (return (i32.const -1))))
          (if (i32.or (i32.eq (local.get $c) (i32.const 125)) (i32.eq (local.get $c) (i32.const 93)))
            (then
              (local.set $depth (i32.sub (local.get $depth) (i32.const 1)))
              (if (i32.eqz (local.get $depth))
                (then (return (i32.add (local.get $j) (i32.const 1)))))))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $next))
    (i32.const -1))

  ;; Just past a number or literal starting at i (digits . + - e E and the letters a-z).
  (func $atomEnd (param $i i32) (param $end i32) (result i32)
    (local $j i32) (local $c i32) (local $v v128) (local $m i32)
    (local.set $j (local.get $i))
    (block $tail
      (loop $wide
        (br_if $tail (i32.gt_s (i32.add (local.get $j) (i32.const 16)) (local.get $end)))
        (local.set $v (v128.load align=1 (local.get $j)))
        ;; The bytes that are not of an atom.
        (local.set $m
          (i32.xor (i32.const 0xffff)
            (i8x16.bitmask
              (v128.or
                (v128.or
                  (i8x16.lt_u (i8x16.sub (local.get $v) (v128.const i8x16 48 48 48 48 48 48 48 48 48 48 48 48 48 48 48 48))
                    (v128.const i8x16 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10))
                  (i8x16.lt_u (i8x16.sub (local.get $v) (v128.const i8x16 97 97 97 97 97 97 97 97 97 97 97 97 97 97 97 97))
                    (v128.const i8x16 26 26 26 26 26 26 26 26 26 26 26 26 26 26 26 26)))
                (v128.or
                  (v128.or
                    (i8x16.eq (local.get $v) (v128.const i8x16 46 46 46 46 46 46 46 46 46 46 46 46 46 46 46 46))
                    (i8x16.eq (local.get $v) (v128.const i8x16 43 43 43 43 43 43 43 43 43 43 43 43 43 43 43 43)))
                  (v128.or
                    (i8x16.eq (local.get $v) (v128.const i8x16 45 45 45 45 45 45 45 45 45 45 45 45 45 45 45 45))
                    (i8x16.eq (local.get $v) (v128.const i8x16 69 69 69 69 69 69 69 69 69 69 69 69 69 69 69 69))))))))
        (if (i32.eqz (local.get $m))
          (then
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $wide)))
        (return (i32.add (local.get $j) (i32.ctz (local.get $m))))))
    (block $out
      (loop $next
        (br_if $out (i32.ge_s (local.get $j) (local.get $end)))
        (local.set $c (i32.load8_u (local.get $j)))
        (br_if $out
          (i32.eqz
            (i32.or
              (i32.or
                (i32.le_u (i32.sub (local.get $c) (i32.const 48)) (i32.const 9))
                (i32.le_u (i32.sub (local.get $c) (i32.const 97)) (i32.const 25)))
              (i32.or
                (i32.or (i32.eq (local.get $c) (i32.const 46)) (i32.eq (local.get $c) (i32.const 43)))
                (i32.or (i32.eq (local.get $c) (i32.const 45)) (i32.eq (local.get $c) (i32.const 69)))))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $next)))
    (local.get $j))

  ;; Just past the value starting at i, or -1.
  (func $valueEnd (param $i i32) (param $end i32) (result i32)
    (local $c i32) (local $j i32)
    (if (i32.ge_s (local.get $i) (local.get $end)) (then (return (i32.const -1))))
    (local.set $c (i32.load8_u (local.get $i)))
    (if (i32.eq (local.get $c) (i32.const 34))
      (then (return (call $stringEnd (local.get $i) (local.get $end)))))
    (if (i32.or (i32.eq (local.get $c) (i32.const 123)) (i32.eq (local.get $c) (i32.const 91)))
      (then (return (call $compositeEnd (local.get $i) (local.get $end)))))
    (local.set $j (call $atomEnd (local.get $i) (local.get $end)))
    (select (local.get $j) (i32.const -1) (i32.gt_s (local.get $j) (local.get $i))))

  ;; The wanted key equal to the bytes [i, j) hashed h, or -1.
  (func $wanted (param $i i32) (param $j i32) (param $h i32) (result i32)
    (local $slot i32) (local $k i32) (local $off i32) (local $len i32) (local $x i32)
    (local.set $len (i32.sub (local.get $j) (local.get $i)))
    (local.set $slot (i32.and (local.get $h) (global.get $mask)))
    (loop $probe
      (local.set $k
        (i32.sub (i32.load (i32.add (i32.const 1024) (i32.shl (local.get $slot) (i32.const 2))))
          (i32.const 1)))
      (if (i32.lt_s (local.get $k) (i32.const 0)) (then (return (i32.const -1))))
      (block $differs
        (br_if $differs
          (i32.ne (i32.load offset=4 (i32.shl (local.get $k) (i32.const 3))) (local.get $len)))
        (local.set $off (i32.load (i32.shl (local.get $k) (i32.const 3))))
        (local.set $x (i32.const 0))
        (loop $byte
          (if (i32.lt_s (local.get $x) (local.get $len))
            (then
              (br_if $differs
                (i32.ne (i32.load8_u (i32.add (local.get $i) (local.get $x)))
                  (i32.load8_u (i32.add (local.get $off) (local.get $x)))))
              (local.set $x (i32.add (local.get $x) (i32.const 1)))
              (br $byte))))
        (return (local.get $k)))
      (local.set $slot (i32.and (i32.add (local.get $slot) (i32.const 1)) (global.get $mask)))
      (br $probe))
    (i32.const -1))

  ;; `FieldFinder`'s scan of the object starting at start, up to end or a newline: the index just
  ;; past it and the white space after it, or -1; the wanted fields' ranges (plus delta) at out.
  (func $scanLine (param $start i32) (param $end i32) (param $out i32) (param $delta i32)
    (result i32)
    (local $i i32) (local $j i32) (local $h i32) (local $c i32) (local $k i32) (local $vend i32)
    (local $x i32)
    (local.set $x (i32.const 0))
    (loop $clear
      (if (i32.lt_s (local.get $x) (i32.shl (global.get $nkeys) (i32.const 1)))
        (then
          (i32.store (i32.add (local.get $out) (i32.shl (local.get $x) (i32.const 2))) (i32.const -1))
          (local.set $x (i32.add (local.get $x) (i32.const 1)))
          (br $clear))))
    (local.set $i (call $skipWs (local.get $start) (local.get $end)))
    (if (i32.ge_s (local.get $i) (local.get $end)) (then (return (i32.const -1))))
    (if (i32.ne (i32.load8_u (local.get $i)) (i32.const 123)) (then (return (i32.const -1))))
    (local.set $i (call $skipWs (i32.add (local.get $i) (i32.const 1)) (local.get $end)))
    (if (i32.lt_s (local.get $i) (local.get $end))
      (then
        (if (i32.eq (i32.load8_u (local.get $i)) (i32.const 125))
          (then
            (return (call $skipWs (i32.add (local.get $i) (i32.const 1)) (local.get $end)))))))
    (loop $member
      (if (i32.ge_s (local.get $i) (local.get $end)) (then (return (i32.const -1))))
      (if (i32.ne (i32.load8_u (local.get $i)) (i32.const 34)) (then (return (i32.const -1))))
      ;; The key: a string (no escape), hashed by its length and its first and last bytes
      ;; (`LineScanner` builds its table of the wanted keys with the same hash).
      (local.set $j (call $stringEnd (local.get $i) (local.get $end)))
      (if (i32.lt_s (local.get $j) (i32.const 0)) (then (return (i32.const -1))))
      (local.set $j (i32.sub (local.get $j) (i32.const 1)))
      (local.set $h
        (i32.add
          (i32.mul
            (i32.add (i32.mul (i32.sub (local.get $j) (local.get $i)) (i32.const 31))
              (i32.load8_u offset=1 (local.get $i)))
            (i32.const 31))
          (i32.load8_u (i32.sub (local.get $j) (i32.const 1)))))
      (local.set $k (call $wanted (i32.add (local.get $i) (i32.const 1)) (local.get $j) (local.get $h)))
      (local.set $i (call $skipWs (i32.add (local.get $j) (i32.const 1)) (local.get $end)))
      (if (i32.ge_s (local.get $i) (local.get $end)) (then (return (i32.const -1))))
      (if (i32.ne (i32.load8_u (local.get $i)) (i32.const 58)) (then (return (i32.const -1))))
      (local.set $i (call $skipWs (i32.add (local.get $i) (i32.const 1)) (local.get $end)))
      (local.set $vend (call $valueEnd (local.get $i) (local.get $end)))
      (if (i32.lt_s (local.get $vend) (i32.const 0)) (then (return (i32.const -1))))
      (if (i32.ge_s (local.get $k) (i32.const 0))
        (then
          (i32.store (i32.add (local.get $out) (i32.shl (local.get $k) (i32.const 3)))
            (i32.add (local.get $i) (local.get $delta)))
          (i32.store offset=4 (i32.add (local.get $out) (i32.shl (local.get $k) (i32.const 3)))
            (i32.add (local.get $vend) (local.get $delta)))))
      (local.set $i (call $skipWs (local.get $vend) (local.get $end)))
      (if (i32.ge_s (local.get $i) (local.get $end)) (then (return (i32.const -1))))
      (local.set $c (i32.load8_u (local.get $i)))
      (if (i32.eq (local.get $c) (i32.const 44))
        (then
          (local.set $i (call $skipWs (i32.add (local.get $i) (i32.const 1)) (local.get $end)))
          (br $member)))
      (if (i32.ne (local.get $c) (i32.const 125)) (then (return (i32.const -1))))
      (return (call $skipWs (i32.add (local.get $i) (i32.const 1)) (local.get $end))))
    (i32.const -1))

  ;; Scans the lines starting at start, each ended by a newline, the last at limit (a newline), at
  ;; most max of them: per line, at out, a record of 3 + 2 * nkeys i32s: its start, its newline,
  ;; 1 when accepted (else 0), the wanted fields' ranges; positions plus delta. Returns the lines.
  (func (export "scan") (param $start i32) (param $limit i32) (param $out i32) (param $max i32)
    (param $delta i32) (result i32)
    (local $n i32) (local $at i32) (local $nl i32) (local $rec i32) (local $size i32)
    (local.set $size (i32.shl (i32.add (i32.const 3) (i32.shl (global.get $nkeys) (i32.const 1)))
      (i32.const 2)))
    (local.set $rec (local.get $out))
    (block $done
      (loop $line
        (br_if $done (i32.gt_s (local.get $start) (local.get $limit)))
        (br_if $done (i32.ge_s (local.get $n) (local.get $max)))
        (local.set $at
          (call $scanLine (local.get $start) (i32.add (local.get $limit) (i32.const 1))
            (i32.add (local.get $rec) (i32.const 12)) (local.get $delta)))
        ;; Accepted when the scan ended at a newline (at or before the limit).
        (if (i32.or (i32.lt_s (local.get $at) (i32.const 0)) (i32.gt_s (local.get $at) (local.get $limit)))
          (then (local.set $at (local.get $start))))
        (if (i32.and (i32.eq (i32.load8_u (local.get $at)) (i32.const 10))
              (i32.ne (local.get $at) (local.get $start)))
          (then
            (local.set $nl (local.get $at))
            (i32.store offset=8 (local.get $rec) (i32.const 1)))
          (else
            (local.set $nl (local.get $start))
            (loop $find
              (if (i32.ne (i32.load8_u (local.get $nl)) (i32.const 10))
                (then
                  (local.set $nl (i32.add (local.get $nl) (i32.const 1)))
                  (br $find))))
            (i32.store offset=8 (local.get $rec) (i32.const 0))))
        (i32.store (local.get $rec) (i32.add (local.get $start) (local.get $delta)))
        (i32.store offset=4 (local.get $rec) (i32.add (local.get $nl) (local.get $delta)))
        (local.set $start (i32.add (local.get $nl) (i32.const 1)))
        (local.set $rec (i32.add (local.get $rec) (local.get $size)))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $line)))
    (local.get $n)))
