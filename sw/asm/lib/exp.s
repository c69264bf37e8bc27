; wm_exp: y = exp(y) element by element, in place (docs/isa.md section 7, line for line).
;   in:  d2 = y (MEM, n elements, read and written in place)
;   tmp: d3, d4, d5 (MEM, n elements each, disjoint from d2 and from each other)
;   clobbers r1, r2; returns with `ret` (jal ra, wm_exp). All operations synchronous on E0.
wm_exp:
    li    r1, 0xC2AE0000      ; EXP_LO = -87
    fmax  d2, d2, r1          ; a = max(x, EXP_LO)
    li    r1, 0x42B00000      ; EXP_HI = 88
    fmin  d2, d2, r1          ; a = min(a, EXP_HI)
    li    r1, 0x3FB8AA3B      ; LOG2E
    fmul  d3, d2, r1          ; a * LOG2E
    li    r1, 0x4B400000      ; SHIFTER
    fadd  d3, d3, r1          ; t = add(mul(a, LOG2E), SHIFTER)
    isub  d4, d3, r1          ; ni = bits(t) - 0x4B400000
    fsub  d3, d3, r1          ; nf = sub(t, SHIFTER)
    li    r2, 127
    iadd  d4, d4, r2          ; ni + 127
    li    r2, 23
    ishl  d4, d4, r2          ; s = float((ni + 127) << 23)
    li    r1, 0x3F317200      ; LN2_HI
    fmul  d5, d3, r1
    fsub  d2, d2, d5          ; r = sub(a, mul(nf, LN2_HI))
    li    r1, 0x35BFBE8E      ; LN2_LO
    fmul  d5, d3, r1
    fsub  d2, d2, d5          ; r = sub(r, mul(nf, LN2_LO))
    li    r1, 0x39500D01      ; p = C7
    fmul  d3, d2, r1          ; mul(p, r)
    li    r1, 0x3AB60B61      ; C6
    fadd  d3, d3, r1
    fmul  d3, d3, d2
    li    r1, 0x3C088889      ; C5
    fadd  d3, d3, r1
    fmul  d3, d3, d2
    li    r1, 0x3D2AAAAB      ; C4
    fadd  d3, d3, r1
    fmul  d3, d3, d2
    li    r1, 0x3E2AAAAB      ; C3
    fadd  d3, d3, r1
    fmul  d3, d3, d2
    li    r1, 0x3F000000      ; C2
    fadd  d3, d3, r1
    fmul  d3, d3, d2
    li    r1, 0x3F800000      ; C1
    fadd  d3, d3, r1
    fmul  d3, d3, d2
    fadd  d3, d3, r1          ; C0 = C1
    fmul  d2, d3, d4          ; y = mul(p, s)
    ret

; wm_exp_s: r4 = exp(r4), the same lines with scalar FPU/ALU instructions (same bits).
;   clobbers r1, r2, r3, r5; returns with `ret`.
wm_exp_s:
    li    r1, 0xC2AE0000      ; EXP_LO
    fmax  r4, r4, r1
    li    r1, 0x42B00000      ; EXP_HI
    fmin  r4, r4, r1          ; a
    li    r1, 0x3FB8AA3B      ; LOG2E
    fmul  r2, r4, r1
    li    r1, 0x4B400000      ; SHIFTER
    fadd  r2, r2, r1          ; t
    sub   r3, r2, r1          ; ni = bits(t) - 0x4B400000
    fsub  r2, r2, r1          ; nf
    li    r1, 0x3F317200      ; LN2_HI
    fmul  r5, r2, r1
    fsub  r4, r4, r5          ; r = sub(a, mul(nf, LN2_HI))
    li    r1, 0x35BFBE8E      ; LN2_LO
    fmul  r5, r2, r1
    fsub  r4, r4, r5          ; r = sub(r, mul(nf, LN2_LO))
    li    r1, 0x39500D01      ; p = C7
    fmul  r2, r1, r4          ; mul(p, r)
    li    r1, 0x3AB60B61      ; C6
    fadd  r2, r2, r1
    fmul  r2, r2, r4
    li    r1, 0x3C088889      ; C5
    fadd  r2, r2, r1
    fmul  r2, r2, r4
    li    r1, 0x3D2AAAAB      ; C4
    fadd  r2, r2, r1
    fmul  r2, r2, r4
    li    r1, 0x3E2AAAAB      ; C3
    fadd  r2, r2, r1
    fmul  r2, r2, r4
    li    r1, 0x3F000000      ; C2
    fadd  r2, r2, r1
    fmul  r2, r2, r4
    li    r1, 0x3F800000      ; C1
    fadd  r2, r2, r1
    fmul  r2, r2, r4
    fadd  r2, r2, r1          ; C0 = C1
    addi  r3, r3, 127
    slli  r3, r3, 23          ; s = float((ni + 127) << 23)
    fmul  r4, r2, r3          ; y = mul(p, s)
    ret
