package store

import (
	"database/sql/driver"
	"fmt"
	"time"
)

// timeLayout is how a time is written to the store: UTC, fixed width, to the
// nanosecond, so that in SQLite (where it is text) comparing and ordering the text
// compares and orders the times. PostgreSQL reads the same text into TIMESTAMPTZ
// (keeping microseconds).
const timeLayout = "2006-01-02T15:04:05.000000000Z"

// dbTime is a time as the store keeps it: written as timeLayout, read back from
// either dialect's form.
type dbTime time.Time

func (t dbTime) Value() (driver.Value, error) {
	return time.Time(t).UTC().Format(timeLayout), nil
}

func (t *dbTime) Scan(v any) error {
	switch v := v.(type) {
	case time.Time:
		*t = dbTime(v.UTC())
		return nil
	case string:
		return t.parse(v)
	case []byte:
		return t.parse(string(v))
	}
	return fmt.Errorf("store: cannot read a time from %T", v)
}

func (t *dbTime) parse(s string) error {
	p, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("store: bad time %q: %w", s, err)
	}
	*t = dbTime(p.UTC())
	return nil
}
