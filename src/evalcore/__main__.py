from .cli import console

# Only when run: a process that imports this module (a tool, a test) does not start a command.
if __name__ == "__main__":
    console()
