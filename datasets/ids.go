package datasets

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// lessID orders ids numerically when both are integers ("2" < "10") and as
// strings otherwise, with integers first. Writers use it for a stable,
// readable file order.
func lessID(a, b string) bool {
	na, ea := strconv.ParseInt(a, 10, 64)
	nb, eb := strconv.ParseInt(b, 10, 64)
	switch {
	case ea == nil && eb == nil:
		if na != nb {
			return na < nb
		}
		return a < b
	case ea == nil:
		return true
	case eb == nil:
		return false
	}
	return a < b
}

// sortedKeys returns the keys of m in lessID order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return lessID(keys[i], keys[j]) })
	return keys
}

// checkID rejects an id that would break a whitespace-separated line.
func checkID(what, id string) error {
	if id == "" || strings.IndexFunc(id, unicode.IsSpace) >= 0 {
		return fmt.Errorf("datasets: %s %q: %w", what, id, errBadID)
	}
	return nil
}

// checkTSVID rejects an id that would break a tab-separated line.
func checkTSVID(what, id string) error {
	if strings.TrimSpace(id) != id || id == "" || strings.ContainsAny(id, "\t\r\n") {
		return fmt.Errorf("datasets: %s %q: %w", what, id, errBadTSVID)
	}
	return nil
}
