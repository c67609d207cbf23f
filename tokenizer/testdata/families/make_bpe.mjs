// make_bpe.mjs trains a byte-level BPE on the shipped corpora with Hugging
// Face tokenizers (the Node binding @anush008/tokenizers@0.6.0), keeps its
// first 8000 merges, and writes two tokenizer.json files:
//
//   data/tokenizers/tiny-roberta-bpe     RoBERTa's layout: <s>=0 <pad>=1 </s>=2
//       <unk>=3, byte-level vocabulary, <mask>=last (lstrip), ByteLevel
//       pre-tokenizer without prefix space, RobertaProcessing
//       (<s> A </s></s> B </s>, type ids 0), merges as "a b" strings.
//   data/tokenizers/tiny-modernbert-bpe  a ModernBERT-like layout: [CLS] [SEP]
//       [PAD] [MASK] [UNK] at the end, ByteLevel with add_prefix_space,
//       post-processor Sequence[ByteLevel, TemplateProcessing] with type ids 1
//       for B, merges as ["a", "b"] pairs.
//
// Every one of the 256 byte-level characters is in both vocabularies.
// Run from the repository root:
//
//   mkdir -p /tmp/hftok && (cd /tmp/hftok && npm init -y && npm install @anush008/tokenizers@0.6.0)
//   NODE_PATH=/tmp/hftok/node_modules node tokenizer/testdata/families/make_bpe.mjs
import { createRequire } from 'module';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { readCorpora } from '../corpus.mjs';

const require = createRequire(path.join(process.env.NODE_PATH || '/tmp/hftok/node_modules', 'x.js'));
const { Tokenizer, BPE, byteLevelPreTokenizer, byteLevelAlphabet } = require('@anush008/tokenizers');

const root = process.cwd();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bpe-'));
const { passages, cranDocs } = readCorpora(root);
const cran = cranDocs.map((t) => t.replace(/\n/g, ' ').trim());
const corpusFile = path.join(tmp, 'corpus.txt');
fs.writeFileSync(corpusFile, [...passages, ...cran].filter(Boolean).join('\n') + '\n');

const tok = new Tokenizer(BPE.empty());
tok.setPreTokenizer(byteLevelPreTokenizer(false, true));
tok.train([corpusFile]);
const trainedFile = path.join(tmp, 'trained.json');
tok.save(trainedFile);
const trained = JSON.parse(fs.readFileSync(trainedFile, 'utf8')).model;
const merges = trained.merges.slice(0, 8000).map((m) => (Array.isArray(m) ? m : m.split(' ')));
const needed = new Set(byteLevelAlphabet());
for (const [a, b] of merges) { needed.add(a); needed.add(b); needed.add(a + b); }
const byID = Object.entries(trained.vocab).sort((x, y) => x[1] - y[1]).map(([t]) => t).filter((t) => needed.has(t));
for (const c of [...byteLevelAlphabet()].sort()) if (!byID.includes(c)) byID.push(c);
fs.rmSync(tmp, { recursive: true });

const added = (id, content, lstrip = false) => ({ id, content, single_word: false, lstrip, rstrip: false, normalized: false, special: true });
const write = (name, tokJSON) => {
  const dir = path.join(root, 'data/tokenizers', name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'tokenizer.json.tmp'), JSON.stringify(tokJSON) + '\n');
  fs.renameSync(path.join(dir, 'tokenizer.json.tmp'), path.join(dir, 'tokenizer.json'));
};

{
  const vocab = { '<s>': 0, '<pad>': 1, '</s>': 2, '<unk>': 3 };
  byID.forEach((t, i) => { vocab[t] = i + 4; });
  const mask = byID.length + 4;
  vocab['<mask>'] = mask;
  write('tiny-roberta-bpe', {
    version: '1.0', truncation: null, padding: null,
    added_tokens: [added(0, '<s>'), added(1, '<pad>'), added(2, '</s>'), added(3, '<unk>'), added(mask, '<mask>', true)],
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: { type: 'RobertaProcessing', sep: ['</s>', 2], cls: ['<s>', 0], trim_offsets: true, add_prefix_space: false },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: '', end_of_word_suffix: '',
      fuse_unk: false, byte_fallback: false, vocab, merges: merges.map(([a, b]) => `${a} ${b}`) },
  });
}
{
  const vocab = {};
  byID.forEach((t, i) => { vocab[t] = i; });
  const n = byID.length;
  const specials = ['[UNK]', '[CLS]', '[SEP]', '[PAD]', '[MASK]'];
  specials.forEach((s, i) => { vocab[s] = n + i; });
  const tp = (single, pair) => {
    const parse = (s) => s.split(' ').map((item) => {
      const [name, t] = item.split(':');
      return name.startsWith('$') ? { Sequence: { id: name[1], type_id: Number(t) } } : { SpecialToken: { id: name, type_id: Number(t) } };
    });
    return { type: 'TemplateProcessing', single: parse(single), pair: parse(pair),
      special_tokens: { '[CLS]': { id: '[CLS]', ids: [n + 1], tokens: ['[CLS]'] }, '[SEP]': { id: '[SEP]', ids: [n + 2], tokens: ['[SEP]'] } } };
  };
  write('tiny-modernbert-bpe', {
    version: '1.0', truncation: null, padding: null,
    added_tokens: specials.map((s, i) => added(n + i, s, s === '[MASK]')),
    normalizer: { type: 'NFC' },
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    post_processor: { type: 'Sequence', processors: [{ type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
      tp('[CLS]:0 $A:0 [SEP]:0', '[CLS]:0 $A:0 [SEP]:0 $B:1 [SEP]:1')] },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: 'BPE', dropout: null, unk_token: '[UNK]', continuing_subword_prefix: null, end_of_word_suffix: null,
      fuse_unk: false, byte_fallback: false, ignore_merges: false, vocab, merges },
  });
}
console.log(`wrote 2 tokenizers: ${byID.length} byte-level tokens, ${merges.length} merges`);
