package report

import (
	"slices"

	"github.com/distill-ml/distill/datasets"
)

// sortQueryIDs orders query ids as a person reads them: numbers by value
// (1, 2, 15, 100, not 1, 100, 15, 2), then other ids in byte order, as the
// dataset writers order them (datasets.CompareIDs).
func sortQueryIDs(ids []string) {
	slices.SortFunc(ids, datasets.CompareIDs)
}
