<?php
/**
 * WordPress Version
 *
 * Contains version information for the current WordPress release.
 */

/**
 * The WordPress version string.
 *
 * @global string $wp_version
 */
$wp_version = '6.4.3';

/**
 * Holds the WordPress DB revision, increments when changes are made to the WordPress DB schema.
 *
 * @global int $wp_db_version
 */
$wp_db_version = 56657;
