package ansible

import (
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// obsoleteSettings are server settings current MariaDB releases removed or that
// must not come along, with why.
var obsoleteSettings = map[string]string{
	"old_passwords":                   "it kept pre-4.1 password hashes, which current MariaDB no longer accepts for logins: recreate the accounts with current hashes",
	"old-passwords":                   "it kept pre-4.1 password hashes, which current MariaDB no longer accepts for logins: recreate the accounts with current hashes",
	"skip-bdb":                        "the BDB engine is gone",
	"skip_bdb":                        "the BDB engine is gone",
	"log-slow-queries":                "renamed slow_query_log_file (with slow_query_log = 1)",
	"default-character-set":           "renamed character-set-server",
	"table_cache":                     "renamed table_open_cache",
	"innodb_additional_mem_pool_size": "removed in MariaDB 10.2",
}

// grantsMySQL prints every grant of the application's accounts on the source.
const grantsMySQL = `mysql -N -e "SELECT CONCAT('SHOW GRANTS FOR ''', user, '''@''', host, ''';') FROM mysql.user WHERE user NOT IN ('root', 'mysql', 'mariadb.sys', 'debian-sys-maint')" | mysql -N`

// dbAccounts lists the application's database accounts as a secret to recreate,
// with the exact statements that print their grants on the source.
func (b *builder) dbAccounts(db snapshot.Database) {
	var users []string
	for _, a := range b.s.Middleware.Apps {
		for _, st := range a.Settings {
			if strings.HasSuffix(st.Key, "username") || strings.HasSuffix(st.Key, ".user") {
				users = appendNew(users, st.Value+" (from "+cmpOr(st.Source, a.Path)+")")
			}
		}
	}
	how := "on the source, `" + grantsMySQL + "` prints every grant to recreate; run them on the new server with a new password from the vault (community.mysql.mysql_user)"
	if db.Kind == "postgresql" {
		how = "on the source, `pg_dumpall --roles-only` prints the roles and their memberships, and `\\dp` in each database the grants; recreate them on the new server with new passwords from the vault (community.postgresql.postgresql_user)"
	}
	detail := "The survey does not read database accounts or their passwords: " + how + "."
	if len(users) > 0 {
		detail += " The application connects as " + strings.Join(users, ", ") + "."
	}
	b.p.todo(TodoItem{Section: "Secrets", Title: "Database accounts of " + db.Kind, Detail: detail, Facts: db.Evidence})
}
