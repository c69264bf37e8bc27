; wm_rope: rotate the pairs (x0, x1) of one head in place by the table (c, s)
; (docs/isa.md section 7): x0' = sub(mul(x0, c), mul(x1, s)), x1' = add(mul(x0, s), mul(x1, c)).
;   in:  d1 = x0 (even elements: stride 2), d2 = x1 (odd elements: stride 2), n pairs
;        d3 = c, d4 = s (MEM, n elements each)
;   tmp: d5, d6 (MEM, n elements each); all disjoint except d1/d2 interleaved.
;   Returns with `ret`.
wm_rope:
    fmul  d5, d1, d3          ; mul(x0, c)
    fmul  d6, d2, d4          ; mul(x1, s)
    fsub  d5, d5, d6          ; x0'
    fmul  d6, d1, d4          ; mul(x0, s)
    fmov  d1, d5              ; x0 = x0'
    fmul  d5, d2, d3          ; mul(x1, c)
    fadd  d2, d6, d5          ; x1' = add(mul(x0, s), mul(x1, c))
    ret
