"""The in-container agent that runs pydock sessions; see server.py for the main loop."""
