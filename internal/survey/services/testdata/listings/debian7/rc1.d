f	README
l	K01apache2	../init.d/apache2
l	K01postfix	../init.d/postfix
l	K01ssh	../init.d/ssh
l	S01killprocs	../init.d/killprocs
l	S02single	../init.d/single
