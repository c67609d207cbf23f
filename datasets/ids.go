package datasets

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// CompareIDs orders ids numerically when both are integers ("2" < "10") and
// as strings otherwise, with integers first (-1, 0 or +1). Writers use it
// for a stable, readable file order, reports for their query order.
func CompareIDs(a, b string) int {
	na, ea := strconv.ParseInt(a, 10, 64)
	nb, eb := strconv.ParseInt(b, 10, 64)
	switch {
	case ea == nil && eb == nil && na != nb:
		if na < nb {
			return -1
		}
		return 1
	case ea == nil && eb != nil:
		return -1
	case ea != nil && eb == nil:
		return 1
	}
	return strings.Compare(a, b)
}

// lessID reports whether a sorts before b in CompareIDs order.
func lessID(a, b string) bool { return CompareIDs(a, b) < 0 }

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
