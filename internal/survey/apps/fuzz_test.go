package apps

import "testing"

func FuzzParsers(f *testing.F) {
	for _, n := range []string{"redmine-Gemfile.lock", "redmine-version.rb", "redmine-database.yml"} {
		f.Add(fixture(f, n))
	}
	f.Add("<Connector port=\"80\"\n<!-- x")
	f.Fuzz(func(t *testing.T, text string) {
		ParseGemfileLock(text)
		ParseRedmineVersion(text)
		ParseDatabaseYML(text)
		ParseRubyV(text)
		ParsePHPV(text)
		ParseJavaVersion(text)
		ParseConnectors(text)
		ParseINI("f", text, func(string) bool { return true })
	})
}
