package kit

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseListing(t *testing.T) {
	entries, bad := ParseListing("f\thostname\nl\tlocaltime\t../usr/share/zoneinfo/UTC\nd\tinit.d\nx\tweird\nnot a listing line\no\tinitctl\n")
	want := []Entry{{'f', "hostname", ""}, {'l', "localtime", "../usr/share/zoneinfo/UTC"}, {'d', "init.d", ""}, {'o', "initctl", ""}}
	if !reflect.DeepEqual(entries, want) {
		t.Errorf("entries: got %+v, want %+v", entries, want)
	}
	if !reflect.DeepEqual(bad, []string{"x\tweird", "not a listing line"}) {
		t.Errorf("bad: got %q", bad)
	}
}

func TestFieldsNKeepsTheRestVerbatim(t *testing.T) {
	line := "  1234 \t1  /usr/sbin/httpd  -k   start"
	f := FieldsN(line, 2)
	if len(f) != 2 || f[0].Text != "1234" || f[1].Text != "1" {
		t.Fatalf("fields = %+v", f)
	}
	rest := line[f[1].Off+len(f[1].Text):]
	if strings.TrimSpace(rest) != "/usr/sbin/httpd  -k   start" {
		t.Errorf("rest = %q", rest)
	}
	if got := FieldsN("  ", 3); len(got) != 0 {
		t.Errorf("blank line gave %+v", got)
	}
}

func TestParseErrorKeepsFewReasons(t *testing.T) {
	var e ParseError
	if e.Err() != nil {
		t.Fatal("empty ParseError is an error")
	}
	for i := 1; i <= 5000; i++ {
		e.Add(i, "garbage %d", i)
	}
	if len(e.Lines) != 1000 || e.Err() == nil || !strings.Contains(e.Error(), "1000 lines could not be read; the first, line 1") {
		t.Errorf("%d lines, %v", len(e.Lines), e.Err())
	}
}
