"""The handlers of ``workshop-kit``: one module per group of commands.

:mod:`kit.cli` holds every option of every command (argparse lives only there) and calls
these. Nothing else imports them.
"""
