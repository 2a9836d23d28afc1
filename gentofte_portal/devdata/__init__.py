"""Development and benchmark data: ``manage.py load_demo`` (Gentofte's model from the public sources) and
``manage.py generate_load_data`` (bench/). No runtime module imports this app (import-linter checks it)."""
