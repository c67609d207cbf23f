package bm25_test

import (
	"fmt"

	"github.com/distill-ml/distill/bm25"
)

func Example() {
	ix, err := bm25.NewIndex(bm25.DefaultParams())
	if err != nil {
		panic(err)
	}
	corpus := map[string]string{
		"d1": "The quick brown fox",
		"d2": "The lazy dog and the quick dog",
		"d3": "Brown dogs chase foxes",
	}
	for _, id := range []string{"d1", "d2", "d3"} {
		if err := ix.Add(id, corpus[id]); err != nil {
			panic(err)
		}
	}
	for _, h := range ix.Search("quick foxes", 3) {
		fmt.Printf("%s %.4f\n", h.DocID, h.Score)
	}
	st := ix.Stats()
	fmt.Printf("N=%d avgdl=%.3f vocabulary=%d\n", st.DocCount, st.AvgDocLen, st.Vocabulary)
	// Output:
	// d1 0.5124
	// d2 0.2432
	// d3 0.2432
	// N=3 avgdl=3.667 vocabulary=6
}

func ExampleAnalyzer_Analyze() {
	var a bm25.Analyzer // Lucene's EnglishAnalyzer
	fmt.Println(a.Analyze("The Fahrenheit scale's 1,000 degrees weren't measured."))
	// Output: [fahrenheit scale 1,000 degre weren't measur]
}

func ExampleStem() {
	for _, w := range []string{"caresses", "ponies", "relational", "conditional", "hopeful"} {
		fmt.Print(bm25.Stem(w), " ")
	}
	// Output: caress poni relat condit hope
}
