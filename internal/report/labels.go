package report

// Labels are the words the report says in its own voice (headings, column titles,
// explanations), one catalog per language. Builders and renderers take every such
// word from here, so a test can check that Japanese leaves none in English.
type labels map[string]string

// L returns the label key in lang, falling back to English (a missing Japanese
// label is caught by TestCatalogsComplete, not shown as a key).
func L(lang, key string) string {
	if lang == "ja" {
		if s, ok := labelsJA[key]; ok {
			return s
		}
	}
	if s, ok := labelsEN[key]; ok {
		return s
	}
	return key
}
