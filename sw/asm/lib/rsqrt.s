; wm_rsqrt: y = 1/sqrt(x) element by element (docs/isa.md section 7, line for line).
;   in:  d2 = x (MEM, n elements, preserved); out: d3 = y (MEM, n elements)
;   tmp: d4, d5 (MEM, n elements each); all disjoint. Clobbers r1; returns with `ret`.
wm_rsqrt:
    li    r1, 0x3F000000      ; HALF
    fmul  d4, d2, r1          ; h = mul(x, HALF)
    li    r1, 1
    ishr  d5, d2, r1          ; bits(x) >> 1
    li    r1, 0x5F3759DF      ; RSQRT_MAGIC
    isub  d3, r1, d5          ; y = float(RSQRT_MAGIC - (bits(x) >> 1))
    li    r1, 0x3FC00000      ; THREE_HALVES
    fmul  d5, d3, d3          ; t = mul(y, y)
    fmul  d5, d4, d5          ; t = mul(h, t)
    fsub  d5, r1, d5          ; t = sub(THREE_HALVES, t)
    fmul  d3, d3, d5          ; y = mul(y, t)
    fmul  d5, d3, d3
    fmul  d5, d4, d5
    fsub  d5, r1, d5
    fmul  d3, d3, d5
    fmul  d5, d3, d3
    fmul  d5, d4, d5
    fsub  d5, r1, d5
    fmul  d3, d3, d5
    ret

; wm_rsqrt_s: r4 = 1/sqrt(r4) with scalar FPU/ALU instructions (same bits), e.g. RMSNorm's
; scale. Clobbers r1, r2, r3, r5.
wm_rsqrt_s:
    li    r1, 0x3F000000      ; HALF
    fmul  r5, r4, r1          ; h
    srli  r2, r4, 1
    li    r1, 0x5F3759DF      ; RSQRT_MAGIC
    sub   r2, r1, r2          ; y
    li    r1, 0x3FC00000      ; THREE_HALVES
    fmul  r3, r2, r2
    fmul  r3, r5, r3
    fsub  r3, r1, r3
    fmul  r2, r2, r3
    fmul  r3, r2, r2
    fmul  r3, r5, r3
    fsub  r3, r1, r3
    fmul  r2, r2, r3
    fmul  r3, r2, r2
    fmul  r3, r5, r3
    fsub  r3, r1, r3
    fmul  r2, r2, r3
    mv    r4, r2
    ret
