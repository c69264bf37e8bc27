#!/usr/bin/env python3
"""Independent oracle: llama2.c's run.c forward pass transcribed to plain Python (float64),
run on a checkpoint written by wm-genmodel, against wm-refdecode's double logits.

It shares no code with sw/model: it parses the file with `struct` the way run.c maps it and
does the math the way run.c's loops do, so it checks the writer's byte layout, the GQA head
mapping, RoPE and the classifier choice of the C++ reference decoder from outside."""

import argparse
import math
import pathlib
import struct
import subprocess
import sys


def load(path):
    data = pathlib.Path(path).read_bytes()
    dim, hidden, layers, heads, kv_heads, vocab, seq_len = struct.unpack_from("<7i", data, 0)
    shared = vocab > 0
    vocab = abs(vocab)
    head_size = dim // heads
    kv_dim = dim * kv_heads // heads
    off = 28

    def take(n):
        nonlocal off
        vals = struct.unpack_from(f"<{n}f", data, off)
        off += 4 * n
        return list(vals)

    def mats(count, rows, cols):
        flat = take(count * rows * cols)
        return [[flat[(m * rows + r) * cols:(m * rows + r + 1) * cols] for r in range(rows)]
                for m in range(count)]

    w = {}
    w["emb"] = mats(1, vocab, dim)[0]
    w["rms_att"] = [take(dim) for _ in range(layers)]
    w["wq"] = mats(layers, dim, dim)
    w["wk"] = mats(layers, kv_dim, dim)
    w["wv"] = mats(layers, kv_dim, dim)
    w["wo"] = mats(layers, dim, dim)
    w["rms_ffn"] = [take(dim) for _ in range(layers)]
    w["w1"] = mats(layers, hidden, dim)
    w["w2"] = mats(layers, dim, hidden)
    w["w3"] = mats(layers, hidden, dim)
    w["rms_final"] = take(dim)
    off += 2 * 4 * seq_len * (head_size // 2)  # legacy freq_cis_real / imag
    w["wcls"] = w["emb"] if shared else mats(1, vocab, dim)[0]
    if off != len(data):
        sys.exit(f"{path}: parsed {off} bytes of {len(data)}")
    cfg = dict(dim=dim, hidden=hidden, layers=layers, heads=heads, kv_heads=kv_heads,
               vocab=vocab, seq_len=seq_len, head_size=head_size, kv_dim=kv_dim)
    return cfg, w


def rmsnorm(x, weight):
    ss = 0.0
    for v in x:
        ss += v * v
    ss = 1.0 / math.sqrt(ss / len(x) + 1e-5)
    return [weight[j] * (ss * x[j]) for j in range(len(x))]


def matmul(m, x):
    out = []
    for row in m:
        val = 0.0
        for j, wj in enumerate(row):
            val += wj * x[j]
        out.append(val)
    return out


class Run:
    def __init__(self, cfg, w):
        self.c, self.w = cfg, w
        self.key = [[None] * cfg["seq_len"] for _ in range(cfg["layers"])]
        self.value = [[None] * cfg["seq_len"] for _ in range(cfg["layers"])]

    def forward(self, token, pos):
        c, w = self.c, self.w
        hs, kv_mul = c["head_size"], c["heads"] // c["kv_heads"]
        x = list(w["emb"][token])
        for l in range(c["layers"]):
            xb = rmsnorm(x, w["rms_att"][l])
            q = matmul(w["wq"][l], xb)
            k = matmul(w["wk"][l], xb)
            v = matmul(w["wv"][l], xb)
            for i in range(0, c["dim"], 2):
                head_dim = i % hs
                freq = 1.0 / math.pow(10000.0, head_dim / hs)
                val = pos * freq
                fcr, fci = math.cos(val), math.sin(val)
                for vec in ([q, k] if i < c["kv_dim"] else [q]):
                    v0, v1 = vec[i], vec[i + 1]
                    vec[i] = v0 * fcr - v1 * fci
                    vec[i + 1] = v0 * fci + v1 * fcr
            self.key[l][pos], self.value[l][pos] = k, v
            xb = [0.0] * c["dim"]
            for h in range(c["heads"]):
                base = (h // kv_mul) * hs
                att = []
                for t in range(pos + 1):
                    kt = self.key[l][t]
                    score = 0.0
                    for i in range(hs):
                        score += q[h * hs + i] * kt[base + i]
                    att.append(score / math.sqrt(hs))
                top = max(att)
                att = [math.exp(a - top) for a in att]
                total = sum(att)
                att = [a / total for a in att]
                for t in range(pos + 1):
                    vt = self.value[l][t]
                    for i in range(hs):
                        xb[h * hs + i] += att[t] * vt[base + i]
            xb2 = matmul(w["wo"][l], xb)
            x = [x[i] + xb2[i] for i in range(c["dim"])]
            xb = rmsnorm(x, w["rms_ffn"][l])
            hb = matmul(w["w1"][l], xb)
            hb2 = matmul(w["w3"][l], xb)
            hb = [hb[i] * (1.0 / (1.0 + math.exp(-hb[i]))) * hb2[i] for i in range(c["hidden"])]
            xb = matmul(w["w2"][l], hb)
            x = [x[i] + xb[i] for i in range(c["dim"])]
        x = rmsnorm(x, w["rms_final"])
        return matmul(w["wcls"], x)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--genmodel", required=True)
    ap.add_argument("--refdecode", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--tolerance", type=float, default=1e-9)
    args = ap.parse_args()
    work = pathlib.Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    worst = 0.0
    cases = {"gqa_separate": ["--classifier", "separate"], "gqa_shared": ["--classifier", "shared"]}
    for name, extra in cases.items():
        model, dump = work / f"{name}.bin", work / f"{name}.logits"
        subprocess.run([args.genmodel, "--out", str(model), "--dim", "32", "--hidden-dim", "48",
                        "--heads", "4", "--kv-heads", "2", "--vocab", "64", "--seq-len", "16",
                        "--seed", "5", *extra], check=True, stdout=subprocess.DEVNULL)
        subprocess.run([args.refdecode, "--model", str(model), "--precision", "double",
                        "--prompt", "3,7", "--tokens", "6", "--dump-logits", str(dump)],
                       check=True, stdout=subprocess.DEVNULL)
        cfg, w = load(model)
        run = Run(cfg, w)
        steps, case_worst = 0, 0.0
        for line in dump.read_text().splitlines():
            if line.startswith("#"):
                continue
            pos, token, _, *logits = line.split()
            mine = run.forward(int(token), int(pos))
            diff = max(abs(float(a) - b) for a, b in zip(logits, mine))
            case_worst = max(case_worst, diff)
            steps += 1
        worst = max(worst, case_worst)
        print(f"{name}: {steps} positions, max |logit difference| {case_worst:.3g}")
        if steps != 7:
            sys.exit(f"{name}: expected 7 positions in {dump}, got {steps}")
    if worst > args.tolerance:
        sys.exit(f"run.c transcription and ReferenceDecoder differ by {worst:.3g} "
                 f"> {args.tolerance:g}")
    print("run.c transcription agrees with the double reference decoder")


if __name__ == "__main__":
    main()
