#!/bin/sh
cd /var/www/redmine && ruby script/runner "MailHandler.receive_imap" -e production >> /var/log/redmine-batch.log 2>&1
