<?php /* Plugin Name: Akismet */
