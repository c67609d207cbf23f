"""Training text for the test tokenizers: the shipped MS MARCO passages and
Cranfield abstracts, one text per line. Imported by make_unigram.py."""
import json
import os
import re


def texts(root):
    out = []
    with open(os.path.join(root, 'data/trec-dl19-passage-subset/corpus.jsonl'), encoding='utf-8') as f:
        out += [json.loads(line)['text'] for line in f if line.strip()]
    with open(os.path.join(root, 'data/cranfield/cran.all.1400'), encoding='utf-8') as f:
        for rec in re.split(r'^\.I ', f.read(), flags=re.M)[1:]:
            parts = re.split(r'^\.W\n', rec, flags=re.M)
            if len(parts) > 1:
                out.append(parts[1].replace('\n', ' ').strip())
    return [t for t in out if t]
