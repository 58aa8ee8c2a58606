"""scoring-wizard's full-screen face (Textual) and its --plain prompts; the engine never imports this package."""
