package scripttest

import (
	"context"
	"testing"
)

func TestSpike(t *testing.T) {
	res, err := Run(context.Background(), Options{Paths: []string{"testdata/ivr"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Files {
		if f.Err != nil {
			t.Logf("file err %+v", f.Err)
		}
		for _, tr := range f.Tests {
			t.Logf("%s %s %v %+v", tr.Name, tr.Status, tr.Duration, tr.Failure)
		}
	}
	t.Log(res.Summary())
}
