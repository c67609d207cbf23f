package teacher

import (
	"github.com/distill-ml/distill/internal/progress"
)

// Progress counts scored pairs on a progress bar of Console (a bar with
// pairs/s and ETA on a terminal, periodic log lines otherwise). The engine
// calls Add from its workers; Start and Stop bracket a job.
type Progress struct {
	Console *progress.Console
	// Stage names the bar ("labelling", "reranking").
	Stage string
	// Total is the number of pairs the job will score.
	Total int64

	bar *progress.Bar
}

// Add records n more scored pairs.
func (p *Progress) Add(n int) { p.bar.Add(int64(n)) }

// Start begins reporting.
func (p *Progress) Start() { p.bar = p.Console.Start(p.Stage, 0, p.Total, "pairs") }

// Stop ends reporting, drawing the bar one last time.
func (p *Progress) Stop() { p.bar.Done() }
