package redact

// dictRules are the probe's _redact_dict: the value of a setting named as a secret
// inside a line (a one-line Python dict, a JSON object, a YAML flow mapping, keyword
// arguments, a Ruby hash), which the config rules, anchored at a line's start, do not
// reach. For each name, in the probe's order: a double-quoted value, a single-quoted
// one (their quotes stay), a bare word before "," or "}", a bare word ending the line.
var dictRules = func() []rule {
	names := []string{
		`[A-Za-z0-9_.-]*[Pp][Aa][Ss][Ss]([Ww][Oo]{0,1}[Rr]{0,1}[Dd]){0,1}([0-9_.-][A-Za-z0-9_.-]*){0,1}`,
		`[A-Za-z0-9_.-]*[Pp][Hh][Rr][Aa][Ss][Ee][A-Za-z0-9_.-]*`,
		`[A-Za-z0-9_.-]*[Pp][Ww][Dd][A-Za-z0-9_.-]*`,
		`[A-Za-z0-9_.-]*[Ss][Ee][Cc][Rr][Ee][Tt][A-Za-z0-9_.-]*`,
		`[A-Za-z0-9_.-]*[Tt][Oo][Kk][Ee][Nn][A-Za-z0-9_.-]*`,
		`[A-Za-z0-9_.-]*[Cc][Rr][Ee][Dd][Ee][Nn][Tt][Ii][Aa][Ll][A-Za-z0-9_.-]*`,
		`[A-Za-z0-9_.-]*[Aa][Uu][Tt][Hh][Oo][Rr][Ii][Zz][Aa][Tt][Ii][Oo][Nn]`,
		`[A-Za-z0-9_.-]*[Kk][Ee][Yy]`,
	}
	const bare = `[^\]}\[(),;"' \t][^\]}\[(),;"'`
	var out []rule
	for _, name := range names {
		key := `(` + name + `["']{0,1}[ \t]*[:=]>{0,1}[ \t]*)`
		out = append(out,
			rule{"", longest(key + `"[^"\\]*(\\.[^"\\]*)*"`), `"` + Marker + `"`},
			rule{"", longest(key + `'[^'\\]*(\\.[^'\\]*)*'`), `'` + Marker + `'`},
			rule{"", longest(key + bare + `]*,`), Marker + ","},
			rule{"", longest(key + bare + `]*\}`), Marker + "}"},
			rule{"", longest(key + bare + ` \t]*$`), Marker},
		)
	}
	return out
}()

// Dict is the probe's _redact_dict, for text the config filter has been through:
// configuration read as an application's (settings.py, JSON, YAML).
func Dict(b []byte) []byte { return withRules(b, dictRules) }
