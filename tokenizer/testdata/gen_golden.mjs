// gen_golden.mjs writes golden.jsonl: reference encodings of the
// bert-base-uncased tokenizer.json made by Hugging Face tokenizers 0.22.2
// (through the Node binding @anush008/tokenizers@0.6.0). The Go tests read
// golden.jsonl; this script is never a test-time dependency.
//
// Run from the repository root:
//
//	mkdir -p /tmp/tokref && (cd /tmp/tokref && npm init -y && npm install @anush008/tokenizers@0.6.0)
//	NODE_PATH=/tmp/tokref/node_modules node tokenizer/testdata/gen_golden.mjs
//
// Each output line is {"a", "b"?, "max_len", "ids", "type_ids", "mask"}:
// max_len 0 means no truncation; padding is always off.
import { createRequire } from 'module';
import fs from 'fs';
import path from 'path';
import { readCorpora, every } from './corpus.mjs';

const require = createRequire(path.join(process.env.NODE_PATH || '/tmp/tokref/node_modules', 'x.js'));
const { Tokenizer } = require('@anush008/tokenizers');

const root = process.cwd();
const tok = Tokenizer.fromFile(path.join(root, 'data/tokenizers/bert-base-uncased/tokenizer.json'));
tok.disablePadding();

// Real texts.
const { queries, passages, cranQueries, cranDocs } = readCorpora(root);

// Hand-written hard cases.
const hard = [
  '', ' ', '   \t\n  ', '.', '...', '!?', '"\'`', '(((', '$+<=>^`|~', '¡¿§¶·«»‹›“”‘’„‚–—…',
  'café', 'Café au lait', 'Ångström', 'naïve résumé façade', 'CAFÉ NAÏVE', 'ÀÉÎÕÜ àéîõü', 'Straße', 'İstanbul', 'ǅungla',
  'e\u0301', 'a\u0308\u0301b', 'x\u0489y',
  '中文', '我爱北京天安门', '日本語のテキスト', 'カタカナとひらがな', '한국어 텍스트', '中a文b', '𠀀𪜀',
  'مرحبا بالعالم', 'שלום עולם', 'Привет, мир!', 'ЁЛКА ёлка', 'Ελληνικά', 'हिन्दी', 'ภาษาไทย',
  '😀', 'emoji 😀🎉👍🏽 test', '👨‍👩‍👧‍👦 family', '🇫🇷 flag', '❤️', '☃ ★ ♥',
  'a\u0000b', 'a\u0001b\u007fc', 'bell\u0007', 'a\u000bb\u000cc', 'a\u0085b', 'a\ufffdb', '\ufffd',
  'zero\u200bwidth', 'zw\u200cnj\u200dj', '\ufeffbom', 'soft\u00adhyphen', 'rtl\u200fmark',
  'non\u00a0breaking', 'narrow\u202fnbsp', 'ideographic\u3000space', 'em\u2003space', 'line\u2028sep',
  'tab\tsep', 'new\nline', 'crlf\r\nline', 'multiple   spaces', '  leading and trailing  ',
  'a'.repeat(100), 'a'.repeat(101), 'b'.repeat(150) + ' word', 'é'.repeat(100), 'é'.repeat(101),
  'supercalifragilisticexpialidocious', 'pneumonoultramicroscopicsilicovolcanoconiosis',
  'antidisestablishmentarianism'.repeat(4), 'x'.repeat(99) + '.' + 'y'.repeat(99),
  'hello,world', 'e-mail: user@example.com', 'http://www.example.com/path?q=1&r=2#frag', 'C++ and C#',
  "don't won't it's", '3.14159 1,000,000 -42 +7 1e10', '$100 €50 £20 ¥1000', '50% off!!!', '#hashtag @mention',
  '(parenthetical) [bracketed] {braced} <angled>', 'a/b\\c|d', '--flag=value', '“quoted” ‘single’',
  '[CLS]', '[SEP]', '[CLS] hello [SEP] world', 'x[MASK]y', '[cls] lower', '[[SEP]]', '[PAD][UNK][MASK]', '[UNK]',
  'The Quick Brown Fox Jumps Over The Lazy Dog', 'ALL CAPS TEXT', 'MiXeD CaSe', 'unaffable', 'playing',
  '℃ ℉ № ™ ©', 'ﬁ ligature ﬀ', 'ｆｕｌｌｗｉｄｔｈ', '①②③', 'x²+y³', '½ ¼ ¾',
];

// Samples of every table in chars_compat.go, so the Unicode-version
// corrections are checked against Hugging Face.
const compatSrc = fs.readFileSync(path.join(root, 'tokenizer/chars_compat.go'), 'utf8');
const compatCPs = [];
for (const m of compatSrc.matchAll(/\{0x([0-9A-F]+), 0x([0-9A-F]+)\}/g)) {
  const lo = parseInt(m[1], 16), hi = parseInt(m[2], 16);
  for (let c = lo; c <= hi; c += Math.max(1, Math.floor((hi - lo) / 3))) compatCPs.push(c);
}
for (const m of compatSrc.matchAll(/0x([0-9A-F]+): 0x[0-9A-F]+,/g)) compatCPs.push(parseInt(m[1], 16));
compatCPs.push(0x130, 0x11938, 0x2b81f, 0x2b820, 0x2b920, 0x378, 0xe000, 0xf0000);
const compat = [];
for (let i = 0; i < compatCPs.length; i += 12) {
  compat.push(compatCPs.slice(i, i + 12).map((c) => 'x' + String.fromCodePoint(c) + 'Y').join(''));
  compat.push(compatCPs.slice(i, i + 12).map((c) => String.fromCodePoint(c)).join(' '));
}

const lens = [16, 64, 256, 512];
const out = [];
async function emit(a, b, maxLen) {
  if (maxLen > 0) tok.setTruncation(maxLen); else tok.disableTruncation();
  const e = b === undefined ? await tok.encode(a) : await tok.encode(a, b);
  const rec = { a };
  if (b !== undefined) rec.b = b;
  rec.max_len = maxLen;
  rec.ids = e.getIds();
  rec.type_ids = e.getTypeIds();
  rec.mask = e.getAttentionMask();
  out.push(JSON.stringify(rec));
}

for (const t of [...hard, ...compat]) {
  for (const n of [0, 16, 64]) await emit(t, undefined, n);
}
for (let i = 0; i < hard.length; i++) {
  await emit(hard[i], hard[(i * 7 + 3) % hard.length], [0, 16, 64][i % 3]);
  await emit(hard[i], passages[i], 64);
}
const singles = [...queries, ...every(cranQueries, 3), ...every(passages, 25), ...every(cranDocs, 20)];
singles.forEach((t, i) => { singles[i] = t; });
for (let i = 0; i < singles.length; i++) await emit(singles[i], undefined, [0, ...lens][i % 5]);
const pq = [...queries, ...every(cranQueries, 2)];
const pd = [...every(passages, 5), ...every(cranDocs, 2)];
for (let i = 0; i < 1000; i++) {
  const q = pq[i % pq.length], d = pd[(i * 13) % pd.length];
  await emit(q, d, lens[i % 4]);
  if (i % 5 === 0) await emit(d, q, lens[(i + 1) % 4]); // long first sequence
  if (i % 7 === 0) await emit(d, pd[(i * 31 + 5) % pd.length], lens[(i + 2) % 4]); // both long
}
fs.writeFileSync(path.join(root, 'tokenizer/testdata/golden.jsonl'), out.join('\n') + '\n');
console.log(`wrote ${out.length} cases`);
