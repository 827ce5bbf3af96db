f	README
f	functions
f	netconsole
f	network
