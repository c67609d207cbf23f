package report

import (
	"slices"
	"strconv"
	"strings"
)

// sortQueryIDs orders query ids as a person reads them: numbers by value
// (1, 2, 15, 100, not 1, 100, 15, 2), then other ids in byte order.
func sortQueryIDs(ids []string) {
	slices.SortFunc(ids, compareQueryIDs)
}

func compareQueryIDs(a, b string) int {
	x, errA := strconv.ParseUint(a, 10, 64)
	y, errB := strconv.ParseUint(b, 10, 64)
	switch {
	case errA == nil && errB == nil && x != y:
		if x < y {
			return -1
		}
		return 1
	case errA == nil && errB != nil:
		return -1
	case errA != nil && errB == nil:
		return 1
	}
	return strings.Compare(a, b)
}
