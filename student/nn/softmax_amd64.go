//go:build !openblas && amd64

package nn

func init() {
	if haveAVX2 {
		softmaxRows, softmaxGradRows = softmaxRowsAsm, softmaxGradRowsAsm
	}
}

// softmaxRowsAVX2 is softmaxMasked on the S×S matrix at p, S > 0, keep
// holding S values (softmax_amd64.s).
//
//go:noescape
func softmaxRowsAVX2(p *float32, S int, keep *float32)

// softmaxGradRowsAVX2 is softmaxGradRowsGo on the S×S matrices at dp and
// p, S > 0 (softmax_amd64.s).
//
//go:noescape
func softmaxGradRowsAVX2(dp, p *float32, S int)

// softmaxRowsAsm is softmaxMasked in assembly (AVX2). Each row's last
// S mod 8 values go through the vector code under a lane mask (the row
// maximum and sum tie the passes over a row together, so they are not
// left to a Go loop).
func softmaxRowsAsm(p []float32, S int, keep []float32) {
	if S == 0 {
		return
	}
	_, _ = p[S*S-1], keep[S-1]
	softmaxRowsAVX2(&p[0], S, &keep[0])
}

// softmaxGradRowsAsm is softmaxGradRowsGo in assembly (AVX2), the tails
// as in softmaxRowsAsm.
func softmaxGradRowsAsm(dp, p []float32, S int) {
	if S == 0 {
		return
	}
	_, _ = dp[S*S-1], p[S*S-1]
	softmaxGradRowsAVX2(&dp[0], &p[0], S)
}
