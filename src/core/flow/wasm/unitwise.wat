;; The training step's elementwise passes, WebAssembly SIMD on two units (columns) at a time: the cubic
;; layer (cubic.ts), standardization, column sums, the Gaussian head of the loss (flow.ts). Rows are
;; row-major n x d doubles, d even; the caller passes byte offsets into the shared kernel memory.
;; Where a pass sums over rows, units are the outer loop and rows the inner one (stride d), as in the
;; JS loops they replace, so every per-unit sum runs over the rows in the same order.
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; Multiplies every row's two lanes of the Jacobian product by 2^-e, keeping their mantissas in [1, 2)
  ;; and adding e to the row's exponent sums: the product can then neither overflow nor underflow.
  (func $renormalize (param $n i32) (param $prod i32) (param $expo i32)
    (local $r i32) (local $bits v128) (local $e v128)
    (local.set $r (i32.const 0))
    (block $done (loop $rows
      (br_if $done (i32.ge_u (local.get $r) (local.get $n)))
      (local.set $bits (v128.load (local.get $prod)))
      (local.set $e (i64x2.sub (i64x2.shr_u (local.get $bits) (i32.const 52)) (i64x2.splat (i64.const 1023))))
      (v128.store (local.get $prod)
        (v128.or (v128.and (local.get $bits) (i64x2.splat (i64.const 0x000FFFFFFFFFFFFF))) (i64x2.splat (i64.const 0x3FF0000000000000))))
      (v128.store (local.get $expo)
        (f64x2.add (v128.load (local.get $expo))
          (f64x2.replace_lane 1
            (f64x2.splat (f64.convert_i64_s (i64x2.extract_lane 0 (local.get $e))))
            (f64.convert_i64_s (i64x2.extract_lane 1 (local.get $e))))))
      (local.set $prod (i32.add (local.get $prod) (i32.const 16)))
      (local.set $expo (i32.add (local.get $expo) (i32.const 16)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rows))))

  ;; y = u + u^2 (a + c u) per unit; per row, prod[r] * 2^expo[r] = prod of the Jacobian diagonal
  ;; 1 + u (2a + 3c u). Scratch: prod and expo hold 2 doubles per row; on return prod[2r] and expo[2r]
  ;; hold the row's mantissa product and exponent sum (ln|det| = ln prod + expo ln 2).
  (func (export "cubicForward") (param $n i32) (param $d i32) (param $x i32) (param $y i32) (param $a i32) (param $c i32) (param $prod i32) (param $expo i32)
    (local $i i32) (local $r i32) (local $rowB i32) (local $o i32) (local $pp i32) (local $since i32)
    (local $av v128) (local $cv v128) (local $a2 v128) (local $c3 v128) (local $u v128) (local $p v128)
    (local.set $rowB (i32.shl (local.get $d) (i32.const 3)))
    (local.set $r (i32.const 0))
    (block $done (loop $init
      (br_if $done (i32.ge_u (local.get $r) (local.get $n)))
      (v128.store (i32.add (local.get $prod) (i32.shl (local.get $r) (i32.const 4))) (f64x2.splat (f64.const 1)))
      (v128.store (i32.add (local.get $expo) (i32.shl (local.get $r) (i32.const 4))) (f64x2.splat (f64.const 0)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $init)))
    (local.set $i (i32.const 0))
    (block $units (loop $unit
      (br_if $units (i32.ge_u (local.get $i) (local.get $d)))
      (local.set $av (v128.load (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 3)))))
      (local.set $cv (v128.load (i32.add (local.get $c) (i32.shl (local.get $i) (i32.const 3)))))
      (local.set $a2 (f64x2.add (local.get $av) (local.get $av)))
      (local.set $c3 (f64x2.mul (local.get $cv) (f64x2.splat (f64.const 3))))
      (local.set $o (i32.shl (local.get $i) (i32.const 3)))
      (local.set $pp (local.get $prod))
      (local.set $r (i32.const 0))
      (block $rdone (loop $rows
        (br_if $rdone (i32.ge_u (local.get $r) (local.get $n)))
        (local.set $u (v128.load (i32.add (local.get $x) (local.get $o))))
        (v128.store (i32.add (local.get $y) (local.get $o))
          (f64x2.add (local.get $u)
            (f64x2.mul (f64x2.mul (local.get $u) (local.get $u)) (f64x2.add (local.get $av) (f64x2.mul (local.get $cv) (local.get $u))))))
        (v128.store (local.get $pp)
          (f64x2.mul (v128.load (local.get $pp))
            (f64x2.add (f64x2.splat (f64.const 1))
              (f64x2.mul (local.get $u) (f64x2.add (local.get $a2) (f64x2.mul (local.get $c3) (local.get $u)))))))
        (local.set $o (i32.add (local.get $o) (local.get $rowB)))
        (local.set $pp (i32.add (local.get $pp) (i32.const 16)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows)))
      ;; every 4 unit pairs (each factor is positive and far from 0 and from 1e77 in practice)
      (local.set $since (i32.add (local.get $since) (i32.const 1)))
      (if (i32.eq (local.get $since) (i32.const 4)) (then
        (call $renormalize (local.get $n) (local.get $prod) (local.get $expo))
        (local.set $since (i32.const 0))))
      (local.set $i (i32.add (local.get $i) (i32.const 2)))
      (br $unit)))
    (call $renormalize (local.get $n) (local.get $prod) (local.get $expo))
    (local.set $r (i32.const 0))
    (block $fdone (loop $final
      (br_if $fdone (i32.ge_u (local.get $r) (local.get $n)))
      (local.set $p (v128.load (local.get $prod)))
      (f64.store (local.get $prod) (f64.mul (f64x2.extract_lane 0 (local.get $p)) (f64x2.extract_lane 1 (local.get $p))))
      (local.set $p (v128.load (local.get $expo)))
      (f64.store (local.get $expo) (f64.add (f64x2.extract_lane 0 (local.get $p)) (f64x2.extract_lane 1 (local.get $p))))
      (local.set $prod (i32.add (local.get $prod) (i32.const 16)))
      (local.set $expo (i32.add (local.get $expo) (i32.const 16)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $final))))

  ;; Back-propagation through cubicForward: gx = gy J + w (ln J)' (skipped when $gx is 0), and per
  ;; unit ga = sum gy u^2 + w 2u / J, gc = sum gy u^3 + w 3u^2 / J, with J = 1 + u (2a + 3c u).
  (func (export "cubicBackward") (param $n i32) (param $d i32) (param $x i32) (param $gy i32) (param $gx i32) (param $a i32) (param $c i32) (param $w f64) (param $ga i32) (param $gc i32)
    (local $i i32) (local $r i32) (local $rowB i32) (local $o i32)
    (local $a2 v128) (local $c3 v128) (local $c6 v128) (local $wv v128) (local $u v128) (local $g v128) (local $jac v128) (local $wj v128) (local $u2 v128)
    (local $sa v128) (local $sc v128)
    (local.set $rowB (i32.shl (local.get $d) (i32.const 3)))
    (local.set $wv (f64x2.splat (local.get $w)))
    (local.set $i (i32.const 0))
    (block $units (loop $unit
      (br_if $units (i32.ge_u (local.get $i) (local.get $d)))
      (local.set $a2 (v128.load (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 3)))))
      (local.set $a2 (f64x2.mul (local.get $a2) (f64x2.splat (f64.const 2))))
      (local.set $c3 (v128.load (i32.add (local.get $c) (i32.shl (local.get $i) (i32.const 3)))))
      (local.set $c6 (f64x2.mul (local.get $c3) (f64x2.splat (f64.const 6))))
      (local.set $c3 (f64x2.mul (local.get $c3) (f64x2.splat (f64.const 3))))
      (local.set $sa (f64x2.splat (f64.const 0)))
      (local.set $sc (f64x2.splat (f64.const 0)))
      (local.set $o (i32.shl (local.get $i) (i32.const 3)))
      (local.set $r (i32.const 0))
      (block $rdone (loop $rows
        (br_if $rdone (i32.ge_u (local.get $r) (local.get $n)))
        (local.set $u (v128.load (i32.add (local.get $x) (local.get $o))))
        (local.set $g (v128.load (i32.add (local.get $gy) (local.get $o))))
        (local.set $jac (f64x2.add (f64x2.splat (f64.const 1))
          (f64x2.mul (local.get $u) (f64x2.add (local.get $a2) (f64x2.mul (local.get $c3) (local.get $u))))))
        (local.set $wj (f64x2.div (local.get $wv) (local.get $jac)))
        (local.set $u2 (f64x2.mul (local.get $u) (local.get $u)))
        (if (local.get $gx) (then
          (v128.store (i32.add (local.get $gx) (local.get $o))
            (f64x2.add (f64x2.mul (local.get $g) (local.get $jac))
              (f64x2.mul (local.get $wj) (f64x2.add (local.get $a2) (f64x2.mul (local.get $c6) (local.get $u))))))))
        (local.set $sa (f64x2.add (local.get $sa)
          (f64x2.add (f64x2.mul (local.get $g) (local.get $u2))
            (f64x2.mul (f64x2.mul (local.get $wj) (f64x2.splat (f64.const 2))) (local.get $u)))))
        (local.set $sc (f64x2.add (local.get $sc)
          (f64x2.add (f64x2.mul (f64x2.mul (local.get $g) (local.get $u2)) (local.get $u))
            (f64x2.mul (f64x2.mul (local.get $wj) (f64x2.splat (f64.const 3))) (local.get $u2)))))
        (local.set $o (i32.add (local.get $o) (local.get $rowB)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows)))
      (v128.store (i32.add (local.get $ga) (i32.shl (local.get $i) (i32.const 3))) (local.get $sa))
      (v128.store (i32.add (local.get $gc) (i32.shl (local.get $i) (i32.const 3))) (local.get $sc))
      (local.set $i (i32.add (local.get $i) (i32.const 2)))
      (br $unit))))

  ;; y = (x - mean) * inv per unit (standardization by multiplication, as in standardize.ts).
  (func (export "standardize") (param $n i32) (param $d i32) (param $x i32) (param $y i32) (param $mean i32) (param $inv i32)
    (local $o i32) (local $end i32) (local $i i32) (local $rowEnd i32)
    (local.set $end (i32.shl (i32.mul (local.get $n) (local.get $d)) (i32.const 3)))
    (local.set $o (i32.const 0))
    (block $done (loop $rows
      (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
      (local.set $i (i32.const 0))
      (local.set $rowEnd (i32.shl (local.get $d) (i32.const 3)))
      (block $rdone (loop $units
        (br_if $rdone (i32.ge_u (local.get $i) (local.get $rowEnd)))
        (v128.store (i32.add (local.get $y) (i32.add (local.get $o) (local.get $i)))
          (f64x2.mul
            (f64x2.sub (v128.load (i32.add (local.get $x) (i32.add (local.get $o) (local.get $i)))) (v128.load (i32.add (local.get $mean) (local.get $i))))
            (v128.load (i32.add (local.get $inv) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $units)))
      (local.set $o (i32.add (local.get $o) (local.get $rowEnd)))
      (br $rows))))

  ;; dst[i] = sum over rows of src[r, i] (rows in order, per unit).
  (func (export "columnSums") (param $n i32) (param $d i32) (param $src i32) (param $dst i32)
    (local $i i32) (local $r i32) (local $o i32) (local $rowB i32) (local $s v128)
    (local.set $rowB (i32.shl (local.get $d) (i32.const 3)))
    (local.set $i (i32.const 0))
    (block $units (loop $unit
      (br_if $units (i32.ge_u (local.get $i) (local.get $d)))
      (local.set $s (f64x2.splat (f64.const 0)))
      (local.set $o (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 3))))
      (local.set $r (i32.const 0))
      (block $rdone (loop $rows
        (br_if $rdone (i32.ge_u (local.get $r) (local.get $n)))
        (local.set $s (f64x2.add (local.get $s) (v128.load (local.get $o))))
        (local.set $o (i32.add (local.get $o) (local.get $rowB)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows)))
      (v128.store (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 3))) (local.get $s))
      (local.set $i (i32.add (local.get $i) (i32.const 2)))
      (br $unit))))

  ;; The loss head: g = z * scale, and returns sum over rows of (|z_r|^2 / 2 + $c - logDet[r]).
  (func (export "gaussianHead") (param $n i32) (param $d i32) (param $z i32) (param $g i32) (param $logDet i32) (param $scale f64) (param $c f64) (result f64)
    (local $r i32) (local $i i32) (local $o i32) (local $rowB i32) (local $q v128) (local $v v128) (local $sv v128) (local $loss f64)
    (local.set $rowB (i32.shl (local.get $d) (i32.const 3)))
    (local.set $sv (f64x2.splat (local.get $scale)))
    (local.set $o (i32.const 0))
    (local.set $r (i32.const 0))
    (block $done (loop $rows
      (br_if $done (i32.ge_u (local.get $r) (local.get $n)))
      (local.set $q (f64x2.splat (f64.const 0)))
      (local.set $i (i32.const 0))
      (block $rdone (loop $units
        (br_if $rdone (i32.ge_u (local.get $i) (local.get $rowB)))
        (local.set $v (v128.load (i32.add (local.get $z) (i32.add (local.get $o) (local.get $i)))))
        (local.set $q (f64x2.add (local.get $q) (f64x2.mul (local.get $v) (local.get $v))))
        (v128.store (i32.add (local.get $g) (i32.add (local.get $o) (local.get $i))) (f64x2.mul (local.get $v) (local.get $sv)))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $units)))
      (local.set $loss (f64.add (local.get $loss)
        (f64.sub
          (f64.add (f64.mul (f64.const 0.5) (f64.add (f64x2.extract_lane 0 (local.get $q)) (f64x2.extract_lane 1 (local.get $q)))) (local.get $c))
          (f64.load (i32.add (local.get $logDet) (i32.shl (local.get $r) (i32.const 3)))))))
      (local.set $o (i32.add (local.get $o) (local.get $rowB)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rows)))
    (local.get $loss))

  ;; dst[i] = src[i]^2 for i < count (dst may be src).
  (func (export "square") (param $count i32) (param $src i32) (param $dst i32)
    (local $o i32) (local $end i32) (local $v v128)
    (local.set $end (i32.shl (i32.and (local.get $count) (i32.const -2)) (i32.const 3)))
    (block $done (loop $pairs
      (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
      (local.set $v (v128.load (i32.add (local.get $src) (local.get $o))))
      (v128.store (i32.add (local.get $dst) (local.get $o)) (f64x2.mul (local.get $v) (local.get $v)))
      (local.set $o (i32.add (local.get $o) (i32.const 16)))
      (br $pairs)))
    (if (i32.and (local.get $count) (i32.const 1)) (then
      (f64.store (i32.add (local.get $dst) (local.get $end))
        (f64.mul (f64.load (i32.add (local.get $src) (local.get $end))) (f64.load (i32.add (local.get $src) (local.get $end))))))))

  ;; dst[i] = dst[i] * (2 src[i]) for i < count: the derivative of a square, chained.
  (func (export "timesTwice") (param $count i32) (param $dst i32) (param $src i32)
    (local $o i32) (local $end i32) (local $v v128)
    (local.set $end (i32.shl (i32.and (local.get $count) (i32.const -2)) (i32.const 3)))
    (block $done (loop $pairs
      (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
      (local.set $v (v128.load (i32.add (local.get $src) (local.get $o))))
      (v128.store (i32.add (local.get $dst) (local.get $o))
        (f64x2.mul (v128.load (i32.add (local.get $dst) (local.get $o))) (f64x2.add (local.get $v) (local.get $v))))
      (local.set $o (i32.add (local.get $o) (i32.const 16)))
      (br $pairs)))
    (if (i32.and (local.get $count) (i32.const 1)) (then
      (f64.store (i32.add (local.get $dst) (local.get $end))
        (f64.mul (f64.load (i32.add (local.get $dst) (local.get $end)))
          (f64.add (f64.load (i32.add (local.get $src) (local.get $end))) (f64.load (i32.add (local.get $src) (local.get $end)))))))))
)
