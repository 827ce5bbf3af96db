package verify

import (
	"fmt"

	"github.com/trowel-dev/trowel/internal/spec"
)

// checks is the table: how each kind of expectation is checked, one row per kind
// of spec's table, each row's check in its kind's file (kind_*.go). The row's type
// ties the check to the kind's body; TestEveryKindIsChecked holds the table to
// spec.Kinds.
func checks() []checker {
	return []checker{
		check[spec.Timezone](evaluator.timezone),
		check[spec.Service](evaluator.service),
		check[spec.Port](evaluator.port),
		check[spec.Process](evaluator.process),
		check[spec.Cron](evaluator.cron),
		check[spec.CronZone](evaluator.cronZone),
		check[spec.User](evaluator.user),
		check[spec.Group](evaluator.group),
		check[spec.Sudo](evaluator.sudo),
		check[spec.Key](evaluator.key),
		check[spec.Mount](evaluator.mount),
		check[spec.Sysctl](evaluator.sysctl),
		check[spec.Firewall](evaluator.firewall),
		check[spec.LogShipper](evaluator.shipper),
		check[spec.LogFollow](evaluator.logFollow),
		check[spec.Setting](evaluator.setting),
		check[spec.Capability](evaluator.capability),
		check[spec.HTTP](evaluator.http),
		check[spec.SMTP](evaluator.smtp),
	}
}

// checker is a row of the table, whatever the type of its body.
type checker interface {
	kind() spec.Kind
	check(v evaluator, e spec.Expectation) Check
}

// check checks an expectation whose body is a B.
type check[B spec.Body] func(evaluator, spec.Expectation, B) Check

func (check[B]) kind() spec.Kind {
	var b B
	return b.Kind()
}

func (c check[B]) check(v evaluator, e spec.Expectation) Check {
	b, ok := e.Body.(B)
	if !ok {
		return Check{Status: Skipped, Message: fmt.Sprintf("this trowel does not know how to check a %q expectation whose body is a %T", e.Kind(), e.Body)}
	}
	return c(v, e, b)
}

var byKind = func() map[spec.Kind]checker {
	m := map[spec.Kind]checker{}
	for _, c := range checks() {
		m[c.kind()] = c
	}
	return m
}()

func checkOf(k spec.Kind) (checker, bool) {
	c, ok := byKind[k]
	return c, ok
}
