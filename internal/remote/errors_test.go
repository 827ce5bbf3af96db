package remote

import (
	"strings"
	"testing"
)

func TestTailAndPrintable(t *testing.T) {
	tl := newTail(10)
	tl.Write([]byte("0123456789abc"))
	tl.Write([]byte("de"))
	if got := tl.String(); got != "…56789abcde" {
		t.Errorf("tail %q", got)
	}
	got := printable([]byte("ok\x1b[31mred\r\nnext\x00\xff\u0085"), false)
	if strings.ContainsAny(got, "\x1b\r\x00") || !strings.Contains(got, "^[[31mred\nnext^@\\xff\\u0085") {
		t.Errorf("printable %q", got)
	}
	e := &UserError{Msg: "host key for h is not known (X)", Hint: "Check it", Detail: "more"}
	if e.Error() != "host key for h is not known (X). Check it\nmore" {
		t.Errorf("Error() = %q", e.Error())
	}
	if (&UserError{Msg: "done.", Hint: "Next"}).Error() != "done. Next" {
		t.Error("a Msg ending in a period got another")
	}
}
