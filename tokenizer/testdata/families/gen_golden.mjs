// gen_golden.mjs writes the reference encodings of the test tokenizers made
// by make_unigram.py and make_bpe.mjs, computed by Hugging Face tokenizers
// (the Node binding @anush008/tokenizers@0.6.0). The Go tests read the
// output; this script is never a test-time dependency.
//
// Run from the repository root:
//
//   NODE_PATH=/tmp/hftok/node_modules node tokenizer/testdata/families/gen_golden.mjs
//
// Outputs, in tokenizer/testdata/families/:
//
//   texts.json.gz          the texts, a JSON array (shared by all families)
//   <family>.jsonl.gz      one line per case: {"a": i, "b": j, "max_len", "ids",
//                          "type_ids", "mask"}, a and b indexes into texts
//                          (b -1: a single sequence); max_len 0: no truncation
//   decode-<name>.jsonl.gz Hugging Face's decode of some of those encodings:
//                          {"case": k, "text", "skip"}, k indexing the lines of
//                          <name>.jsonl.gz (skip: special tokens skipped); for
//                          bert-base-uncased, whose encodings live elsewhere,
//                          {"ids", "text", "skip"}
//   <variant>.jsonl.gz     the same for each variant of variants.json: a family's
//                          (or bert-base-uncased's) tokenizer.json with top-level
//                          keys replaced by "set" and model keys by "set_model",
//                          on the first 900 of the hand-written cases and every
//                          16th other case
import { createRequire } from 'module';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { readCorpora, every } from '../corpus.mjs';
import zlib from 'zlib';

const require = createRequire(path.join(process.env.NODE_PATH || '/tmp/hftok/node_modules', 'x.js'));
const { Tokenizer } = require('@anush008/tokenizers');

const root = process.cwd();
const outDir = path.join(root, 'tokenizer/testdata/families');
const families = ['tiny-xlmr-unigram', 'tiny-spm-bytefallback', 'tiny-roberta-bpe', 'tiny-modernbert-bpe'];

const { queries, passages, cranQueries, cranDocs } = readCorpora(root);

const hard = [
  '', ' ', '  ', '   \t\n  ', '\n', '\r\n', 'a\r\nb', '.', '...', '!?', '"\'`', '$+<=>^`|~', '¡¿§¶·«»‹›“”‘’„‚–—…',
  'café', 'Café au lait', 'Ångström', 'naïve résumé façade', 'CAFÉ NAÏVE', 'ÀÉÎÕÜ àéîõü', 'Straße', 'İstanbul', 'ǅungla',
  'e\u0301', 'a\u0308\u0301b', 'x\u0489y', 'A\u030a', '\u0301start', 'n\u0303o\u0308', 'ᄀ\u1161\u11a8 한글', 'Ｆｕｌｌｗｉｄｔｈ ＡＢＣ１２３',
  '中文', '我爱北京天安门', '日本語のテキスト', 'ｶﾀｶﾅ カタカナとひらがな', '한국어 텍스트', '中a文b', '𠀀𪜀',
  'مرحبا بالعالم', 'שלום עולם', 'Привет, мир!', 'ЁЛКА ёлка', 'Ελληνικά', 'हिन्दी', 'ภาษาไทย', 'ແລ້ວ',
  '😀', 'emoji 😀🎉👍🏽 test', '👨‍👩‍👧‍👦 family', '🇫🇷🇩🇪 flags', '❤️', '☃ ★ ♥', '#️⃣ 1️⃣',
  'a\u0000b', 'a\u0001b\u007fc', 'bell\u0007', 'a\u000bb\u000cc', 'a\u0085b', 'a\ufffdb', '\ufffd', '\u001e\u001f',
  'zero\u200bwidth', 'zw\u200cnj\u200dj', '\ufeffbom', 'soft\u00adhyphen', 'rtl\u200fmark', '\u200b', '\u200bx',
  'non\u00a0breaking', 'narrow\u202fnbsp', 'ideographic\u3000space', 'em\u2003space', 'line\u2028sep',
  'tab\tsep', 'new\nline', 'crlf\r\nline', 'multiple   spaces', '  leading and trailing  ', 'x   ', '   x',
  'a'.repeat(100), 'a'.repeat(101), 'b'.repeat(150) + ' word', 'é'.repeat(100), 'abc'.repeat(700), '中'.repeat(300),
  'supercalifragilisticexpialidocious', 'pneumonoultramicroscopicsilicovolcanoconiosis',
  'antidisestablishmentarianism'.repeat(4), 'x'.repeat(99) + '.' + 'y'.repeat(99), '1234567890'.repeat(20),
  'hello,world', 'e-mail: user@example.com', 'http://www.example.com/path?q=1&r=2#frag', 'C++ and C#',
  "don't won't it's", "'s 't 're 've 'm 'll 'd 'S 'RE", "rock'n'roll ''quoted''", "I'm   'twas",
  '3.14159 1,000,000 -42 +7 1e10', '١٢٣ ٤٥ Ⅻ ½ ²', '$100 €50 £20 ¥1000', '50% off!!!', '#hashtag @mention',
  '(parenthetical) [bracketed] {braced} <angled>', 'a/b\\c|d', '--flag=value', '“quoted” ‘single’',
  '<s>', '</s>', '<s> hello </s>', '<mask>', 'x<mask>y', 'a <mask> b', '  <mask>  ', '<pad><unk>', '<unk>', '<S>',
  '[CLS]', '[SEP] x [MASK] y', 'x [MASK]', '[PAD][UNK]', '▁', '▁▁x', 'x▁y', '▁ ▁', 'Ġ', 'ĠĠhello', '<0x41>', '<0xC3><0xA9>',
  'The Quick Brown Fox Jumps Over The Lazy Dog', 'ALL CAPS TEXT', 'MiXeD CaSe', 'unaffable', 'playing',
  '℃ ℉ № ™ ©', 'ﬁ ligature ﬀ', '①②③', 'x²+y³', '½ ¼ ¾', '™\u001eg', '…‥', '㌀ ㍿', '\u3099\u309a',
];

const texts = [];
const index = new Map();
const idx = (t) => {
  if (!index.has(t)) { index.set(t, texts.length); texts.push(t); }
  return index.get(t);
};
const lens = [16, 64, 256, 512];
const cases = []; // [a, b, maxLen]
for (const t of hard) for (const n of [0, 16]) cases.push([t, undefined, n]);
for (let i = 0; i < hard.length; i++) {
  cases.push([hard[i], hard[(i * 7 + 3) % hard.length], [0, 16, 64][i % 3]]);
  cases.push([hard[i], passages[i], 64]);
  cases.push([queries[i % queries.length], hard[i], 0]);
}
const singles = [...queries, ...every(cranQueries, 3), ...every(passages, 25), ...every(cranDocs, 20)];
for (let i = 0; i < singles.length; i++) cases.push([singles[i], undefined, [0, ...lens][i % 5]]);
const pq = [...queries, ...every(cranQueries, 2)];
const pd = [...every(passages, 5), ...every(cranDocs, 2)];
for (let i = 0; i < 1500; i++) {
  const q = pq[i % pq.length], d = pd[(i * 13) % pd.length];
  cases.push([q, d, lens[i % 4]]);
  if (i % 5 === 0) cases.push([d, q, lens[(i + 1) % 4]]);
  if (i % 7 === 0) cases.push([d, pd[(i * 31 + 5) % pd.length], lens[(i + 2) % 4]]);
}

// Decode goldens: the hand-written texts and every tenth other case.
async function writeDecodes(name, tok, encodings, inlineIDs = false) {
  const lines = [];
  for (let i = 0; i < encodings.length; i++) {
    if (!(i < 2 * hard.length || i % 10 === 0)) continue;
    const ids = encodings[i];
    const ref = inlineIDs ? { ids } : { case: i };
    lines.push(JSON.stringify({ ...ref, text: await tok.decode(ids, false), skip: await tok.decode(ids, true) }));
  }
  fs.writeFileSync(path.join(outDir, 'decode-' + name + '.jsonl.gz'), zlib.gzipSync(lines.join('\n') + '\n', { level: 9 }));
}

{
  const tok = Tokenizer.fromFile(path.join(root, 'data/tokenizers/bert-base-uncased/tokenizer.json'));
  tok.disablePadding();
  tok.disableTruncation();
  const encodings = [];
  for (const [a, b, maxLen] of cases) {
    if (maxLen > 0) tok.setTruncation(maxLen); else tok.disableTruncation();
    encodings.push((b === undefined ? await tok.encode(a) : await tok.encode(a, b)).getIds());
  }
  await writeDecodes('bert-base-uncased', tok, encodings, true);
}

for (const fam of families) {
  const tok = Tokenizer.fromFile(path.join(root, 'data/tokenizers', fam, 'tokenizer.json'));
  tok.disablePadding();
  const lines = [];
  const encodings = [];
  for (const [a, b, maxLen] of cases) {
    if (maxLen > 0) tok.setTruncation(maxLen); else tok.disableTruncation();
    const e = b === undefined ? await tok.encode(a) : await tok.encode(a, b);
    encodings.push(e.getIds());
    lines.push(JSON.stringify({ a: idx(a), b: b === undefined ? -1 : idx(b), max_len: maxLen,
      ids: e.getIds(), type_ids: e.getTypeIds(), mask: e.getAttentionMask() }));
  }
  fs.writeFileSync(path.join(outDir, fam + '.jsonl.gz'), zlib.gzipSync(lines.join('\n') + '\n', { level: 9 }));
  await writeDecodes(fam, tok, encodings);
  console.log(`${fam}: ${lines.length} cases`);
}
// Variants: edited copies of the tokenizers, on fewer cases.
const variantCases = cases.filter((c, i) => hard.includes(c[0]) || i % 16 === 0).slice(0, 900);
const variants = JSON.parse(fs.readFileSync(path.join(outDir, 'variants.json'), 'utf8'));
const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'variants-'));
for (const v of variants) {
  const json = JSON.parse(fs.readFileSync(path.join(root, 'data/tokenizers', v.base, 'tokenizer.json'), 'utf8'));
  Object.assign(json, v.set || {});
  Object.assign(json.model, v.set_model || {});
  const file = path.join(tmpDir, v.name + '.json');
  fs.writeFileSync(file, JSON.stringify(json));
  const tok = Tokenizer.fromFile(file);
  tok.disablePadding();
  const trunc = json.truncation;
  const lines = [];
  const encodings = [];
  for (const [a, b, maxLen] of variantCases) {
    if (maxLen > 0) tok.setTruncation(maxLen, trunc ? { direction: trunc.direction.toLowerCase(), strategy: trunc.strategy } : undefined);
    else tok.disableTruncation();
    const e = b === undefined ? await tok.encode(a) : await tok.encode(a, b);
    encodings.push(e.getIds());
    lines.push(JSON.stringify({ a: idx(a), b: b === undefined ? -1 : idx(b), max_len: maxLen,
      ids: e.getIds(), type_ids: e.getTypeIds(), mask: e.getAttentionMask() }));
  }
  fs.writeFileSync(path.join(outDir, v.name + '.jsonl.gz'), zlib.gzipSync(lines.join('\n') + '\n', { level: 9 }));
  await writeDecodes(v.name, tok, encodings);
  console.log(`${v.name}: ${lines.length} cases`);
}
fs.rmSync(tmpDir, { recursive: true });
fs.writeFileSync(path.join(outDir, 'texts.json.gz'), zlib.gzipSync(JSON.stringify(texts), { level: 9 }));
console.log(`${texts.length} texts`);
