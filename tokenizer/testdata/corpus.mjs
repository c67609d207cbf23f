// corpus.mjs reads the shipped texts that the golden generators and the
// BPE trainer use: the MS MARCO subset's queries and passages and the
// Cranfield queries and abstracts (the .W fields of the SMART files).
import fs from 'fs';
import path from 'path';

const readJSONL = (p) => fs.readFileSync(p, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).text);
const smart = (p) => fs.readFileSync(p, 'utf8').split(/^\.I /m).slice(1)
  .map((rec) => (rec.split(/^\.W\n/m)[1] || '').replace(/\n$/, ''));

export function readCorpora(root) {
  return {
    queries: readJSONL(path.join(root, 'data/trec-dl19-passage-subset/queries.jsonl')),
    passages: readJSONL(path.join(root, 'data/trec-dl19-passage-subset/corpus.jsonl')),
    cranQueries: smart(path.join(root, 'data/cranfield/cran.qry')),
    cranDocs: smart(path.join(root, 'data/cranfield/cran.all.1400')),
  };
}

// every keeps every step-th element.
export const every = (xs, step) => xs.filter((_, i) => i % step === 0);
