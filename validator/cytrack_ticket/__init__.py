"""Checks CyTrack support ticket drafts before they are pasted into the vendor's portal."""
