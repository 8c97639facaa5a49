package sim

import (
	"fmt"
	"testing"
	"time"
)

func TestRegistryCountsAndCompacts(t *testing.T) {
	r := newRegistry(3)
	at := time.Unix(0, 0)
	var logs []*CallLog
	for i := range 6 {
		c := &CallLog{Number: "1", CallID: fmt.Sprint("c", i)}
		if !r.begin(c) {
			t.Fatalf("begin %d refused", i)
		}
		logs = append(logs, c)
		if i != 1 { // call 1 stays live
			r.end(c, at, EndedByCaller)
			r.end(c, at, EndedByCallee) // second end ignored
			r.update(c, func(c *CallLog) { c.Finished = true })
		}
	}
	if now, peak := r.concurrent(); now != 1 || peak != 2 {
		t.Fatalf("concurrent %d/%d, want 1/2", now, peak)
	}
	if logs[0].EndedBy != EndedByCaller {
		t.Fatalf("ended by %q", logs[0].EndedBy)
	}
	if r.begin(&CallLog{CallID: "c1"}) {
		t.Fatal("second live call with the same Call-ID accepted")
	}
	got := r.snapshot()
	var ids []string
	for _, c := range got {
		ids = append(ids, c.CallID)
	}
	// At 6 logs (2×3) the three oldest finished ones (c0, c2, c3) go; live c1 stays.
	if fmt.Sprint(ids) != "[c1 c4 c5]" {
		t.Fatalf("kept %v", ids)
	}
	if _, ok := r.lookup("c0"); ok {
		t.Fatal("dropped log still found")
	}
	if r.idle() {
		t.Fatal("idle with a live call")
	}
	r.endByCallID("c1", at, EndedByCaller)
	r.update(logs[1], func(c *CallLog) { c.Finished = true })
	if !r.idle() {
		t.Fatal("not idle")
	}
	if !r.countInvite("1", "x", 1) || r.countInvite("1", "x", 1) || !r.countInvite("1", "x", 2) || r.inviteCount("1") != 2 {
		t.Fatal("invite dedupe by Call-ID+CSeq broken")
	}
}
