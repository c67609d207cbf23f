package tokenizer

import (
	"hash/maphash"
	"sync"
)

// wordCache remembers the ids of recent words, as Hugging Face's BPE and
// Unigram models do: natural text repeats most of its words, and a lookup is
// cheaper than merges or a Viterbi pass. It holds at most cacheWords words
// of fewer than cacheWordBytes bytes, in shards so that goroutines sharing a
// Tokenizer rarely wait for one another.
type wordCache struct {
	seed   maphash.Seed
	shards [cacheShards]cacheShard
}

const (
	cacheShards    = 32
	cacheWords     = 1 << 16
	cacheWordBytes = 256
)

type cacheShard struct {
	mu  sync.RWMutex
	ids map[string][]int32
}

func newWordCache() *wordCache {
	c := &wordCache{seed: maphash.MakeSeed()}
	for i := range c.shards {
		c.shards[i].ids = make(map[string][]int32)
	}
	return c
}

// appendIDs appends the ids of word, from the cache or from m.
func (c *wordCache) appendIDs(dst []int32, m wordModel, word []byte) []int32 {
	if len(word) >= cacheWordBytes {
		return m.appendIDs(dst, word)
	}
	sh := &c.shards[maphash.Bytes(c.seed, word)%cacheShards]
	sh.mu.RLock()
	ids, ok := sh.ids[string(word)]
	sh.mu.RUnlock()
	if ok {
		return append(dst, ids...)
	}
	mark := len(dst)
	dst = m.appendIDs(dst, word)
	sh.mu.Lock()
	if len(sh.ids) < cacheWords/cacheShards {
		sh.ids[string(word)] = append([]int32(nil), dst[mark:]...)
	}
	sh.mu.Unlock()
	return dst
}
