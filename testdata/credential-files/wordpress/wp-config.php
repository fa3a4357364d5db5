<?php
define( 'DB_NAME', 'shop' );
define( 'DB_USER', 'shop' );
define( 'DB_PASSWORD', 'Vr9Tx2Nb7Wm4' );
define( 'AUTH_KEY', 'k#V9t@Lr2!zQ8w^Xp5*Mn3&Hb7(Jd1)Fg6' );
