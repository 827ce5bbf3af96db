package redact

import (
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/redact/redacttest"
)

// dictCorpus are settings named as secrets inside a line, in the syntaxes an
// application's configuration holds them, with the look-alikes that must stay.
var dictCorpus = []string{
	"CACHES = {'default': {'BACKEND': 'django_redis.cache.RedisCache', 'LOCATION': 'redis://127.0.0.1:6379/1', 'OPTIONS': {'PASSWORD': 'DictPw01'}}}\n",
	`DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'NAME': 'portal', 'USER': 'portal', 'PASSWORD': "DictPw02", 'HOST': 'db1', 'PORT': 3306}}` + "\n",
	`{"host": "db1", "port": 5432, "api_key": "DictKey03", "user": "app"}` + "\n",
	`{"client_secret": "DictSecret04\"still", "token": "DictTok05", "name": "shop"}` + "\n",
	"production: {adapter: mysql2, password: DictPw06, host: db1, port: 3306}\n",
	"production: {adapter: mysql2, host: db1, password: Dict Pw07}\n",
	"db = connect(host='db1', password = 'DictPw08', user=\"app\")\n",
	"config.smtp = { :address => 'smtp.example.com', :password => 'DictPw09', :port => 587 }\n",
	`{"pin_pass": 123456, "retries": 3}` + "\n",
	`  "auth": {"Authorization": "Bearer DictAuth10"},` + "\n",
	`x = {'SECRET_KEY': 'Dict\'Key11', 'DEBUG': False}` + "\n",
	"EMAIL = dict(HOST='smtp1', PASSWORD='DictPw12')\n",
	"opts = {'passphrase': 'DictPhrase13'} # note\n",
	"mongo: {uri: 'mongodb://db1/x', credentials: DictCred14",
	"OPTIONS = {'PASSWORD': os.environ['DB_PASSWORD'], 'HOST': 'db1'}\n",
	"PASSENGER = {'PassengerRuby': '/usr/bin/ruby', 'passenger_app_root': '/srv/app'}\n",
	"{'KEY_PREFIX': 'portal', 'keyfile': '/etc/ssl/x.key', 'TIMEOUT': 300}\n",
	"keystorePass=\"<redacted>\" clientAuth=\"false\"\n",
}

var dictSecrets = []string{"DictPw01", "DictPw02", "DictKey03", "DictSecret04", "still", "DictTok05", "DictPw06", "Dict Pw07", "DictPw08",
	"DictPw09", "123456", "DictAuth10", "Key11", "DictPw12", "DictPhrase13", "DictCred14"}

// Every secret of the corpus goes, what is no secret stays readable (hosts, ports,
// names, the expression a value is read from), and the text keeps its quotes.
func TestDictSecretsAreRemoved(t *testing.T) {
	cases := map[string]string{
		"C = {'PASSWORD': 'x', 'HOST': 'db1', 'PORT': '3306'}\n":    "C = {'PASSWORD': '<redacted>', 'HOST': 'db1', 'PORT': '3306'}\n",
		`x = [{"api_key": "x", "host": "db1"}]` + "\n":              `x = [{"api_key": "<redacted>", "host": "db1"}]` + "\n",
		"{adapter: mysql2, password: x y, host: db1}\n":             "{adapter: mysql2, password: <redacted>, host: db1}\n",
		"connect(host='h', password = 'x')\n":                       "connect(host='h', password = '<redacted>')\n",
		"{:password => 'x', :port => 25}\n":                         "{:password => '<redacted>', :port => 25}\n",
		"C = {'PASSWORD': os.environ['PW'], 'HOST': 'db1'}\n":       "C = {'PASSWORD': os.environ['PW'], 'HOST': 'db1'}\n",
		"{'PassengerRuby': '/usr/bin/ruby', 'KEY_PREFIX': 'app'}\n": "{'PassengerRuby': '/usr/bin/ruby', 'KEY_PREFIX': 'app'}\n",
		"x = [{\"secret\": \"a\\\"b\", \"name\": \"n\"}]\n":         "x = [{\"secret\": \"<redacted>\", \"name\": \"n\"}]\n",
		"    'PASSWORD': <redacted>\n":                              "    'PASSWORD': <redacted>\n",
	}
	for in, want := range cases {
		if got := string(Dict(Text([]byte(in)))); got != want {
			t.Errorf("Dict(Text(%q)) = %q, want %q", in, got, want)
		}
	}
	for _, in := range dictCorpus {
		out := string(Dict(Text([]byte(in))))
		for _, secret := range dictSecrets {
			if strings.Contains(out, secret) {
				t.Errorf("secret %q survived in %q", secret, out)
			}
		}
		if again := string(Dict([]byte(out))); again != out {
			t.Errorf("Dict is not idempotent:\n once: %s\ntwice: %s", out, again)
		}
		for _, keep := range []string{"db1", "3306", "portal", "django_redis.cache.RedisCache", "redis://127.0.0.1:6379/1", "smtp.example.com", "os.environ", "/usr/bin/ruby", "/srv/app", "KEY_PREFIX", "/etc/ssl/x.key", "mongodb://db1/x"} {
			if strings.Contains(in, keep) && !strings.Contains(out, keep) {
				t.Errorf("%q, no secret, was lost from %q: %q", keep, in, out)
			}
		}
	}
	// The look-alikes every filter leaves alone, this one does too.
	for _, s := range redacttest.Shapes(t) {
		if s.Kind == "keep" {
			if out := string(Dict([]byte(s.Line + "\n"))); out != s.Line+"\n" {
				t.Errorf("Dict changed a line with no secret:\n in: %s\nout: %s", s.Line, out)
			}
		}
	}
}
