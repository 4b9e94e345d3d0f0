from orchestration.cli import app

app()
