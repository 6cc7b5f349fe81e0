;; The training step's elementwise passes, WebAssembly SIMD on two units (columns) at a time: the cubic
;; layer (cubic.ts), standardization, column sums, the Gaussian head of the loss (flow.ts), Adam's step; and the
;; weighted Gram tiles of the cumulant pass (cumulants/accumulate.ts). Rows are
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

  ;; The affine layer's (affine.ts) bookkeeping around its products, for d x d row-major matrices: scalar
  ;; loops, but in wasm, where JS loops over the heap's shared buffers run slower.
  ;; Lo (unit lower) and Up (upper, diagonal expS) from the parameter layout (Lo's strict lower part row
  ;; by row at $p, Up's strict upper part row by row after it), and Up^T.
  (func (export "luUnpack") (param $d i32) (param $p i32) (param $expS i32) (param $lo i32) (param $up i32) (param $upT i32)
    (local $i i32) (local $j i32) (local $v f64) (local $row i32) (local $col i32) (local $rowB i32)
    (local.set $rowB (i32.shl (local.get $d) (i32.const 3)))
    ;; Lo, row by row: the packed strict lower part, 1, zeros.
    (local.set $row (local.get $lo))
    (block $idone (loop $rows
      (br_if $idone (i32.ge_u (local.get $i) (local.get $d)))
      (local.set $j (i32.const 0))
      (block $ldone (loop $lower
        (br_if $ldone (i32.ge_u (local.get $j) (local.get $i)))
        (f64.store (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 3))) (f64.load (local.get $p)))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $lower)))
      (f64.store (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 3))) (f64.const 1))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (block $zdone (loop $zeros
        (br_if $zdone (i32.ge_u (local.get $j) (local.get $d)))
        (f64.store (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 3))) (f64.const 0))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $zeros)))
      (local.set $row (i32.add (local.get $row) (local.get $rowB)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rows)))
    ;; Up row by row and Up^T column by column: zeros, exp(s_i), the packed strict upper part.
    (local.set $i (i32.const 0))
    (local.set $row (local.get $up))
    (local.set $col (local.get $upT))
    (block $idone2 (loop $rows2
      (br_if $idone2 (i32.ge_u (local.get $i) (local.get $d)))
      (local.set $j (i32.const 0))
      (block $zdone2 (loop $zeros2
        (br_if $zdone2 (i32.ge_u (local.get $j) (local.get $i)))
        (f64.store (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 3))) (f64.const 0))
        (f64.store (i32.add (local.get $col) (i32.mul (local.get $j) (local.get $rowB))) (f64.const 0))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $zeros2)))
      (local.set $v (f64.load (i32.add (local.get $expS) (i32.shl (local.get $i) (i32.const 3)))))
      (f64.store (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 3))) (local.get $v))
      (f64.store (i32.add (local.get $col) (i32.mul (local.get $j) (local.get $rowB))) (local.get $v))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (block $udone (loop $upper
        (br_if $udone (i32.ge_u (local.get $j) (local.get $d)))
        (local.set $v (f64.load (local.get $p)))
        (f64.store (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 3))) (local.get $v))
        (f64.store (i32.add (local.get $col) (i32.mul (local.get $j) (local.get $rowB))) (local.get $v))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $upper)))
      (local.set $row (i32.add (local.get $row) (local.get $rowB)))
      (local.set $col (i32.add (local.get $col) (i32.const 8)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rows2))))

  ;; dst row i = src row perm[i] (perm: d doubles holding row indices), and dstT = dst^T unless $dstT is 0.
  (func (export "permuteRows") (param $d i32) (param $perm i32) (param $src i32) (param $dst i32) (param $dstT i32)
    (local $i i32) (local $j i32) (local $from i32) (local $v f64)
    (block $idone (loop $rows
      (br_if $idone (i32.ge_u (local.get $i) (local.get $d)))
      (local.set $from (i32.add (local.get $src) (i32.shl (i32.mul (i32.trunc_f64_u (f64.load (i32.add (local.get $perm) (i32.shl (local.get $i) (i32.const 3))))) (local.get $d)) (i32.const 3))))
      (local.set $j (i32.const 0))
      (block $jdone (loop $cols
        (br_if $jdone (i32.ge_u (local.get $j) (local.get $d)))
        (local.set $v (f64.load (i32.add (local.get $from) (i32.shl (local.get $j) (i32.const 3)))))
        (f64.store (i32.add (local.get $dst) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $d)) (local.get $j)) (i32.const 3))) (local.get $v))
        (if (local.get $dstT) (then
          (f64.store (i32.add (local.get $dstT) (i32.shl (i32.add (i32.mul (local.get $j) (local.get $d)) (local.get $i)) (i32.const 3))) (local.get $v))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $cols)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rows))))

  ;; Adds the LU factors' gradients to the parameter gradient at $g (the layout of luUnpack, then s):
  ;; Lo's strict lower part of gLo, Up's strict upper part of gUp, and for s_i = ln Up_ii,
  ;; gUp_ii Up_ii + $wn (the log-determinant's share).
  (func (export "luScatter") (param $d i32) (param $gLo i32) (param $gUp i32) (param $up i32) (param $wn f64) (param $g i32)
    (local $i i32) (local $j i32) (local $k i32) (local $s i32) (local $ii i32)
    (local.set $k (local.get $g))
    (block $idone (loop $rows
      (br_if $idone (i32.ge_u (local.get $i) (local.get $d)))
      (local.set $j (i32.const 0))
      (block $jdone (loop $cols
        (br_if $jdone (i32.ge_u (local.get $j) (local.get $i)))
        (f64.store (local.get $k) (f64.add (f64.load (local.get $k))
          (f64.load (i32.add (local.get $gLo) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $d)) (local.get $j)) (i32.const 3))))))
        (local.set $k (i32.add (local.get $k) (i32.const 8)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $cols)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rows)))
    ;; k now points at Up's block; s follows it.
    (local.set $s (i32.add (local.get $k) (i32.shl (i32.shr_u (i32.mul (local.get $d) (i32.sub (local.get $d) (i32.const 1))) (i32.const 1)) (i32.const 3))))
    (local.set $i (i32.const 0))
    (block $idone2 (loop $rows2
      (br_if $idone2 (i32.ge_u (local.get $i) (local.get $d)))
      (local.set $ii (i32.shl (i32.mul (local.get $i) (i32.add (local.get $d) (i32.const 1))) (i32.const 3)))
      (f64.store (local.get $s) (f64.add (f64.load (local.get $s))
        (f64.add (f64.mul (f64.load (i32.add (local.get $gUp) (local.get $ii))) (f64.load (i32.add (local.get $up) (local.get $ii)))) (local.get $wn))))
      (local.set $s (i32.add (local.get $s) (i32.const 8)))
      (local.set $j (i32.add (local.get $i) (i32.const 1)))
      (block $jdone2 (loop $cols2
        (br_if $jdone2 (i32.ge_u (local.get $j) (local.get $d)))
        (f64.store (local.get $k) (f64.add (f64.load (local.get $k))
          (f64.load (i32.add (local.get $gUp) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $d)) (local.get $j)) (i32.const 3))))))
        (local.set $k (i32.add (local.get $k) (i32.const 8)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $cols2)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rows2))))

  ;; x = wx x + wy y for i < count (the two-thread engine's weighted sum of its halves' gradients);
  ;; separate multiplies and an add, as in the JS loop.
  (func (export "weightedSum") (param $count i32) (param $x i32) (param $wx f64) (param $y i32) (param $wy f64)
    (local $o i32) (local $end i32) (local $wxv v128) (local $wyv v128)
    (local.set $wxv (f64x2.splat (local.get $wx)))
    (local.set $wyv (f64x2.splat (local.get $wy)))
    (local.set $end (i32.shl (i32.and (local.get $count) (i32.const -2)) (i32.const 3)))
    (block $done (loop $pairs
      (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
      (v128.store (i32.add (local.get $x) (local.get $o))
        (f64x2.add (f64x2.mul (local.get $wxv) (v128.load (i32.add (local.get $x) (local.get $o))))
                   (f64x2.mul (local.get $wyv) (v128.load (i32.add (local.get $y) (local.get $o))))))
      (local.set $o (i32.add (local.get $o) (i32.const 16)))
      (br $pairs)))
    (if (i32.and (local.get $count) (i32.const 1)) (then
      (f64.store (i32.add (local.get $x) (local.get $end))
        (f64.add (f64.mul (local.get $wx) (f64.load (i32.add (local.get $x) (local.get $end))))
                 (f64.mul (local.get $wy) (f64.load (i32.add (local.get $y) (local.get $end)))))))))

  ;; Adam's step (train/adam.ts) on count parameters, two at a time: m = b1 m + a1 g, v = b2 v + (a2 g) g,
  ;; p -= (step m) / (sqrt(v) invRoot + eps). The same operations in the same order as the JS loop (no
  ;; fused multiply-adds), so both paths give the same bits.
  (func (export "adam") (param $count i32) (param $p i32) (param $g i32) (param $m i32) (param $v i32)
    (param $b1 f64) (param $b2 f64) (param $a1 f64) (param $a2 f64) (param $step f64) (param $invRoot f64) (param $eps f64)
    (local $o i32) (local $end i32) (local $gv v128) (local $mv v128) (local $vv v128)
    (local $b1v v128) (local $b2v v128) (local $a1v v128) (local $a2v v128) (local $stepv v128) (local $invv v128) (local $epsv v128)
    (local $gs f64) (local $ms f64) (local $vs f64)
    (local.set $b1v (f64x2.splat (local.get $b1)))
    (local.set $b2v (f64x2.splat (local.get $b2)))
    (local.set $a1v (f64x2.splat (local.get $a1)))
    (local.set $a2v (f64x2.splat (local.get $a2)))
    (local.set $stepv (f64x2.splat (local.get $step)))
    (local.set $invv (f64x2.splat (local.get $invRoot)))
    (local.set $epsv (f64x2.splat (local.get $eps)))
    (local.set $end (i32.shl (i32.and (local.get $count) (i32.const -2)) (i32.const 3)))
    (block $done (loop $pairs
      (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
      (local.set $gv (v128.load (i32.add (local.get $g) (local.get $o))))
      (local.set $mv (f64x2.add (f64x2.mul (local.get $b1v) (v128.load (i32.add (local.get $m) (local.get $o))))
                                (f64x2.mul (local.get $a1v) (local.get $gv))))
      (local.set $vv (f64x2.add (f64x2.mul (local.get $b2v) (v128.load (i32.add (local.get $v) (local.get $o))))
                                (f64x2.mul (f64x2.mul (local.get $a2v) (local.get $gv)) (local.get $gv))))
      (v128.store (i32.add (local.get $m) (local.get $o)) (local.get $mv))
      (v128.store (i32.add (local.get $v) (local.get $o)) (local.get $vv))
      (v128.store (i32.add (local.get $p) (local.get $o))
        (f64x2.sub (v128.load (i32.add (local.get $p) (local.get $o)))
          (f64x2.div (f64x2.mul (local.get $stepv) (local.get $mv))
                     (f64x2.add (f64x2.mul (f64x2.sqrt (local.get $vv)) (local.get $invv)) (local.get $epsv)))))
      (local.set $o (i32.add (local.get $o) (i32.const 16)))
      (br $pairs)))
    (if (i32.and (local.get $count) (i32.const 1)) (then
      (local.set $gs (f64.load (i32.add (local.get $g) (local.get $end))))
      (local.set $ms (f64.add (f64.mul (local.get $b1) (f64.load (i32.add (local.get $m) (local.get $end)))) (f64.mul (local.get $a1) (local.get $gs))))
      (local.set $vs (f64.add (f64.mul (local.get $b2) (f64.load (i32.add (local.get $v) (local.get $end)))) (f64.mul (f64.mul (local.get $a2) (local.get $gs)) (local.get $gs))))
      (f64.store (i32.add (local.get $m) (local.get $end)) (local.get $ms))
      (f64.store (i32.add (local.get $v) (local.get $end)) (local.get $vs))
      (f64.store (i32.add (local.get $p) (local.get $end))
        (f64.sub (f64.load (i32.add (local.get $p) (local.get $end)))
          (f64.div (f64.mul (local.get $step) (local.get $ms))
                   (f64.add (f64.mul (f64.sqrt (local.get $vs)) (local.get $invRoot)) (local.get $eps))))))))

  ;; Weighted Gram tiles for the cumulant pass (cumulants/accumulate.ts): for a chunk stored column by
  ;; column (column c at byte offset offs[c] from $buf, rows contiguous), out[a][c] = sum over rows
  ;; r < m of w[r] u_a[r] u_c[r], for a < rowsG (in steps of 2) and c >= a (in tiles of 4), row stride
  ;; $ldo doubles. $offs holds i32 byte offsets, padded (to a zero column) 4 past cols and 1 past rowsG.
  ;; m must be even (the caller zeroes the weight of a padding row). Two rows per SIMD lane pair, the
  ;; lanes summed at the end.
  (func (export "weightedGram") (param $m i32) (param $w i32) (param $buf i32) (param $offs i32) (param $cols i32) (param $rowsG i32) (param $out i32) (param $ldo i32)
    (local $a i32) (local $c i32) (local $r i32) (local $end i32) (local $po i32)
    (local $oa0 i32) (local $oa1 i32) (local $oc0 i32) (local $oc1 i32) (local $oc2 i32) (local $oc3 i32)
    (local $wv v128) (local $x v128) (local $y v128) (local $v v128)
    (local $p0 v128) (local $p1 v128) (local $p2 v128) (local $p3 v128) (local $q0 v128) (local $q1 v128) (local $q2 v128) (local $q3 v128)
    (local.set $end (i32.shl (local.get $m) (i32.const 3)))
    (local.set $a (i32.const 0))
    (block $adone (loop $arows
      (br_if $adone (i32.ge_u (local.get $a) (local.get $rowsG)))
      (local.set $oa0 (i32.add (local.get $buf) (i32.load (i32.add (local.get $offs) (i32.shl (local.get $a) (i32.const 2))))))
      (local.set $oa1 (i32.add (local.get $buf) (i32.load offset=4 (i32.add (local.get $offs) (i32.shl (local.get $a) (i32.const 2))))))
      (local.set $c (local.get $a))
      (block $cdone (loop $ccols
        (br_if $cdone (i32.ge_u (local.get $c) (local.get $cols)))
        (local.set $oc0 (i32.add (local.get $buf) (i32.load (i32.add (local.get $offs) (i32.shl (local.get $c) (i32.const 2))))))
        (local.set $oc1 (i32.add (local.get $buf) (i32.load offset=4 (i32.add (local.get $offs) (i32.shl (local.get $c) (i32.const 2))))))
        (local.set $oc2 (i32.add (local.get $buf) (i32.load offset=8 (i32.add (local.get $offs) (i32.shl (local.get $c) (i32.const 2))))))
        (local.set $oc3 (i32.add (local.get $buf) (i32.load offset=12 (i32.add (local.get $offs) (i32.shl (local.get $c) (i32.const 2))))))
        (local.set $p0 (v128.const f64x2 0 0))
        (local.set $p1 (v128.const f64x2 0 0))
        (local.set $p2 (v128.const f64x2 0 0))
        (local.set $p3 (v128.const f64x2 0 0))
        (local.set $q0 (v128.const f64x2 0 0))
        (local.set $q1 (v128.const f64x2 0 0))
        (local.set $q2 (v128.const f64x2 0 0))
        (local.set $q3 (v128.const f64x2 0 0))
        (local.set $r (i32.const 0))
        (block $rdone (loop $rows
          (br_if $rdone (i32.ge_u (local.get $r) (local.get $end)))
          (local.set $wv (v128.load (i32.add (local.get $w) (local.get $r))))
          (local.set $x (f64x2.mul (local.get $wv) (v128.load (i32.add (local.get $oa0) (local.get $r)))))
          (local.set $y (f64x2.mul (local.get $wv) (v128.load (i32.add (local.get $oa1) (local.get $r)))))
          (local.set $v (v128.load (i32.add (local.get $oc0) (local.get $r))))
          (local.set $p0 (f64x2.add (local.get $p0) (f64x2.mul (local.get $x) (local.get $v))))
          (local.set $q0 (f64x2.add (local.get $q0) (f64x2.mul (local.get $y) (local.get $v))))
          (local.set $v (v128.load (i32.add (local.get $oc1) (local.get $r))))
          (local.set $p1 (f64x2.add (local.get $p1) (f64x2.mul (local.get $x) (local.get $v))))
          (local.set $q1 (f64x2.add (local.get $q1) (f64x2.mul (local.get $y) (local.get $v))))
          (local.set $v (v128.load (i32.add (local.get $oc2) (local.get $r))))
          (local.set $p2 (f64x2.add (local.get $p2) (f64x2.mul (local.get $x) (local.get $v))))
          (local.set $q2 (f64x2.add (local.get $q2) (f64x2.mul (local.get $y) (local.get $v))))
          (local.set $v (v128.load (i32.add (local.get $oc3) (local.get $r))))
          (local.set $p3 (f64x2.add (local.get $p3) (f64x2.mul (local.get $x) (local.get $v))))
          (local.set $q3 (f64x2.add (local.get $q3) (f64x2.mul (local.get $y) (local.get $v))))
          (local.set $r (i32.add (local.get $r) (i32.const 16)))
          (br $rows)))
        (local.set $po (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $a) (local.get $ldo)) (local.get $c)) (i32.const 3))))
        (f64.store offset=0 (local.get $po) (f64.add (f64x2.extract_lane 0 (local.get $p0)) (f64x2.extract_lane 1 (local.get $p0))))
        (f64.store offset=8 (local.get $po) (f64.add (f64x2.extract_lane 0 (local.get $p1)) (f64x2.extract_lane 1 (local.get $p1))))
        (f64.store offset=16 (local.get $po) (f64.add (f64x2.extract_lane 0 (local.get $p2)) (f64x2.extract_lane 1 (local.get $p2))))
        (f64.store offset=24 (local.get $po) (f64.add (f64x2.extract_lane 0 (local.get $p3)) (f64x2.extract_lane 1 (local.get $p3))))
        (local.set $po (i32.add (local.get $po) (i32.shl (local.get $ldo) (i32.const 3))))
        (f64.store offset=0 (local.get $po) (f64.add (f64x2.extract_lane 0 (local.get $q0)) (f64x2.extract_lane 1 (local.get $q0))))
        (f64.store offset=8 (local.get $po) (f64.add (f64x2.extract_lane 0 (local.get $q1)) (f64x2.extract_lane 1 (local.get $q1))))
        (f64.store offset=16 (local.get $po) (f64.add (f64x2.extract_lane 0 (local.get $q2)) (f64x2.extract_lane 1 (local.get $q2))))
        (f64.store offset=24 (local.get $po) (f64.add (f64x2.extract_lane 0 (local.get $q3)) (f64x2.extract_lane 1 (local.get $q3))))
        (local.set $c (i32.add (local.get $c) (i32.const 4)))
        (br $ccols)))
      (local.set $a (i32.add (local.get $a) (i32.const 2)))
      (br $arows))))
)
