frm stand-in
