package report

import (
	"encoding/json"
	"fmt"
)

// legacyMarginKey is the JSON key that BestMarginMSE was written under
// before it had a name of its own. Agreements write it besides
// "best_margin_mse", so that readers of earlier report.json files keep
// working, and ReadJSON takes it from files that have only it.
const legacyMarginKey = "margin_mse"

// MarshalJSON writes a's fields and, when set, BestMarginMSE again under
// legacyMarginKey.
func (a Agreement) MarshalJSON() ([]byte, error) {
	type plain Agreement
	return withLegacyMargin(plain(a), a.BestMarginMSE)
}

// UnmarshalJSON reads a's fields, BestMarginMSE from legacyMarginKey when
// "best_margin_mse" is absent.
func (a *Agreement) UnmarshalJSON(data []byte) error {
	type plain Agreement
	return readLegacyMargin(data, (*plain)(a), &a.BestMarginMSE)
}

// MarshalJSON is Agreement.MarshalJSON for one query.
func (q QueryAgreement) MarshalJSON() ([]byte, error) {
	type plain QueryAgreement
	return withLegacyMargin(plain(q), q.BestMarginMSE)
}

// UnmarshalJSON is Agreement.UnmarshalJSON for one query.
func (q *QueryAgreement) UnmarshalJSON(data []byte) error {
	type plain QueryAgreement
	return readLegacyMargin(data, (*plain)(q), &q.BestMarginMSE)
}

// withLegacyMargin encodes v, a struct with at least one field always
// written, and appends legacyMarginKey with best when best is set.
func withLegacyMargin(v any, best *float64) ([]byte, error) {
	data, err := json.Marshal(v)
	if err != nil || best == nil {
		return data, err
	}
	num, err := json.Marshal(*best)
	if err != nil {
		return nil, err
	}
	return fmt.Appendf(data[:len(data)-1], ",%q:%s}", legacyMarginKey, num), nil
}

// readLegacyMargin decodes data into v and, when *best is still nil, sets
// it from legacyMarginKey.
func readLegacyMargin(data []byte, v any, best **float64) error {
	if err := json.Unmarshal(data, v); err != nil {
		return err
	}
	if *best != nil {
		return nil
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(data, &keys); err != nil {
		return err
	}
	if raw, ok := keys[legacyMarginKey]; ok {
		if err := json.Unmarshal(raw, best); err != nil {
			return fmt.Errorf("report: %s: %w", legacyMarginKey, err)
		}
	}
	return nil
}
