package demo

import (
	"fmt"
	"math/rand/v2"
)

// Member is one generated resident and the persona that answers for them.
type Member struct {
	ID        int64 // resident id once stored
	Name      string
	Phone     string
	Community string
	Grid      string
	Observed  bool   // under home observation
	Persona   string // key of Personas
}

// Name parts of generated residents.
const (
	surnameChars = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
	givenChars   = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华兰"
)

// Communities of the generated roster, each with two grids.
func Communities() []string {
	return []string{"阳光社区", "和平社区", "春晓社区", "桂花社区"}
}

// Roster generates n residents, the first observed of them under
// observation, with personas drawn from the mix (the observed ones get the
// whole mix on their own); seed makes it repeatable.
func Roster(n, observed int, seed uint64) []Member {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	// The daily check calls those under observation: they get the full mix.
	mix := append(expandMix(observed, r), expandMix(n-observed, r)...)
	comms := Communities()
	surnames, given := []rune(surnameChars), []rune(givenChars)
	out := make([]Member, n)
	for i := range out {
		c := comms[i%len(comms)]
		out[i] = Member{
			Name:      string(surnames[r.IntN(len(surnames))]) + string(given[r.IntN(len(given))]) + string(given[r.IntN(len(given))]),
			Phone:     fmt.Sprintf("1380013%04d", i),
			Community: c,
			Grid:      fmt.Sprintf("%s第%d网格", c, i%2+1),
			Observed:  i < observed,
			Persona:   mix[i],
		}
	}
	return out
}

// expandMix turns the weighted mix into exactly n persona names, shuffled:
// every persona appears at least once when n allows, healthy fills the rest.
func expandMix(n int, r *rand.Rand) []string {
	mix := mixWeights()
	total := 0
	for _, w := range mix {
		total += w.weight
	}
	var out []string
	for _, w := range mix[1:] { // mix[0] is healthy
		k := max((w.weight*n+total/2)/total, 1)
		for range k {
			out = append(out, w.name)
		}
	}
	for len(out) < n {
		out = append(out, mix[0].name)
	}
	out = out[:n]
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}
