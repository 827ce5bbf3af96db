#!/bin/sh
# Builds roots/webapp from the lab's webapp layer (what roles/webapp/setup.sh
# installed over Debian 11: /var/cache/trowel-lab/layer/webapp-*): the gem home
# of `gem install fluentd` with RubyGems' wrapper, Lua's source tree and the
# programs its `make install` put in /usr/local/bin (cut to their ELF headers),
# the MariaDB tarball tree with its /usr/local/mysql link. Then, in their real
# formats, what the lab has not: a pip install (httpie, with its RECORD and
# console script), a library pip installed, an npm -g module linked onto PATH,
# and a credentials file in the gem home that nothing may read. Run from
# internal/survey/files/testdata/roots; kept for the record, the result is committed.
set -eu
L=$(ls -d /var/cache/trowel-lab/layer/webapp-* | head -1)
R=webapp
rm -rf "$R"
copy() { mkdir -p "$R$(dirname "$1")"; cp -p "$L$1" "$R$1"; }
# A header's version block and its licence notice; what lies between declares the API,
# which nothing here reads.
header() { mkdir -p "$R$(dirname "$1")"; { head -n 40 "$L$1"; echo '/* (the API declarations are left out of this fixture) */'; tail -n 31 "$L$1"; } >"$R$1"; touch -r "$L$1" "$R$1"; }
head4k() { mkdir -p "$R$(dirname "$1")"; head -c 4096 "$L$1" >"$R$1"; chmod 755 "$R$1"; }
G=/var/lib/gems/2.7.0
copy $G/specifications/fluentd-1.16.5.gemspec
copy $G/gems/fluentd-1.16.5/fluentd.gemspec
copy $G/gems/fluentd-1.16.5/bin/fluentd
copy $G/gems/fluentd-1.16.5/lib/fluent/version.rb
copy /usr/local/bin/fluentd
head4k /usr/local/bin/lua
head4k /usr/local/bin/luac
copy /usr/local/src/lua-5.4.2/Makefile
copy /usr/local/src/lua-5.4.2/README
header /usr/local/src/lua-5.4.2/src/lua.h
header /usr/local/include/lua.h
head4k /opt/mariadb-10.5.23-linux-x86_64/bin/mariadbd
ln -s /opt/mariadb-10.5.23-linux-x86_64 "$R/usr/local/mysql"
mkdir -p "$R/var/lib/gems/2.7.0/gems/fluentd-1.16.5/.gem"
printf -- '---\n:rubygems_api_key: rubygems_GemKeyNeverRead0123\n' >"$R/var/lib/gems/2.7.0/gems/fluentd-1.16.5/.gem/credentials"
P=/usr/local/lib/python3.9/dist-packages
mkdir -p "$R$P/httpie-2.4.0.dist-info" "$R$P/httpie" "$R$P/requests-2.25.1.dist-info"
cat >"$R$P/httpie-2.4.0.dist-info/RECORD" <<'REC'
../../../bin/http,sha256=Xq1jGzZ9Wl4ZK8b3bU1Zl0u5o5JmH1p7c0T6cJmBQzI,220
../../../bin/https,sha256=Xq1jGzZ9Wl4ZK8b3bU1Zl0u5o5JmH1p7c0T6cJmBQzI,220
httpie-2.4.0.dist-info/INSTALLER,sha256=zuuue4knoyJ-UwPPXg8fezS7VCrXJQrAP7zeNuwvFQg,4
httpie-2.4.0.dist-info/METADATA,sha256=3p5w0S4eEOjAHiZb6Ty1ZqwmkS0VMmcxwOCbdlCQ5WU,49110
httpie-2.4.0.dist-info/RECORD,,
httpie/__init__.py,sha256=AlkvaBjXIZbHbJDbpPiAdAI3fNUUqWH3H6gMUzOWzps,125
REC
printf 'pip\n' >"$R$P/httpie-2.4.0.dist-info/INSTALLER"
printf '__version__ = "2.4.0"\n' >"$R$P/httpie/__init__.py"
cat >"$R$P/requests-2.25.1.dist-info/RECORD" <<'REC'
requests-2.25.1.dist-info/INSTALLER,sha256=zuuue4knoyJ-UwPPXg8fezS7VCrXJQrAP7zeNuwvFQg,4
requests-2.25.1.dist-info/RECORD,,
requests/__init__.py,sha256=ORzv-7u6WaqSb8CWLT6KbfRHwU4XTPiT2mhRQeHA4L4,4178
REC
cat >"$R/usr/local/bin/http" <<'PY'
#!/usr/bin/python3
# -*- coding: utf-8 -*-
import re
import sys
from httpie.__main__ import main
if __name__ == '__main__':
    sys.argv[0] = re.sub(r'(-script\.pyw|\.exe)?$', '', sys.argv[0])
    sys.exit(main())
PY
cp "$R/usr/local/bin/http" "$R/usr/local/bin/https"
chmod 755 "$R/usr/local/bin/http" "$R/usr/local/bin/https"
N=/usr/local/lib/node_modules/pm2
mkdir -p "$R$N/bin"
cat >"$R$N/package.json" <<'JS'
{
  "name": "pm2",
  "preferGlobal": true,
  "version": "5.3.0",
  "engines": {
    "node": ">=10.0.0"
  },
  "bin": {
    "pm2": "./bin/pm2"
  }
}
JS
printf '#!/usr/bin/env node\nrequire("../lib/binaries/CLI.js");\n' >"$R$N/bin/pm2"
chmod 755 "$R$N/bin/pm2"
ln -s ../lib/node_modules/pm2/bin/pm2 "$R/usr/local/bin/pm2"
