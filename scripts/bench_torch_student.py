#!/usr/bin/env python3
"""PyTorch reference for `make bench-student`: the same training step in PyTorch.

The student encoder of distill (BERT: 4 layers, hidden 256, 4 heads, FFN 1024,
vocabulary 30,522), 32 triples, queries of 32 tokens and documents of 128
tokens, Margin-MSE loss, gradient clipping and AdamW, for the ColBERT student
(projection to 128, L2 normalisation, MaxSim) and the SPLADE student (MLM
head tied to the word embeddings, log(1 + ReLU), max over tokens, dot
product). GEMM GFLOP/step is the same analytic count as student/bench_test.go,
and the SGEMM rate is torch.mm on 2048x2048 float32 matrices at the same
thread count, so the ratio compares with distill's.

Usage: bench_torch_student.py [--threads 2[,16]] [--arch colbert,splade] [--steps 3]
Runs with Debian's torch 1.13 (generic BLAS: for correctness, not speed) and
with PyTorch 2.x.
"""
import argparse
import math
import resource
import sys
import time

import torch
import torch.nn.functional as F

V, H, LAYERS, HEADS, FFN, MAXPOS = 30522, 256, 4, 4, 1024, 512
B, LQ, LD, DIM = 32, 32, 128, 128


class Layer(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.q, self.k, self.v, self.o = (torch.nn.Linear(H, H) for _ in range(4))
        self.ln1, self.ln2 = torch.nn.LayerNorm(H, eps=1e-12), torch.nn.LayerNorm(H, eps=1e-12)
        self.ff1, self.ff2 = torch.nn.Linear(H, FFN), torch.nn.Linear(FFN, H)

    def forward(self, x, bias):
        n, s, _ = x.shape
        d = H // HEADS
        split = lambda t: t.view(n, s, HEADS, d).transpose(1, 2)
        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        if hasattr(F, "scaled_dot_product_attention"):
            c = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)
        else:
            a = q @ k.transpose(-1, -2) / math.sqrt(d) + bias
            c = a.softmax(-1) @ v
        c = c.transpose(1, 2).reshape(n, s, H)
        x = self.ln1(x + self.o(c))
        return self.ln2(x + self.ff2(F.gelu(self.ff1(x))))


class Encoder(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.word = torch.nn.Embedding(V, H)
        self.pos = torch.nn.Embedding(MAXPOS, H)
        self.typ = torch.nn.Embedding(2, H)
        self.ln = torch.nn.LayerNorm(H, eps=1e-12)
        self.layers = torch.nn.ModuleList(Layer() for _ in range(LAYERS))

    def forward(self, ids, mask):
        s = ids.shape[1]
        x = self.word(ids) + self.pos.weight[:s] + self.typ.weight[0]
        x = self.ln(x)
        bias = (1.0 - mask[:, None, None, :]) * torch.finfo(torch.float32).min
        for layer in self.layers:
            x = layer(x, bias)
        return x


class ColBERT(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = Encoder()
        self.proj = torch.nn.Linear(H, DIM, bias=False)

    def tokens(self, ids, mask):
        return F.normalize(self.proj(self.enc(ids, mask)), dim=-1)

    def scores(self, q, qm, d, dm):
        qe, de = self.tokens(q, qm), self.tokens(d, dm)
        sim = torch.einsum("bid,bjd->bij", qe.repeat(2, 1, 1), de)
        sim = sim.masked_fill(dm[:, None, :] == 0, -1e4)
        s = sim.max(-1).values.sum(-1)
        return s[:B], s[B:]


class SPLADE(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = Encoder()
        self.dense = torch.nn.Linear(H, H)
        self.ln = torch.nn.LayerNorm(H, eps=1e-12)
        self.bias = torch.nn.Parameter(torch.zeros(V))

    def weights(self, ids, mask):
        h = self.ln(F.gelu(self.dense(self.enc(ids, mask))))
        logits = h @ self.enc.word.weight.t() + self.bias  # [n, s, V]
        w = torch.log1p(torch.relu(logits)) * mask[:, :, None]
        return w.max(1).values

    def scores(self, q, qm, d, dm):
        wq, wd = self.weights(q, qm), self.weights(d, dm)
        return (wq * wd[:B]).sum(-1), (wq * wd[B:]).sum(-1)


def encoder_flops(n, s):
    tok = n * s
    return LAYERS * (tok * 2 * (4 * H * H + 2 * H * FFN) + n * 2 * 2 * s * s * H)


def step_flops(arch):
    tok = B * (LQ + 2 * LD)
    fwd = encoder_flops(B, LQ) + encoder_flops(2 * B, LD)
    if arch == "colbert":
        return 3 * (fwd + 2 * tok * H * DIM)
    return 3 * (fwd + tok * 2 * H * H) + tok * 2 * H * V


def sgemm_rate(n=2048, reps=3):
    a, b = torch.rand(n, n), torch.rand(n, n)
    a @ b
    best = float("inf")
    for _ in range(reps):
        t = time.perf_counter()
        a @ b
        best = min(best, time.perf_counter() - t)
    return 2 * n**3 / best / 1e9


def bench(arch, steps):
    torch.manual_seed(1)
    model = ColBERT() if arch == "colbert" else SPLADE()
    decay = [p for p in model.parameters() if p.dim() > 1]
    rest = [p for p in model.parameters() if p.dim() <= 1]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": rest, "weight_decay": 0.0}], lr=1e-4)
    g = torch.Generator().manual_seed(1)
    q = torch.randint(1000, V, (B, LQ), generator=g)
    d = torch.randint(1000, V, (2 * B, LD), generator=g)
    qm, dm = torch.ones(B, LQ), torch.ones(2 * B, LD)
    margins = torch.tensor([float(i % 5 - 2) for i in range(B)])

    def step():
        opt.zero_grad(set_to_none=True)
        sp, sn = model.scores(q, qm, d, dm)
        loss = ((sp - sn - margins) ** 2).mean()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        return loss.item()

    step()  # warm-up
    t = time.perf_counter()
    for _ in range(steps):
        step()
    return (time.perf_counter() - t) / steps


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", default=str(torch.get_num_threads()), help="comma-separated thread counts")
    ap.add_argument("--arch", default="colbert,splade")
    ap.add_argument("--steps", type=int, default=3)
    args = ap.parse_args()
    print(f"PyTorch {torch.__version__}, {args.steps} timed steps after one warm-up")
    print(f"{'arch':>8} {'threads':>7} {'ms/step':>9} {'GFLOP/step':>10} {'GFLOP/s':>8} {'SGEMM GFLOP/s':>13} {'ratio':>6} {'peak RSS MiB':>12}")
    for arch in args.arch.split(","):
        for th in (int(x) for x in args.threads.split(",")):
            torch.set_num_threads(th)
            sec = bench(arch, args.steps)
            gflop = step_flops(arch) / 1e9
            peak = sgemm_rate()
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"{arch:>8} {th:>7} {sec * 1e3:>9.0f} {gflop:>10.1f} {gflop / sec:>8.1f} {peak:>13.1f} {gflop / sec / peak:>6.2f} {rss:>12.0f}")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
