; wm_silu: y = x / (1 + exp(-x)) element by element (docs/isa.md section 7, line for line).
;   in:  d1 = x (MEM, n elements, preserved); out: d2 = y (MEM, n elements)
;   tmp: d3, d4, d5 (MEM, n elements each); all disjoint.
;   Needs exp.s and recip.s in the same assembly. Clobbers r1, r2, r13; returns with `ret`.
wm_silu:
    mv    r13, ra             ; the calls below overwrite ra
    li    r1, 0xBF800000      ; MINUS_ONE
    fmul  d2, d1, r1          ; mul(x, MINUS_ONE)
    li    r1, 0x42AE0000      ; SILU_HI
    fmin  d2, d2, r1          ; u = min(., SILU_HI)
    call  wm_exp              ; e = exp(u), in place in d2
    li    r1, 0x3F800000      ; ONE
    fadd  d2, d2, r1          ; d = add(e, ONE)
    call  wm_recip            ; d3 = recip(d)
    fmul  d2, d1, d3          ; y = mul(x, recip(d))
    jalr  r0, r13, 0
