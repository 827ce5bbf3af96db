package ledger

// KindAlias is a mail alias: mail_alias:NAME.
const KindAlias Kind = "mail_alias"

// KindRelay is where the MTA relays outgoing mail: mail_relay:postfix.
const KindRelay Kind = "mail_relay"

var (
	aliasKind = kind{name: KindAlias, read: (*reader).aliases}
	relayKind = kind{name: KindRelay, read: (*reader).relays}
)

func (r *reader) aliases() {
	for _, m := range r.s.Middleware.Mail {
		for _, a := range m.Aliases {
			r.add(KindAlias, a.Name, "mail to "+a.Name+" goes to "+joinComma(a.Targets), a.Source, m.Evidence...)
		}
	}
}

func (r *reader) relays() {
	for _, m := range r.s.Middleware.Mail {
		if m.Relayhost != "" {
			r.add(KindRelay, m.Kind, m.Kind+" relays through "+m.Relayhost, m.Relayhost, m.Evidence...)
		}
	}
}
