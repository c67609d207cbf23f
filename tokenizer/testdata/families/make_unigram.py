"""make_unigram.py trains two small SentencePiece Unigram models on the
shipped corpora with Debian's python3-sentencepiece and converts each model
proto to a Hugging Face tokenizer.json the way transformers'
convert_slow_tokenizer does (Precompiled normalizer from the model's
charsmap, Metaspace pre-tokenizer, Unigram vocabulary with scores and unk id,
byte_fallback when trained with it):

  data/tokenizers/tiny-xlmr-unigram       XLM-RoBERTa's layout: fairseq ids
      (<s>=0 <pad>=1 </s>=2 <unk>=3 ... <mask>=last, lstrip), normalizer
      Precompiled, Metaspace prepend_scheme "always", pair template
      <s> A </s></s> B </s> (type ids all 0), as bge-reranker and
      jina-reranker-v2 ship it.
  data/tokenizers/tiny-spm-bytefallback   a newer conversion: byte_fallback,
      normalizer Sequence[Precompiled, Strip(right), Replace(" {2,}" -> "▁")],
      Metaspace prepend_scheme "first", pair template with type ids 1 for B.

Run from the repository root (writes only those two directories):

  /usr/bin/python3 tokenizer/testdata/families/make_unigram.py

The model proto is decoded by hand (no protobuf module needed).
"""
import base64
import json
import os
import struct
import sys
import tempfile

import sentencepiece as spm

sys.path.insert(0, os.path.dirname(__file__))
import corpus  # noqa: E402


def varint(b, i):
    shift = result = 0
    while True:
        c = b[i]
        i += 1
        result |= (c & 0x7F) << shift
        shift += 7
        if c < 0x80:
            return result, i


def fields(b):
    """Yields (field number, wire type, value) of a protobuf message."""
    i = 0
    while i < len(b):
        key, i = varint(b, i)
        num, wt = key >> 3, key & 7
        if wt == 0:
            v, i = varint(b, i)
        elif wt == 1:
            v, i = b[i:i + 8], i + 8
        elif wt == 2:
            n, i = varint(b, i)
            v, i = b[i:i + n], i + n
        elif wt == 5:
            v, i = b[i:i + 4], i + 4
        else:
            raise ValueError('wire type %d' % wt)
        yield num, wt, v


def read_proto(data):
    """Returns pieces [(piece, score, type)], trainer spec and normalizer spec fields."""
    pieces, trainer, normalizer = [], {}, {}
    for num, _, v in fields(data):
        if num == 1:
            p = {1: b'', 2: b'\0\0\0\0', 3: 1}
            for n, _, pv in fields(v):
                p[n] = pv
            pieces.append((p[1].decode('utf-8'), struct.unpack('<f', p[2])[0], p[3]))
        elif num == 2:
            trainer = {n: pv for n, _, pv in fields(v)}
        elif num == 3:
            normalizer = {n: pv for n, _, pv in fields(v)}
    return pieces, trainer, normalizer


def added(i, content, lstrip=False):
    return {'id': i, 'content': content, 'single_word': False, 'lstrip': lstrip, 'rstrip': False,
            'normalized': False, 'special': True}


def template(single, pair, specials):
    def parse(s):
        out = []
        for item in s.split():
            name, _, t = item.partition(':')
            t = int(t or 0)
            if name in ('$A', '$B'):
                out.append({'Sequence': {'id': name[1], 'type_id': t}})
            else:
                out.append({'SpecialToken': {'id': name, 'type_id': t}})
        return out
    return {'type': 'TemplateProcessing', 'single': parse(single), 'pair': parse(pair),
            'special_tokens': {n: {'id': n, 'ids': [i], 'tokens': [n]} for n, i in specials}}


def write(path, tok):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + '.tmp'
    with open(tmp, 'w', encoding='utf-8') as f:
        json.dump(tok, f, ensure_ascii=False, separators=(',', ':'))
        f.write('\n')
    os.replace(tmp, path)


def train(text_file, prefix, byte_fallback):
    spm.SentencePieceTrainer.train(input=text_file, model_prefix=prefix, vocab_size=8000, model_type='unigram',
                                   byte_fallback=byte_fallback, character_coverage=0.9995,
                                   input_sentence_size=100000, shuffle_input_sentence=False,
                                   num_threads=1, minloglevel=2)
    with open(prefix + '.model', 'rb') as f:
        return read_proto(f.read())


def main():
    root = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        text_file = os.path.join(tmp, 'corpus.txt')
        with open(text_file, 'w', encoding='utf-8') as f:
            for t in corpus.texts(root):
                f.write(t + '\n')

        # XLM-R: fairseq ids around the SentencePiece pieces.
        pieces, trainer, norm = train(text_file, os.path.join(tmp, 'xlmr'), False)
        charsmap = base64.b64encode(norm[2]).decode()
        vocab = [['<s>', 0.0], ['<pad>', 0.0], ['</s>', 0.0], ['<unk>', 0.0]]
        vocab += [[p, s] for p, s, _ in pieces[3:]]
        vocab.append(['<mask>', 0.0])
        mask = len(vocab) - 1
        write(os.path.join(root, 'data/tokenizers/tiny-xlmr-unigram/tokenizer.json'), {
            'version': '1.0', 'truncation': None, 'padding': None,
            'added_tokens': [added(0, '<s>'), added(1, '<pad>'), added(2, '</s>'), added(3, '<unk>'), added(mask, '<mask>', True)],
            'normalizer': {'type': 'Precompiled', 'precompiled_charsmap': charsmap},
            'pre_tokenizer': {'type': 'Metaspace', 'replacement': '▁', 'add_prefix_space': True, 'prepend_scheme': 'always'},
            'post_processor': template('<s> $A </s>', '<s> $A </s> </s> $B </s>', [('<s>', 0), ('</s>', 2)]),
            'decoder': {'type': 'Metaspace', 'replacement': '▁', 'add_prefix_space': True, 'prepend_scheme': 'always'},
            'model': {'type': 'Unigram', 'unk_id': 3, 'vocab': vocab, 'byte_fallback': False},
        })

        # Byte fallback, newer converter layout.
        pieces, trainer, norm = train(text_file, os.path.join(tmp, 'bf'), True)
        charsmap = base64.b64encode(norm[2]).decode()
        ids = {p: i for i, (p, _, _) in enumerate(pieces)}
        unk = trainer.get(40, 0)
        write(os.path.join(root, 'data/tokenizers/tiny-spm-bytefallback/tokenizer.json'), {
            'version': '1.0', 'truncation': None, 'padding': None,
            'added_tokens': [added(ids['<unk>'], '<unk>'), added(ids['<s>'], '<s>'), added(ids['</s>'], '</s>')],
            'normalizer': {'type': 'Sequence', 'normalizers': [
                {'type': 'Precompiled', 'precompiled_charsmap': charsmap},
                {'type': 'Strip', 'strip_left': False, 'strip_right': True},
                {'type': 'Replace', 'pattern': {'Regex': ' {2,}'}, 'content': '▁'}]},
            'pre_tokenizer': {'type': 'Metaspace', 'replacement': '▁', 'prepend_scheme': 'first', 'split': True},
            'post_processor': template('<s>:0 $A:0 </s>:0', '<s>:0 $A:0 </s>:0 $B:1 </s>:1', [('<s>', ids['<s>']), ('</s>', ids['</s>'])]),
            'decoder': None,
            'model': {'type': 'Unigram', 'unk_id': unk, 'vocab': [[p, s] for p, s, _ in pieces], 'byte_fallback': True},
        })


if __name__ == '__main__':
    main()
