package meaning

import "testing"

// FuzzMeaning feeds arbitrary recogniser text to every interpreter: none
// may panic, and a result is either understood with a confidence in
// (0,1) or not understood with no value.
func FuzzMeaning(f *testing.F) {
	for _, s := range []string{"三十六度五", "没有发烧，有点咳嗽", "thirty six point five", "幺三八", "一百零二",
		"36度8", "第二个", "double five", "..", "1.2.3", "点点点", "度度五", "one hundred and", "万万亿", "９９.９"} {
		f.Add(s)
	}
	opts := []Option{{Key: "1", Value: "a", Words: []string{"在家"}}, {Key: "2", Value: "b", Words: []string{"外地"}}}
	f.Fuzz(func(t *testing.T, s string) {
		for _, r := range []Result{YesNo(s, nil), Number(s), Digits(s, 0), Choice(s, opts), Symptoms(s)} {
			if r.OK && (r.Confidence <= 0 || r.Confidence >= 1) {
				t.Fatalf("%q: understood with confidence %v", s, r.Confidence)
			}
			if !r.OK && (r.Value != nil || r.Confidence != 0 || r.Reason == Understood) {
				t.Fatalf("%q: not understood but %+v", s, r)
			}
		}
	})
}
