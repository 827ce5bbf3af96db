#!/bin/sh
# nightly dump of every database (ops, 2021-05)
set -e
/usr/local/mysql/bin/mysqldump -S /tmp/mysql.sock -uroot -pPlantedBackupDbPw1 --all-databases --single-transaction | gzip >/var/backups/db/all-$(date +%Y%m%d).sql.gz
