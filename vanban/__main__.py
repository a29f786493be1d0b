from vanban.cli import cli

cli(prog_name="vanban")
