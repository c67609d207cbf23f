#!/usr/bin/env bash
# Label a large candidate set on a Slurm job array: one shard per array task.
#
#   sbatch deploy/slurm-array.sh            # 8 tasks, 0..7
#   distill labels merge "$OUT"             # once every task has finished
#
# `distill teacher label` reads SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT
# and labels its deterministic share of the queries into
# $OUT/shard-0000i-of-00008/. Resubmitting a failed task (sbatch --array=5 ...)
# resumes that shard where it stopped.
#SBATCH --job-name=distill-label
#SBATCH --array=0-7
#SBATCH --cpus-per-task=8
#SBATCH --mem=16G
#SBATCH --time=12:00:00
#SBATCH --output=logs/distill-label-%A_%a.out
set -euo pipefail

MODEL=${MODEL:-models/cross-encoder/model.onnx}
TOKENIZER=${TOKENIZER:-models/cross-encoder/tokenizer.json}
DATASET=${DATASET:-data/msmarco}
CANDIDATES=${CANDIDATES:-runs/bm25-top100.run}
OUT=${OUT:-labels/msmarco}

srun distill teacher label \
  --model "$MODEL" --tokenizer "$TOKENIZER" \
  --dataset "$DATASET" --candidates "$CANDIDATES" \
  --out "$OUT" --max-length 256 --batch-size 32 \
  --threads "${SLURM_CPUS_PER_TASK:-8}" --log-format json
