; wm_recip: y = 1/x element by element (docs/isa.md section 7, line for line).
;   in:  d2 = x (MEM, n elements, preserved); out: d3 = y (MEM, n elements)
;   tmp: d4 (MEM, n elements); all disjoint. Clobbers r1; returns with `ret`.
wm_recip:
    li    r1, 0x7EF311C3      ; RECIP_MAGIC
    isub  d3, r1, d2          ; y = float(RECIP_MAGIC - bits(x))
    li    r1, 0x40000000      ; TWO
    fmul  d4, d2, d3          ; mul(x, y)
    fsub  d4, r1, d4          ; sub(TWO, .)
    fmul  d3, d3, d4          ; y = mul(y, .)
    fmul  d4, d2, d3
    fsub  d4, r1, d4
    fmul  d3, d3, d4          ; second Newton step
    li    r1, 0x3F800000      ; ONE
    fmul  d4, d2, d3
    fsub  d4, r1, d4          ; e = sub(ONE, mul(x, y))
    fmul  d4, d3, d4          ; mul(y, e)
    fadd  d3, d3, d4          ; y = add(y, mul(y, e))
    ret

; wm_recip_s: r4 = 1/r4 with scalar FPU/ALU instructions (same bits). Clobbers r1, r2, r3.
wm_recip_s:
    li    r1, 0x7EF311C3      ; RECIP_MAGIC
    sub   r2, r1, r4          ; y
    li    r1, 0x40000000      ; TWO
    fmul  r3, r4, r2
    fsub  r3, r1, r3
    fmul  r2, r2, r3
    fmul  r3, r4, r2
    fsub  r3, r1, r3
    fmul  r2, r2, r3
    li    r1, 0x3F800000      ; ONE
    fmul  r3, r4, r2
    fsub  r3, r1, r3          ; e
    fmul  r3, r2, r3
    fadd  r4, r2, r3          ; y = add(y, mul(y, e))
    ret
