l	K50netconsole	../init.d/netconsole
l	S10network	../init.d/network
