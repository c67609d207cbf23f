"""PyTorch CPU reference for `make bench-teacher`: the same MiniLM-L6-shaped
cross-encoder (weights written by Go) on the same length-sorted batches.

    go run ./internal/cmd/benchteacher -dump /tmp/bt      # writes weights + batches
    /usr/bin/python3 scripts/bench_torch_teacher.py /tmp/bt

Needs Debian's python3-torch (PyTorch 1.13) and numpy; never a test
dependency. The model is the BertForSequenceClassification mirror in
bertonnx/testdata/torch_export.py (load_state_dict strict=True), run under
torch.inference_mode() at 1 and 2 intra-op threads; it also checks that the
logits equal ONNX Runtime's (recorded by the Go side) to 1e-3.
"""

import json
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "bertonnx", "testdata"))
from torch_export import BertForSequenceClassification, read_safetensors  # noqa: E402


def main(src):
    with open(os.path.join(src, "config.json")) as f:
        cfg = json.load(f)
    model = BertForSequenceClassification(cfg)
    model.load_state_dict(read_safetensors(os.path.join(src, "model.safetensors")), strict=True)
    model.eval()
    with open(os.path.join(src, "batches.json")) as f:
        batches = json.load(f)
    tensors = [
        tuple(torch.tensor(b[k], dtype=torch.int64) for k in ("input_ids", "attention_mask", "token_type_ids"))
        for b in batches
    ]
    pairs = sum(len(b["input_ids"]) for b in batches)
    for threads in (1, 2):
        torch.set_num_threads(threads)
        with torch.inference_mode():
            model(*tensors[len(tensors) // 2])  # warm-up
            t0 = time.perf_counter()
            outs = [model(*t) for t in tensors]
            el = time.perf_counter() - t0
        got = np.concatenate([o[:, 0].numpy() for o in outs])
        want = np.concatenate([np.array(b["ort_scores"], dtype=np.float32) for b in batches])
        diff = float(np.max(np.abs(got - want)))
        print(f"{threads}\tPyTorch {torch.__version__}, sorted batches\t{pairs / el:.1f} pairs/s\tmax |torch - ORT| = {diff:.2g}")
        assert diff < 1e-3, diff


if __name__ == "__main__":
    main(sys.argv[1])
