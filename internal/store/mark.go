package store

import (
	"context"
	"database/sql"
	"fmt"
)

// Mark says where the store's surveys stand: it changes whenever a survey is
// recorded (and with it a host added, renamed or regrouped), and only then. A
// reader that keeps what it made of the surveys (trowel serve's view of the
// estate) asks for it on every request instead of listing every host again.
func (s *Store) Mark(ctx context.Context) (string, error) {
	// The count as well as the newest ID: in PostgreSQL a survey given a lower
	// ID may commit after a higher one, and the count still moves then.
	var n int64
	var newest sql.NullInt64
	if err := s.r.QueryRowContext(ctx, "SELECT COUNT(*), MAX(id) FROM surveys").Scan(&n, &newest); err != nil {
		return "", s.fail(err)
	}
	return fmt.Sprintf("%d:%d", n, newest.Int64), nil
}
