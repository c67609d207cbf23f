package datasets

import (
	"fmt"
	"hash/fnv"
	"sort"
	"strconv"
)

// fmix64 is murmur3's 64-bit finaliser, so that every bit of the FNV hash
// of a short id affects the order.
func fmix64(k uint64) uint64 {
	k ^= k >> 33
	k *= 0xff51afd7ed558ccd
	k ^= k >> 33
	k *= 0xc4ceb9fe1a85ec53
	k ^= k >> 33
	return k
}

// Split assigns each query id to one of the named parts, deterministically:
// ids are ordered by a seeded FNV-1a hash with murmur3's finaliser (ties by id) and cut into parts of
// the given fractions (which must sum to 1), so the assignment depends only
// on the set of ids and the seed, never on file order.
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
	ks := make([]keyed, len(ids))
	for i, id := range ids {
		h := fnv.New64a()
		h.Write([]byte(strconv.FormatInt(seed, 10)))
		h.Write([]byte{0})
		h.Write([]byte(id))
		ks[i] = keyed{id, fmix64(h.Sum64())}
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
