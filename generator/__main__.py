from generator.cli import program

if __name__ == "__main__":  # not when a spawned worker process (the live server's) imports it
    raise SystemExit(program())
