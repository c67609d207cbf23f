package teacher

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/distill-ml/distill/labels"
)

// ParseShard parses "i/N" (0 ≤ i < N).
func ParseShard(s string) (labels.Shard, error) {
	i, n, ok := strings.Cut(s, "/")
	if !ok {
		return labels.Shard{}, fmt.Errorf("teacher: shard %q: want i/N, e.g. 0/4", s)
	}
	return makeShard(i, n, "shard "+s)
}

func makeShard(i, n, where string) (labels.Shard, error) {
	idx, err1 := strconv.Atoi(strings.TrimSpace(i))
	cnt, err2 := strconv.Atoi(strings.TrimSpace(n))
	if err1 != nil || err2 != nil || cnt < 1 || idx < 0 || idx >= cnt {
		return labels.Shard{}, fmt.Errorf("teacher: %s: want shard index i and count N with 0 ≤ i < N", where)
	}
	return labels.Shard{Index: idx, Count: cnt}, nil
}

// ShardFromEnv reads the shard of a Kubernetes Indexed Job
// (JOB_COMPLETION_INDEX of JOB_COMPLETIONS) or a Slurm job array
// (SLURM_ARRAY_TASK_ID of SLURM_ARRAY_TASK_COUNT, with SLURM_ARRAY_TASK_MIN
// subtracted when the array does not start at 0). ok is false when neither is
// set.
func ShardFromEnv(getenv func(string) string) (s labels.Shard, ok bool, err error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	if i := getenv("JOB_COMPLETION_INDEX"); i != "" {
		n := getenv("JOB_COMPLETIONS")
		if n == "" {
			return s, false, fmt.Errorf("teacher: JOB_COMPLETION_INDEX=%s is set but JOB_COMPLETIONS is not: pass the completion count as an env var (see deploy/k8s-indexed-job.yaml) or give the shard explicitly", i)
		}
		s, err = makeShard(i, n, fmt.Sprintf("JOB_COMPLETION_INDEX=%s JOB_COMPLETIONS=%s", i, n))
		return s, err == nil, err
	}
	if i := getenv("SLURM_ARRAY_TASK_ID"); i != "" {
		n := getenv("SLURM_ARRAY_TASK_COUNT")
		if n == "" {
			return s, false, fmt.Errorf("teacher: SLURM_ARRAY_TASK_ID=%s is set but SLURM_ARRAY_TASK_COUNT is not", i)
		}
		if lo := getenv("SLURM_ARRAY_TASK_MIN"); lo != "" {
			id, err1 := strconv.Atoi(i)
			m, err2 := strconv.Atoi(lo)
			if err1 == nil && err2 == nil {
				i = strconv.Itoa(id - m)
			}
		}
		s, err = makeShard(i, n, fmt.Sprintf("SLURM_ARRAY_TASK_ID=%s SLURM_ARRAY_TASK_COUNT=%s", i, n))
		return s, err == nil, err
	}
	return s, false, nil
}
