"""Where it is kept: the SQLite schema, migrations and queries shared by the holder's and the officer's database."""
