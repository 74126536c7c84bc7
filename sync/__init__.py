"""How it travels: submission and setup files, keys, signing and sealing, transports, import and merge."""
