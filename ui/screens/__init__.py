"""One module per screen. Screens show state and report the user's choices to the PanelWindow;
kiosk/ calls go through the window's Bridge, never from a screen on the UI thread."""
