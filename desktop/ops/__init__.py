"""Thin operations the windows call: each runs core functions and holds no Qt, so it is tested without a screen."""
