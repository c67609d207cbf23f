"""Export a Tiny BERT cross-encoder with real PyTorch, to check that
bertonnx writes models shaped like real exports (TestTorchExport).

The weights come from Go, so Go can recompute every number:

    go run ./internal/cmd/mkcrossencoder -preset tiny -seed 1 -labels 1 -safetensors -out /tmp/tiny
    /usr/bin/python3 bertonnx/testdata/torch_export.py /tmp/tiny bertonnx/testdata/torch_tiny

Needs torch (Debian: apt-get install python3-torch, PyTorch 1.13) and numpy;
not transformers: the module below mirrors BertForSequenceClassification
(same parameter names, load_state_dict(strict=True)), with the attention
mask as transformers builds it, (1 - mask) * finfo(float32).min, and exact
(erf) GELU. Writes OUT/model.onnx (torch.onnx.export, opset 14, dynamic
batch_size and sequence_length) and OUT/expected.json (the pairs and the
logits torch computed for them).
"""

import json
import math
import os
import struct
import sys

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n])
    body = data[8 + n :]
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        assert e["dtype"] == "F32", (name, e["dtype"])
        begin, end = e["data_offsets"]
        arr = np.frombuffer(body[begin:end], dtype="<f4").reshape(e["shape"])
        out[name] = torch.from_numpy(arr.copy())
    return out


class Embeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        h = c["hidden_size"]
        self.word_embeddings = nn.Embedding(c["vocab_size"], h)
        self.position_embeddings = nn.Embedding(c["max_position_embeddings"], h)
        self.token_type_embeddings = nn.Embedding(c["type_vocab_size"], h)
        self.LayerNorm = nn.LayerNorm(h, eps=c["layer_norm_eps"])
        # As transformers: a non-persistent buffer, sliced to the sequence length.
        self.register_buffer(
            "position_ids", torch.arange(c["max_position_embeddings"]).expand((1, -1)), persistent=False
        )

    def forward(self, input_ids, token_type_ids):
        seq_len = input_ids.size(1)
        pos = self.position_ids[:, :seq_len]
        x = self.word_embeddings(input_ids) + self.position_embeddings(pos) + self.token_type_embeddings(token_type_ids)
        return self.LayerNorm(x)


class SelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        h = c["hidden_size"]
        self.heads = c["num_attention_heads"]
        self.head_dim = h // self.heads
        self.query, self.key, self.value = nn.Linear(h, h), nn.Linear(h, h), nn.Linear(h, h)

    def split(self, x):  # [B,S,H] -> [B,h,S,d]
        return x.view(x.size(0), x.size(1), self.heads, self.head_dim).permute(0, 2, 1, 3)

    def forward(self, x, mask):
        q, k, v = self.split(self.query(x)), self.split(self.key(x)), self.split(self.value(x))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.head_dim) + mask
        ctx = torch.matmul(F.softmax(scores, dim=-1), v)  # [B,h,S,d]
        ctx = ctx.permute(0, 2, 1, 3).contiguous()
        return ctx.view(ctx.size(0), ctx.size(1), -1)  # [B,S,H]


class DenseNorm(nn.Module):  # BertSelfOutput / BertOutput
    def __init__(self, n_in, c):
        super().__init__()
        self.dense = nn.Linear(n_in, c["hidden_size"])
        self.LayerNorm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])

    def forward(self, x, residual):
        return self.LayerNorm(self.dense(x) + residual)


class Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.self = SelfAttention(c)
        self.output = DenseNorm(c["hidden_size"], c)

    def forward(self, x, mask):
        return self.output(self.self(x, mask), x)


class Intermediate(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["hidden_size"], c["intermediate_size"])

    def forward(self, x):
        return F.gelu(self.dense(x))


class Layer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.attention = Attention(c)
        self.intermediate = Intermediate(c)
        self.output = DenseNorm(c["intermediate_size"], c)

    def forward(self, x, mask):
        a = self.attention(x, mask)
        return self.output(self.intermediate(a), a)


class Encoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.layer = nn.ModuleList([Layer(c) for _ in range(c["num_hidden_layers"])])

    def forward(self, x, mask):
        for layer in self.layer:
            x = layer(x, mask)
        return x


class Pooler(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["hidden_size"], c["hidden_size"])

    def forward(self, x):
        return torch.tanh(self.dense(x[:, 0]))


class Bert(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embeddings = Embeddings(c)
        self.encoder = Encoder(c)
        self.pooler = Pooler(c)

    def forward(self, input_ids, attention_mask, token_type_ids):
        mask = attention_mask[:, None, None, :].to(torch.float32)  # [B,1,1,S]
        mask = (1.0 - mask) * torch.finfo(torch.float32).min
        return self.pooler(self.encoder(self.embeddings(input_ids, token_type_ids), mask))


class BertForSequenceClassification(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.bert = Bert(c)
        self.classifier = nn.Linear(c["hidden_size"], c["num_labels"])

    def forward(self, input_ids, attention_mask, token_type_ids):
        return self.classifier(self.bert(input_ids, attention_mask, token_type_ids))


# Query–document pairs as uncased WordPiece ids, without [CLS]/[SEP].
PAIRS = [
    ([2054, 2003, 1037, 4937], [1037, 4937, 2003, 2019, 4111, 1012]),  # what is a cat / a cat is an animal.
    ([2129, 4206, 2003, 4057, 23914], [4057, 23914, 2003, 6070, 2620, 5563, 1012]),
    ([3007, 1997, 2605], [3000, 2003, 1996, 3007, 1997, 2605, 1012, 2009, 2003, 2200, 2502, 1012]),
    ([7570], [2204]),
]


def encode(pairs, length):
    ids, types, mask = [], [], []
    for q, d in pairs:
        row = [101] + q + [102] + d + [102]
        tt = [0] * (len(q) + 2) + [1] * (len(d) + 1)
        pad = length - len(row)
        ids.append(row + [0] * pad)
        types.append(tt + [0] * pad)
        mask.append([1] * len(row) + [0] * pad)
    return ids, types, mask


def main(src, out):
    with open(os.path.join(src, "config.json")) as f:
        cfg = json.load(f)
    model = BertForSequenceClassification(cfg)
    model.load_state_dict(read_safetensors(os.path.join(src, "model.safetensors")), strict=True)
    model.eval()

    length = max(len(q) + len(d) + 3 for q, d in PAIRS)
    ids, types, mask = encode(PAIRS, length)
    args = tuple(torch.tensor(x, dtype=torch.int64) for x in (ids, mask, types))
    with torch.no_grad():
        logits = model(*args)

    os.makedirs(out, exist_ok=True)
    axes = {0: "batch_size", 1: "sequence_length"}
    torch.onnx.export(
        model,
        args,
        os.path.join(out, "model.onnx"),
        input_names=["input_ids", "attention_mask", "token_type_ids"],
        output_names=["logits"],
        dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes, "logits": {0: "batch_size"}},
        opset_version=14,
        do_constant_folding=True,
    )
    expected = {
        "torch_version": torch.__version__,
        "config": cfg,
        "input_ids": ids,
        "attention_mask": mask,
        "token_type_ids": types,
        "logits": [[float(v) for v in row] for row in logits.tolist()],
    }
    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
