#!/bin/sh
# Nightly backup of Redmine's database and files.
set -e
mysqldump -uredmine -pPlantedScriptPw2Ke redmine | gzip > /var/backups/redmine-$(date +%F).sql.gz
curl -fsS -H "Authorization: Bearer PlantedBearer6Ws" https://backup.example.co.jp/notify
