<?php include 'config.php'; echo "intranet";
