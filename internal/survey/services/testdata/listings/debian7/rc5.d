f	README
l	K01apache2	../init.d/apache2
l	S01bootlogs	../init.d/bootlogs
l	S02cron	../init.d/cron
l	S02ssh	../init.d/ssh
l	S03postfix	../init.d/postfix
l	S04rc.local	../init.d/rc.local
