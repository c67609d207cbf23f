#!/usr/bin/env bash
# make demo: the whole distill pipeline on the Cranfield collection shipped in data/.
#
# No pretrained cross-encoder can be downloaded here, so the demo trains its own domain
# teacher first, exports it to ONNX and uses it like any Hugging Face cross-encoder:
#
#   1. convert Cranfield (SMART) to BEIR; split the queries 80/20 into train and test
#      (seeded hash of the query id; training holds out a further 25% of train as validation)
#   2. BM25 top 100 for every query (stage 1, hard negatives)
#   3. fine-tune a BERT cross-encoder on the train judgements, export it to ONNX
#   4. label the BM25 candidates of train and test queries with the ONNX teacher
#   5. train ColBERT and SPLADE students on the labels with Margin-MSE, and their twins:
#      the same students on the judgements alone (pairwise CE: the no-teacher baseline) and
#      untrained (0 steps); all start from the same weights ($STUDENT_INIT)
#   6. distill compare on the test queries: BM25, the teacher as reranker, each student as
#      reranker of the same BM25 candidates, as first stage, and as first stage + teacher;
#      the report lands in $OUT/report
#
# Sizes are environment variables (defaults: ~11 minutes on 2 idle cores); users with
# more time raise them, e.g. TEACHER_STEPS=3000 STUDENT_STEPS=5000 make demo. DEMO_OUT
# moves the output, DEMO_QUERIES=N keeps N train queries (and N/4 test queries).
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=${DEMO_OUT:-demo-out}
DISTILL=${DISTILL:-bin/distill}
TOKENIZER=data/tokenizers/bert-base-uncased/tokenizer.json
SEED=${SEED:-1}
THREADS=${THREADS:-$(nproc)}

TEACHER_LAYERS=${TEACHER_LAYERS:-2}
TEACHER_HIDDEN=${TEACHER_HIDDEN:-128}
TEACHER_HEADS=${TEACHER_HEADS:-4}
TEACHER_FFN=${TEACHER_FFN:-512}
TEACHER_STEPS=${TEACHER_STEPS:-300}
TEACHER_LR=${TEACHER_LR:-3e-4}

STUDENT_LAYERS=${STUDENT_LAYERS:-2}
STUDENT_HIDDEN=${STUDENT_HIDDEN:-128}
STUDENT_HEADS=${STUDENT_HEADS:-4}
STUDENT_FFN=${STUDENT_FFN:-512}
STUDENT_STEPS=${STUDENT_STEPS:-300}
SPLADE_STEPS=${SPLADE_STEPS:-150}
STUDENT_LR=${STUDENT_LR:-3e-4}
STUDENT_SCHEDULE=${STUDENT_SCHEDULE:-linear}
# Where the students start: "teacher" (its fine-tuned encoder, from the exported ONNX model:
# embeddings and layers carry over when the sizes match), "none" (random weights), or a path.
STUDENT_INIT=${STUDENT_INIT:-teacher}
DEPTH=${DEPTH:-100}

log() { printf '\n== %s\n' "$*"; }
trap 'echo "demo stopped: the step above failed (if it says the configuration differs, you changed a size other than *_STEPS: use a new DEMO_OUT, or delete $OUT)" >&2' ERR
start=$(date +%s)
mkdir -p "$OUT"
# Running the demo again continues where it stopped: every write is atomic, labelling resumes
# its finished chunks, and training resumes from the run's latest checkpoint (a finished run
# is a no-op; raising *_STEPS trains it further).

log "1. Cranfield → BEIR, train/test split"
"$DISTILL" datasets convert --from cranfield data/cranfield --out "$OUT/cranfield"
"$DISTILL" datasets split --queries "$OUT/cranfield/queries.jsonl" --out "$OUT/splits" --parts train:0.8,test:0.2 --seed "$SEED"
if [ -n "${DEMO_QUERIES:-}" ]; then # a tiny slice, for the end-to-end test
  for split in train test; do
    n=$DEMO_QUERIES; [ "$split" = test ] && n=$(( (DEMO_QUERIES + 3) / 4 ))
    head -n "$n" "$OUT/splits/queries-$split.jsonl" > "$OUT/splits/.q" && mv "$OUT/splits/.q" "$OUT/splits/queries-$split.jsonl"
  done
fi
CORPUS=$OUT/cranfield/corpus.jsonl
QRELS=$OUT/cranfield/qrels/test.tsv
TRAIN=$OUT/splits/queries-train.jsonl
TEST=$OUT/splits/queries-test.jsonl

log "2. BM25 top $DEPTH (stage 1)"
"$DISTILL" bm25 --queries "$TRAIN" --corpus "$CORPUS" --depth "$DEPTH" --out "$OUT/bm25-train.run"
"$DISTILL" bm25 --queries "$TEST" --corpus "$CORPUS" --depth "$DEPTH" --out "$OUT/bm25-test.run"
"$DISTILL" eval --run "$OUT/bm25-test.run" --qrels "$QRELS" --measures MRR@10,nDCG@10,R@100

log "3. Fine-tune the teacher cross-encoder on the train judgements, export to ONNX"
"$DISTILL" teacher finetune --queries "$TRAIN" --corpus "$CORPUS" --qrels "$QRELS" \
    --candidates "$OUT/bm25-train.run" --depth "$DEPTH" --tokenizer "$TOKENIZER" --out "$OUT/runs/teacher" \
    --layers "$TEACHER_LAYERS" --hidden "$TEACHER_HIDDEN" --heads "$TEACHER_HEADS" --ffn "$TEACHER_FFN" \
    --max-query-length 32 --max-doc-length 160 --negatives 4 --val-fraction 0.25 \
    --steps "$TEACHER_STEPS" --batch-size 16 --lr "$TEACHER_LR" --eval-every 75 --save-every 75 --seed "$SEED" --resume
before=$(sha256sum "$OUT/teacher/model.onnx" 2>/dev/null | cut -d' ' -f1 || true)
"$DISTILL" export onnx --checkpoint "$OUT/runs/teacher/best" --out "$OUT/teacher/model.onnx"
if [ -n "$before" ] && [ "$before" != "$(sha256sum "$OUT/teacher/model.onnx" | cut -d' ' -f1)" ]; then
  # A teacher trained further (TEACHER_STEPS raised) makes its old labels, and every student
  # trained on them, out of date: start those over rather than mix two teachers.
  echo "the teacher changed: relabelling, and training the students again"
  rm -rf "$OUT/labels-train" "$OUT/labels-test" "$OUT"/runs/colbert-* "$OUT"/runs/splade-*
fi

log "4. Label the BM25 candidates with the ONNX teacher"
for split in train test; do
  "$DISTILL" teacher label --model "$OUT/teacher/model.onnx" --tokenizer "$OUT/teacher/tokenizer.json" \
    --queries "$OUT/splits/queries-$split.jsonl" --corpus "$CORPUS" --candidates "$OUT/bm25-$split.run" \
    --max-length 192 --batch-size 32 --threads "$THREADS" --out "$OUT/labels-$split"
done
"$DISTILL" labels inspect "$OUT/labels-train" --bins 10

log "5. Students: distilled with Margin-MSE, on judgements alone, and untrained (init: $STUDENT_INIT)"
init=()
case "$STUDENT_INIT" in
  none) ;;
  teacher)
    if [ "$STUDENT_LAYERS/$STUDENT_HIDDEN/$STUDENT_HEADS/$STUDENT_FFN" = "$TEACHER_LAYERS/$TEACHER_HIDDEN/$TEACHER_HEADS/$TEACHER_FFN" ]; then
      init=(--init-from "$OUT/teacher/model.onnx")
    else
      echo "the students are not the teacher's size: they start from random weights (STUDENT_INIT=none)"
    fi ;;
  *) init=(--init-from "$STUDENT_INIT") ;;
esac
train_student() { # name arch loss steps [extra flags]
  local name=$1 arch=$2 loss=$3 steps=$4; shift 4
  "$DISTILL" student train --arch "$arch" --loss "$loss" --labels "$OUT/labels-train" \
    --queries "$TRAIN" --corpus "$CORPUS" --qrels "$QRELS" --tokenizer "$TOKENIZER" --out "$OUT/runs/$name" \
    --layers "$STUDENT_LAYERS" --hidden "$STUDENT_HIDDEN" --heads "$STUDENT_HEADS" --ffn "$STUDENT_FFN" \
    --max-query-length 32 --max-doc-length 128 --val-fraction 0.25 --negatives 16 \
    --steps "$steps" --batch-size 16 --lr "$STUDENT_LR" --lr-schedule "$STUDENT_SCHEDULE" --eval-every 100 --save-every 100 \
    --seed "$SEED" --resume "${init[@]}" "$@"
}
# SPLADE validates at step 0 and at the end only: each validation scores ~3,900 held-out
# candidates through the 30,522-wide vocabulary head.
splade=(--batch-size 8 --max-doc-length 96 --lambda-q 0.01 --lambda-d 0.008 --eval-every 0)
train_student colbert-kd colbert marginmse "$STUDENT_STEPS"
train_student colbert-judgements colbert pairwise-ce "$STUDENT_STEPS"
train_student colbert-untrained colbert marginmse 0
train_student splade-kd splade marginmse "$SPLADE_STEPS" "${splade[@]}"
train_student splade-judgements splade pairwise-ce "$SPLADE_STEPS" "${splade[@]}"
train_student splade-untrained splade marginmse 0 "${splade[@]}"

log "6. Compare on the $(wc -l < "$TEST") test queries"
mkdir -p "$OUT/report"
ckpts=()
for run in colbert-kd colbert-judgements colbert-untrained splade-kd splade-judgements splade-untrained; do
  ckpts+=(--checkpoint "$run=$OUT/runs/$run/best")
done
"$DISTILL" compare "${ckpts[@]}" \
  --queries "$TEST" --corpus "$CORPUS" --qrels "$QRELS" --depth "$DEPTH" --stage-depth 20 \
  --teacher "$OUT/teacher/model.onnx" --teacher-tokenizer "$OUT/teacher/tokenizer.json" --max-length 192 \
  --labels "$OUT/labels-test" --threads "$THREADS" --out "$OUT/report" | tee "$OUT/report/table.txt"

log "done in $(( $(date +%s) - start )) s: open $OUT/report/report.html (Markdown: $OUT/report/report.md)"
