"""The application's life: its states and transitions, clocks and the working-day calendar."""
