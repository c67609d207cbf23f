#!/usr/bin/python3
"""Replays a distill student run in PyTorch and compares it step by step.

distill trains its ColBERT and SPLADE students with its own kernels (student/nn)
and optimizer (training/adamw.go). This script is the independent check: it
rebuilds the same student in PyTorch from the run's config, loads the weights
distill started from, feeds the exact batches distill trained on, and runs the
same objective and optimizer with torch's own parts (torch.optim.AdamW,
torch.nn.utils.clip_grad_norm_, autograd). It reports per step the loss distill
computed and the loss torch computes on the same weights, and at the end the
largest differences between distill's final weights and torch's.

    distill student train ... --dropout 0 --steps 5 --out RUN --dump-batches DUMP
    /usr/bin/python3 scripts/torch_train_reference.py DUMP RUN [--float64]

DUMP holds config.json, init.safetensors and step-NNNNNN.safetensors (see
training/dump.go); RUN/step-NNNNNN/model.safetensors is distill's last
checkpoint. --float64 runs the reference in double precision, which measures
distill's float32 round-off against the exact maths. It needs Debian's
python3-torch and numpy; it is never part of `make test`.

What it rebuilds (from student/): BERT embeddings (word + position + type 0,
LayerNorm), post-LN layers with exact-erf GELU; ColBERT: [Q]/[D] markers after
[CLS], queries padded with [MASK] to the query length (attended, all scoring),
document padding and punctuation (skip ids) out of MaxSim, bias-free linear to
dim, L2 normalisation, MaxSim; SPLADE: MLM transform (dense, GELU, LayerNorm),
decoder tied to the word embeddings plus bias, max over tokens of
log(1 + ReLU(logits)), dot product. Objective: Margin-MSE on the teacher
margins, plus for SPLADE λ_q(t)·FLOPS(w_q) + λ_d(t)·FLOPS(w_d) with the
quadratic warm-up λ·min(1, t/T)². Optimiser: global-norm clipping, AdamW with
decay on matrices only (not biases or LayerNorm), the learning-rate schedule
(linear, cosine or constant after a linear warm-up).
"""
import argparse
import json
import math
import os
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F


def read_safetensors(path):
    """Returns ({name: np.ndarray float32}, metadata) of an F32 safetensors file."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    meta = header.pop("__metadata__", {}) or {}
    base = 8 + n
    out = {}
    for name, info in header.items():
        if info["dtype"] != "F32":
            raise SystemExit(f"{path}: tensor {name} is {info['dtype']}, want F32")
        lo, hi = info["data_offsets"]
        out[name] = np.frombuffer(data[base + lo:base + hi], dtype="<f4").reshape(info["shape"]).copy()
    return out, meta


class Student(torch.nn.Module):
    """A distill ColBERT or SPLADE student with distill's parameter names."""

    def __init__(self, cfg, weights, dtype):
        super().__init__()
        self.kind = cfg["student"]["kind"]
        self.sc = cfg["student"][self.kind]
        self.enc = self.sc["encoder"]
        self.names = sorted(weights)
        self.p = torch.nn.ParameterDict()
        for name in self.names:
            self.p[name.replace(".", "/")] = torch.nn.Parameter(torch.tensor(weights[name], dtype=dtype))
        self.skip = set(self.sc.get("skip_ids") or [])

    def w(self, name):
        return self.p[name.replace(".", "/")]

    def linear(self, name, x, bias=True):
        return F.linear(x, self.w(name + ".weight"), self.w(name + ".bias") if bias else None)

    def layer_norm(self, name, x):
        return F.layer_norm(x, (x.shape[-1],), self.w(name + ".weight"), self.w(name + ".bias"), self.enc["layer_norm_eps"])

    def encode(self, ids, attn):
        """ids, attn [B, S] → last hidden states [B, S, H]."""
        B, S = ids.shape
        x = (self.w("bert.embeddings.word_embeddings.weight")[ids]
             + self.w("bert.embeddings.position_embeddings.weight")[:S].unsqueeze(0)
             + self.w("bert.embeddings.token_type_embeddings.weight")[0])
        x = self.layer_norm("bert.embeddings.LayerNorm", x)
        H, heads = self.enc["hidden_size"], self.enc["num_attention_heads"]
        d = H // heads
        keymask = torch.zeros(B, 1, 1, S, dtype=x.dtype).masked_fill(attn[:, None, None, :] == 0, float("-inf"))
        for i in range(self.enc["num_hidden_layers"]):
            pre = f"bert.encoder.layer.{i}"
            split = lambda t: t.view(B, S, heads, d).transpose(1, 2)  # noqa: E731
            q = split(self.linear(pre + ".attention.self.query", x))
            k = split(self.linear(pre + ".attention.self.key", x))
            v = split(self.linear(pre + ".attention.self.value", x))
            a = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d) + keymask, dim=-1)
            ctx = (a @ v).transpose(1, 2).reshape(B, S, H)
            x = self.layer_norm(pre + ".attention.output.LayerNorm", self.linear(pre + ".attention.output.dense", ctx) + x)
            h = F.gelu(self.linear(pre + ".intermediate.dense", x))
            x = self.layer_norm(pre + ".output.LayerNorm", self.linear(pre + ".output.dense", h) + x)
        return x

    # ColBERT -------------------------------------------------------------
    def with_marker(self, row, n, marker, limit):
        out = [row[0], marker] + list(row[1:n])
        if len(out) > limit:
            out = out[:limit - 1] + [out[-1]]
        return out

    def colbert_side(self, ids, mask, query):
        c = self.sc
        L = c["query_length"] if query else min(ids.shape[1] + 1, self.enc["max_position_embeddings"])
        rows, attn, score = [], [], []
        for r, m in zip(ids.tolist(), mask.tolist()):
            toks = self.with_marker([int(t) for t in r], max(int(sum(v != 0 for v in m)), 1),
                                    c["query_marker_id"] if query else c["doc_marker_id"], L)
            if query:
                fill = c["mask_id"]
                a = [1 if (j < len(toks) or c["attend_to_mask_tokens"]) else 0 for j in range(L)]
                s = [1] * L
            else:
                fill = c["pad_id"]
                a = [1 if j < len(toks) else 0 for j in range(L)]
                s = [1 if j < len(toks) and toks[j] not in self.skip else 0 for j in range(L)]
            rows.append(toks + [fill] * (L - len(toks)))
            attn.append(a)
            score.append(s)
        return torch.tensor(rows), torch.tensor(attn), torch.tensor(score)

    def colbert_tokens(self, ids, attn):
        h = self.encode(ids, attn)
        return F.normalize(self.linear("linear", h, bias=False), dim=-1, eps=1e-12)

    def colbert(self, b):
        qi, qa, qs = self.colbert_side(b["query_ids"], b["query_mask"], True)
        docs = np.concatenate([b["pos_ids"], b["neg_ids"]])
        dmask = np.concatenate([b["pos_mask"], b["neg_mask"]])
        di, da, ds = self.colbert_side(docs, dmask, False)
        qe, de = self.colbert_tokens(qi, qa), self.colbert_tokens(di, da)
        B = qe.shape[0]

        def maxsim(d, dscore):
            sim = qe @ d.transpose(-1, -2)  # [B, Lq, Ld]
            sim = sim.masked_fill(dscore[:, None, :] == 0, float("-inf"))
            best = sim.max(dim=-1).values
            best = torch.where(torch.isinf(best), torch.zeros_like(best), best)  # no document token: adds 0
            return (best * qs).sum(-1)

        return maxsim(de[:B], ds[:B]), maxsim(de[B:], ds[B:]), None, None

    # SPLADE --------------------------------------------------------------
    def splade_weights(self, ids, mask):
        h = self.encode(ids, mask)
        h = F.gelu(self.linear("cls.predictions.transform.dense", h))
        h = self.layer_norm("cls.predictions.transform.LayerNorm", h)
        logits = h @ self.w("bert.embeddings.word_embeddings.weight").T + self.w("cls.predictions.bias")
        w = torch.log1p(torch.relu(logits)) * mask[:, :, None].to(h.dtype)
        return w.max(dim=1).values  # [B, V]

    def splade(self, b):
        qi, qm = torch.tensor(b["query_ids"]), torch.tensor(b["query_mask"])
        di = torch.tensor(np.concatenate([b["pos_ids"], b["neg_ids"]]))
        dm = torch.tensor(np.concatenate([b["pos_mask"], b["neg_mask"]]))
        wq, wd = self.splade_weights(qi, qm), self.splade_weights(di, dm)
        B = wq.shape[0]
        return (wq * wd[:B]).sum(-1), (wq * wd[B:]).sum(-1), wq, wd

    def scores(self, b):
        return self.colbert(b) if self.kind == "colbert" else self.splade(b)


def flops(w):
    return (w.abs().mean(dim=0) ** 2).sum()


def lr_at(tc, step):
    """training.Config.lrAt."""
    peak, total = tc["lr"], tc["steps"]
    warmup = tc["warmup_steps"] if tc["warmup_steps"] >= 0 else total // 10
    if step <= warmup and warmup > 0:
        return peak * step / warmup
    sched = tc.get("lr_schedule") or "linear"
    if sched == "constant" or total <= warmup:
        return peak
    if sched == "cosine":
        progress = min(1.0, (step - warmup - 1) / (total - warmup))
        return peak * 0.5 * (1 + math.cos(math.pi * progress))
    return peak * max(0.0, (total - step + 1) / (total - warmup))


def lambdas_at(tc, step):
    """losses.FLOPSSchedule.Lambda with training.Config.flopsSchedule."""
    T = tc["flops_warmup"] if tc["flops_warmup"] >= 0 else tc["steps"] // 3
    f = 1.0 if T <= 0 else (0.0 if step <= 0 else min(1.0, step / T) ** 2)
    return tc["lambda_q"] * f, tc["lambda_d"] * f


def replay(cfg, init, steps_dir, steps, dtype, verbose):
    """Runs the dumped steps from init in dtype; returns the model and the worst loss and norm differences."""
    tc = cfg["training"]
    model = Student(cfg, init, dtype)
    decay = [model.w(n) for n in model.names if init[n].ndim > 1]
    nodecay = [model.w(n) for n in model.names if init[n].ndim <= 1]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": tc["weight_decay"]},
                             {"params": nodecay, "weight_decay": 0.0}],
                            lr=tc["lr"], betas=(tc["adam_beta1"], tc["adam_beta2"]), eps=tc["adam_eps"])
    if verbose:
        print(f"{'step':>4} {'lr':>11} {'distill loss':>14} {'torch loss':>14} {'rel diff':>9} "
              f"{'distill |g|':>12} {'torch |g|':>12} {'rel diff':>9}")
    worst_loss = worst_norm = 0.0
    for name in steps:
        b, meta = read_safetensors(os.path.join(steps_dir, name))
        step = int(meta["step"])
        for k in ("query_ids", "pos_ids", "neg_ids", "query_mask", "pos_mask", "neg_mask"):
            b[k] = b[k].astype(np.int64)
        lr = lr_at(tc, step)
        lq, ld = lambdas_at(tc, step)
        for what, mine, theirs in (("lr", lr, float(meta["lr"])), ("lambda_q", lq, float(meta["lambda_q"])),
                                   ("lambda_d", ld, float(meta["lambda_d"]))):
            if abs(mine - theirs) > 1e-15 * max(1.0, abs(theirs)):
                raise SystemExit(f"step {step}: {what} {theirs!r} in distill, {mine!r} here")
        opt.zero_grad()
        s_pos, s_neg, wq, wd = model.scores(b)
        margins = torch.tensor(b["margins"], dtype=dtype)
        loss = ((s_pos - s_neg - margins) ** 2).mean()
        if wq is not None and (tc["lambda_q"] > 0 or tc["lambda_d"] > 0):
            loss = loss + lq * flops(wq) + ld * flops(wd)
        loss.backward()
        params = list(model.parameters())
        if tc["clip_norm"] > 0:
            norm = float(torch.nn.utils.clip_grad_norm_(params, tc["clip_norm"]))
        else:
            norm = float(torch.sqrt(sum((p.grad.double() ** 2).sum() for p in params)))
        for g in opt.param_groups:
            g["lr"] = lr
        opt.step()
        go_loss, go_norm = float(meta["loss"]), float(meta["grad_norm"])
        rl = abs(loss.item() - go_loss) / max(abs(go_loss), 1e-30)
        rn = abs(norm - go_norm) / max(abs(go_norm), 1e-30)
        worst_loss, worst_norm = max(worst_loss, rl), max(worst_norm, rn)
        if verbose:
            print(f"{step:4d} {lr:11.4e} {go_loss:14.8g} {loss.item():14.8g} {rl:9.2e} {go_norm:12.6g} {norm:12.6g} {rn:9.2e}")
    return model, worst_loss, worst_norm


def weights_of(model):
    return {n: model.w(n).detach().double().numpy() for n in model.names}


def compare(a, b, init):
    """Max |a − b| over all weights (and where), that over the largest change of a weight from
    init, the 99.9th percentile of |a − b| and the share of weights more than 1e-6 apart."""
    worst, where, moved = 0.0, "", 0.0
    diffs = []
    for n in a:
        d = np.abs(a[n] - b[n]).ravel()
        diffs.append(d)
        moved = max(moved, float(np.abs(b[n] - init[n]).max()))
        if d.max() > worst:
            worst, where = float(d.max()), n
    d = np.concatenate(diffs)
    return worst, where, worst / max(moved, 1e-30), moved, float(np.percentile(d, 99.9)), float((d > 1e-6).mean())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dump", help="the --dump-batches folder")
    ap.add_argument("run", help="the run folder (its last step checkpoint holds distill's final weights)")
    ap.add_argument("--float64", action="store_true",
                    help="also replay in double precision: the exact maths, against which both float32 runs are measured")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)

    with open(os.path.join(args.dump, "config.json")) as f:
        cfg = json.load(f)
    tc = cfg["training"]
    kind = cfg["student"]["kind"]
    if kind not in ("colbert", "splade"):
        raise SystemExit(f"student kind {kind!r}: the reference covers colbert and splade")
    if tc["loss"] != "marginmse":
        raise SystemExit(f"loss {tc['loss']!r}: the reference replays marginmse (+ FLOPS for SPLADE)")
    if tc.get("dropout", 0):
        raise SystemExit("the run used dropout; train the reference run with --dropout 0")
    init, _ = read_safetensors(os.path.join(args.dump, "init.safetensors"))
    steps = sorted(f for f in os.listdir(args.dump) if f.startswith("step-") and f.endswith(".safetensors"))
    if not steps:
        raise SystemExit(f"{args.dump}: no step-*.safetensors")
    last = int(steps[-1][5:11])
    final_path = os.path.join(args.run, f"step-{last:06d}", "model.safetensors")
    final, _ = read_safetensors(final_path)
    final = {n: v.astype(np.float64) for n, v in final.items()}
    init64 = {n: v.astype(np.float64) for n, v in init.items()}

    print(f"{kind} student, {len(init)} tensors, {sum(v.size for v in init.values())} parameters, {len(steps)} steps "
          f"(lr {tc['lr']:g}, {tc.get('lr_schedule') or 'linear'} schedule), distill's final weights {final_path}")
    print("\nreplay in float32:")
    m32, l32, n32 = replay(cfg, init, args.dump, steps, torch.float32, True)
    w32 = weights_of(m32)
    rows = [("distill vs torch float32", l32, n32, compare(final, w32, init64))]
    if args.float64:
        print("\nreplay in float64:")
        m64, l64, n64 = replay(cfg, init, args.dump, steps, torch.float64, True)
        w64 = weights_of(m64)
        rows.append(("distill vs torch float64", l64, n64, compare(final, w64, init64)))
        rows.append(("torch float32 vs float64", float("nan"), float("nan"), compare(w32, w64, init64)))
    print(f"\n{'':26} {'loss rel':>9} {'|g| rel':>9} {'weights max abs':>16} {'/ largest update':>17} "
          f"{'99.9th pct':>11} {'> 1e-6':>8}  (tensor of the max)")
    for what, rl, rn, (worst, where, ratio, moved, p999, share) in rows:
        print(f"{what:26} {rl:9.2e} {rn:9.2e} {worst:16.2e} {ratio:17.2e} {p999:11.2e} {share:8.2%}  ({where})")
    print(f"(the largest change of any weight over the {len(steps)} steps: {rows[0][3][3]:.2e})")


if __name__ == "__main__":
    main()
