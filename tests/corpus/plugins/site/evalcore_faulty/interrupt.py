"""Ctrl-C pressed while this plugin is imported. Not an entry point of the distribution (it would
stop every command run with it): tests load it by hand to check that Ctrl-C still stops evalcore."""

raise KeyboardInterrupt
