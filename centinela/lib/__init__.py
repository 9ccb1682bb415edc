"""Plain helpers shared by the apps: settings from the environment, exports, the import pipeline. No views."""
