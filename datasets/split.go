package datasets

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"sort"
	"strconv"
)

// idHash is the one hash every deterministic query split uses: FNV-1a of
// seed followed by id, passed through murmur3's 64-bit finaliser so that
// every bit of the input affects every bit of the result. (FNV-1a alone
// leaves the high bits of short ids such as "17" far from uniform: without
// the finaliser 100 of Cranfield's first 135 query ids fell below 0.1.)
func idHash(seed []byte, id string) uint64 {
	h := fnv.New64a()
	h.Write(seed)
	h.Write([]byte(id))
	return fmix64(h.Sum64())
}

// fmix64 is murmur3's 64-bit finaliser.
func fmix64(k uint64) uint64 {
	k ^= k >> 33
	k *= 0xff51afd7ed558ccd
	k ^= k >> 33
	k *= 0xc4ceb9fe1a85ec53
	k ^= k >> 33
	return k
}

// InSplit reports whether a query is held out (for validation): the seeded
// hash of its id (seed as 8 little-endian bytes), mapped to [0, 1), is below
// fraction. Membership depends only on the id, the seed and the fraction, so
// it can be decided one query at a time while streaming.
func InSplit(queryID string, seed uint64, fraction float64) bool {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], seed)
	return float64(idHash(b[:], queryID)>>11)/(1<<53) < fraction
}

// InShard reports whether the i-th query (in sorted query-id order) belongs
// to shard index of count: queries are dealt round-robin, so shards get
// equal counts and the split depends only on the set of query ids. A count
// of 0 or 1 is one shard holding every query.
func InShard(i, index, count int) bool {
	return count <= 1 || i%count == index
}

// Split assigns each query id to one of the named parts, deterministically:
// ids are ordered by their seeded hash (seed as its decimal digits and a 0
// byte; ties by id) and cut into parts of the given fractions (which must
// sum to 1), so the assignment depends only on the set of ids and the seed,
// never on file order.
func Split(ids []string, names []string, fractions []float64, seed int64) (map[string][]string, error) {
	if len(names) != len(fractions) || len(names) == 0 {
		return nil, fmt.Errorf("datasets: split: %d names for %d fractions", len(names), len(fractions))
	}
	sum := 0.0
	for i, f := range fractions {
		if f < 0 {
			return nil, fmt.Errorf("datasets: split: fraction of %s is %g, want ≥ 0", names[i], f)
		}
		sum += f
	}
	if sum < 0.999 || sum > 1.001 {
		return nil, fmt.Errorf("datasets: split: fractions sum to %g, want 1", sum)
	}
	type keyed struct {
		id string
		h  uint64
	}
	seedBytes := append([]byte(strconv.FormatInt(seed, 10)), 0)
	ks := make([]keyed, len(ids))
	for i, id := range ids {
		ks[i] = keyed{id, idHash(seedBytes, id)}
	}
	sort.Slice(ks, func(a, b int) bool {
		if ks[a].h != ks[b].h {
			return ks[a].h < ks[b].h
		}
		return ks[a].id < ks[b].id
	})
	out := make(map[string][]string, len(names))
	start, cum := 0, 0.0
	for i, name := range names {
		cum += fractions[i]
		end := int(cum*float64(len(ks)) + 0.5)
		if i == len(names)-1 {
			end = len(ks)
		}
		part := make([]string, 0, end-start)
		for _, k := range ks[start:end] {
			part = append(part, k.id)
		}
		sort.Strings(part)
		out[name] = part
		start = end
	}
	return out, nil
}
