"""The composer (spec §2 "structural transformer" stage): plan + decoded controls -> Score."""
