"""How people use it: Qt windows and dialogs, thin operations that call the core, and the command line."""
