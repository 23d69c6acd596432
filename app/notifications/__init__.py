"""Notifications: what each person hears about (agreement asked, plan fixed, action due, goal changed), and how."""
