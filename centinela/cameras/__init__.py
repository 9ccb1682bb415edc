"""Cameras: the public video-surveillance network's inventory, lifecycle, live health (probes over RTSP, HTTP,
ONVIF and TCP by `manage.py monitor_cameras`), maintenance tickets, availability and coverage. No video is recorded."""
