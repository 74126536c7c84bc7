"""Where it is kept: the SQLite schema, migrations and all SQL, shared by the holder's and the officer's database."""
