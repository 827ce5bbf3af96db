<?php
// ** Database settings - You can get this info from your web host ** //
define( 'DB_NAME', 'wordpress' );
define( 'DB_USER', 'wp' );
define( 'DB_PASSWORD', 'PlantedWordPressDbPw' );
define( 'DB_HOST', 'db.internal:3307' );
define( 'DB_CHARSET', 'utf8mb4' );
define( 'AUTH_KEY',         'PlantedWpAuthKeyXyz' );
define( 'SECURE_AUTH_SALT', 'PlantedWpSaltXyz' );
$table_prefix = 'wp_';
if ( ! defined( 'ABSPATH' ) ) {
	define( 'ABSPATH', __DIR__ . '/' );
}
require_once ABSPATH . 'wp-settings.php';
