<?php $db_pass = 'PlantedIntranetPw'; ?>
