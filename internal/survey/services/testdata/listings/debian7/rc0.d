f	README
l	K01apache2	../init.d/apache2
l	K01postfix	../init.d/postfix
l	K04sendsigs	../init.d/sendsigs
l	K06umountfs	../init.d/umountfs
l	K09halt	../init.d/halt
