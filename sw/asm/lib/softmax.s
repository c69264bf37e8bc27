; wm_softmax: softmax of n scores in place (docs/isa.md section 7):
;   m = frmax(-inf, x); x = fsub(x, m); x = exp(x); s = frsum(+0, x); x = fmul(x, recip(s)).
;   in:  d2 = x (MEM, n elements, in place); tmp: d3, d4, d5 (MEM, n elements each)
;   Needs exp.s and recip.s (wm_recip_s). Clobbers r1-r4, r6, r13; returns with `ret`.
wm_softmax:
    mv    r13, ra
    li    r6, 0xFF800000      ; -inf
    frmax r6, d2              ; m
    fsub  d2, d2, r6          ; x - m
    call  wm_exp              ; x = exp(x), in place
    li    r4, 0               ; +0
    frsum r4, d2              ; s
    call  wm_recip_s          ; r4 = recip(s)
    fmul  d2, d2, r4
    jalr  r0, r13, 0
