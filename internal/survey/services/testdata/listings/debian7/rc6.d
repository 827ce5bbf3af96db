f	README
l	K01apache2	../init.d/apache2
l	K04sendsigs	../init.d/sendsigs
l	K09reboot	../init.d/reboot
