package migrations

import (
	"regexp"
	"testing"
)

func TestListBothDialectsAligned(t *testing.T) {
	pg, err := List(Postgres)
	if err != nil {
		t.Fatal(err)
	}
	lite, err := List(SQLite)
	if err != nil {
		t.Fatal(err)
	}
	if len(pg) == 0 || len(pg) != len(lite) {
		t.Fatalf("pg has %d steps, lite %d", len(pg), len(lite))
	}
	table := regexp.MustCompile(`CREATE TABLE (\w+)`)
	for i := range pg {
		if pg[i].Name != lite[i].Name {
			t.Errorf("step %d: %s vs %s", i+1, pg[i].Name, lite[i].Name)
		}
		a, b := table.FindAllStringSubmatch(pg[i].Up, -1), table.FindAllStringSubmatch(lite[i].Up, -1)
		if len(a) != len(b) {
			t.Errorf("step %d: tables differ: %v vs %v", i+1, a, b)
		}
	}
}
