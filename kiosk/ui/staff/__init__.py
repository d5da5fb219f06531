"""Staff access: kiosk-mode lockdown, the hidden gesture, the PIN pad and the admin screen."""
