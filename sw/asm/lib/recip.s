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
