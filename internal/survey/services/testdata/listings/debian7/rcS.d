f	README
l	S02udev	../init.d/udev
l	S10networking	../init.d/networking
