package store

import (
	"strconv"
	"strings"
)

// dialect is everything that differs between SQLite and PostgreSQL, in one place:
// the schema's types, the placeholders, how a migration takes its lock, and how a
// table is made append-only. Every query is written once, with ? placeholders and
// the types below, and goes through bind and schema.
type dialect struct {
	name   string // "sqlite" or "postgres", as Store.Backend says
	driver string // the database/sql driver
	types  *strings.Replacer
	// lockMigrations is run first in the transaction that applies migrations, so
	// two trowels opening a new store at once do not both apply them. SQLite
	// needs none: its writer begins IMMEDIATE transactions, which already exclude
	// every other writer.
	lockMigrations string
	// appendOnly returns the statements that make table refuse UPDATE and DELETE
	// (and in PostgreSQL TRUNCATE), whoever asks.
	appendOnly func(table string) []string
	// numbered placeholders ($1, $2 ...) instead of ?
	numbered bool
}

var sqliteDialect = &dialect{
	name:   "sqlite",
	driver: "sqlite",
	types: strings.NewReplacer(
		"{{ID}}", "INTEGER PRIMARY KEY", // the rowid: allocated by SQLite, never reused while the row exists
		"{{BLOB}}", "BLOB",
		// Times are stored as fixed-width UTC text (see dbTime), which sorts as
		// time does.
		"{{TIME}}", "TEXT",
	),
	appendOnly: func(table string) []string {
		var out []string
		for _, op := range []string{"UPDATE", "DELETE"} {
			out = append(out, "CREATE TRIGGER "+table+"_no_"+strings.ToLower(op)+" BEFORE "+op+" ON "+table+
				" BEGIN SELECT RAISE(ABORT, '"+table+" is append-only'); END")
		}
		return out
	},
}

var postgresDialect = &dialect{
	name:   "postgres",
	driver: "pgx",
	types: strings.NewReplacer(
		"{{ID}}", "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
		"{{BLOB}}", "BYTEA",
		"{{TIME}}", "TIMESTAMPTZ",
	),
	// Any constant both sides agree on; it names trowel's migrations among the
	// database's other advisory locks.
	lockMigrations: "SELECT pg_advisory_xact_lock(7420190516)",
	appendOnly: func(table string) []string {
		fn := "trowel_" + table + "_append_only"
		return []string{
			"CREATE FUNCTION " + fn + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '" + table + " is append-only'; END $$",
			"CREATE TRIGGER " + table + "_append_only BEFORE UPDATE OR DELETE ON " + table + " FOR EACH ROW EXECUTE FUNCTION " + fn + "()",
			"CREATE TRIGGER " + table + "_no_truncate BEFORE TRUNCATE ON " + table + " FOR EACH STATEMENT EXECUTE FUNCTION " + fn + "()",
		}
	},
	numbered: true,
}

// bind rewrites a query's ? placeholders for the dialect. trowel's queries hold no
// ? inside a string literal, so a plain scan is enough.
func (d *dialect) bind(q string) string {
	if !d.numbered {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// schema fills a migration statement's type placeholders.
func (d *dialect) schema(stmt string) string { return d.types.Replace(stmt) }
