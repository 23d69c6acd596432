"""Invitations into a family: made by a professional, redeemed with a code or a link."""
