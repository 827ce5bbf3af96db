package ansible

import "github.com/trowel-dev/trowel/internal/ledger"

// row is one concern of the project: what builds its role (or, for the sweeps at
// the end, what decides the rest), and the kinds of fact of the ledger it owns.
// A row may give a disposition to any fact it handles; the owner of a kind also
// gives one to every fact of it that no row before has, so none is left without.
// Adding a concern is its file and a row here; TestEveryKindHasARow fails while a
// kind of fact has no owner.
type row struct {
	name  string
	owns  []ledger.Kind
	build func(*builder)
	// sweep runs once every row is built, for what only the whole project tells.
	sweep func(*builder)
}

// rows are the concerns in the order the project is built and its roles run:
// what everything else relies on (the clock, the accounts, the packages) first.
func rows() []row {
	return []row{
		{"base", []ledger.Kind{ledger.KindClock, ledger.KindSysctl, ledger.KindMount, ledger.KindHosts}, (*builder).base, nil},
		{"accounts", []ledger.Kind{ledger.KindUser, ledger.KindGroup, ledger.KindSudo, ledger.KindKey}, (*builder).accounts, nil},
		{"packages", []ledger.Kind{ledger.KindPackage}, (*builder).packageRole, (*builder).packageSweep},
		{"web", []ledger.Kind{ledger.KindWebModule, ledger.KindVHost, ledger.KindCertificate}, (*builder).web, (*builder).webSweep},
		{"database", nil, (*builder).database, nil},
		{"mail", []ledger.Kind{ledger.KindAlias, ledger.KindRelay}, (*builder).mail, nil},
		{"middleware", nil, (*builder).middleware, nil},
		{"logging", nil, (*builder).logging, nil},
		{"daemons", nil, (*builder).daemons, nil},
		{"shippers", []ledger.Kind{ledger.KindShipper, ledger.KindDestination}, (*builder).shippers, nil},
		{"cron", []ledger.Kind{ledger.KindCron, ledger.KindTimer}, (*builder).scheduled, nil},
		{"services", []ledger.Kind{ledger.KindService, ledger.KindListener, ledger.KindProcess, ledger.KindServer, ledger.KindSetting}, (*builder).serviceSweep, nil},
		{"firewall", []ledger.Kind{ledger.KindFirewall}, (*builder).firewall, nil},
		{"data", []ledger.Kind{ledger.KindData, ledger.KindApplication, ledger.KindSoftware, ledger.KindContainer}, (*builder).dataSweep, nil},
		{"configs", []ledger.Kind{ledger.KindConfig, ledger.KindCheck}, (*builder).configSweep, nil},
		{"todos", nil, (*builder).todos, nil},
	}
}
