package estate

// catalogs are the words the map says in its own voice, one per language; the
// renderers' own words come from report.L. TestCatalogsMatch keeps the two with
// the same keys, and TestLabelsExist every key the code asks for in them.
var catalogs = map[string]map[string]string{"en": labelsEN, "ja": labelsJA}

// label is key in lang, falling back to English, then to the key itself.
func label(lang, key string) string {
	if s, ok := catalogs[lang][key]; ok {
		return s
	}
	if s, ok := labelsEN[key]; ok {
		return s
	}
	return key
}
